/**
 * The asset library: characters, styles and locations. Create, edit (each save is a new
 * version), see the versions and roll back; drag an asset onto the canvas to use it.
 */
import { createResource, createSignal, For, Show } from "solid-js";
import { ApiError } from "../api/client.ts";
import { type Asset, ASSET_KINDS, type AssetKind } from "../api/types.ts";
import { api, settled } from "../services.ts";
import type { ProjectSession } from "../stores/project_session.ts";
import { toast } from "../stores/toasts.ts";
import { NODE_DRAG_TYPE } from "./CanvasView.tsx";

const report = (error: unknown) =>
  toast(error instanceof ApiError ? error.describe() : String(error));

function AssetEditor(
  props: { projectId: string; asset: Asset; readOnly: boolean; onSaved: (a: Asset) => void },
) {
  const [versions, { refetch }] = createResource(
    () => props.asset.version,
    () => api.assets.versions(props.projectId, props.asset.id),
  );
  async function save(e: SubmitEvent) {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    try {
      const updated = await api.assets.update(props.projectId, props.asset.id, {
        name: String(data.get("name") ?? "").trim(),
        description: String(data.get("description") ?? ""),
      });
      props.onSaved(updated);
      void refetch();
    } catch (error) {
      report(error);
    }
  }
  async function rollback(version: number) {
    try {
      props.onSaved(await api.assets.rollback(props.projectId, props.asset.id, version));
      void refetch();
    } catch (error) {
      report(error);
    }
  }
  return (
    <div class="asset-editor" data-testid="asset-editor">
      <form onSubmit={save}>
        <div class="field">
          <label for="asset-name">Name</label>
          <input
            id="asset-name"
            name="name"
            value={props.asset.name}
            required
            maxLength={200}
            disabled={props.readOnly}
            data-testid="asset-name"
          />
        </div>
        <div class="field">
          <label for="asset-description">Description</label>
          <textarea
            id="asset-description"
            name="description"
            rows={3}
            value={props.asset.description}
            disabled={props.readOnly}
            data-testid="asset-description"
          />
        </div>
        <Show when={!props.readOnly}>
          <button class="primary small" type="submit" data-testid="asset-save">
            Save as v{props.asset.version + 1}
          </button>
        </Show>
      </form>
      <h4>Versions</h4>
      <ul class="list versions">
        <For each={settled(versions)}>
          {(v) => (
            <li data-testid={`asset-version-${v.version}`}>
              <span>
                v{v.version} {v.name}
                <div class="muted small" data-testid={`asset-version-${v.version}-author`}>
                  by {v.authorName} · {new Date(v.createdAt).toLocaleString()}
                </div>
              </span>
              <Show when={!props.readOnly && v.version !== props.asset.version}>
                <button
                  type="button"
                  class="ghost small"
                  onClick={() => void rollback(v.version)}
                  data-testid={`asset-rollback-${v.version}`}
                >
                  Roll back
                </button>
              </Show>
            </li>
          )}
        </For>
      </ul>
    </div>
  );
}

export default function AssetsPanel(props: { session: ProjectSession }) {
  const projectId = props.session.project.id;
  const [assets, { mutate }] = createResource(() => api.assets.list(projectId));
  const [open, setOpen] = createSignal<string | null>(null);

  async function create(e: SubmitEvent) {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    try {
      const asset = await api.assets.create(projectId, {
        type: String(data.get("type")) as AssetKind,
        name: String(data.get("name") ?? "").trim(),
      });
      form.reset();
      mutate((list) => [...(list ?? []), asset]);
      setOpen(asset.id);
    } catch (error) {
      report(error);
    }
  }

  const replace = (updated: Asset) =>
    mutate((list) => (list ?? []).map((a) => (a.id === updated.id ? updated : a)));

  return (
    <div class="side-panel" data-testid="assets-panel">
      <Show when={!props.session.readOnly()}>
        <form class="stack-form" onSubmit={create} data-testid="asset-create-form">
          <select name="type" aria-label="Asset type" data-testid="asset-create-type">
            <For each={ASSET_KINDS}>{(k) => <option value={k}>{k}</option>}</For>
          </select>
          <input
            name="name"
            placeholder="Name"
            required
            maxLength={200}
            data-testid="asset-create-name"
          />
          <button class="primary small" type="submit" data-testid="asset-create">Add</button>
        </form>
      </Show>
      <For each={ASSET_KINDS}>
        {(kind) => (
          <section class="palette-group">
            <h3>{kind}s</h3>
            <For each={settled(assets)?.filter((a) => a.type === kind)}>
              {(asset) => (
                <div class="asset" data-testid={`asset-${asset.id}`}>
                  <button
                    type="button"
                    class={`palette-item cat-asset`}
                    draggable={!props.session.readOnly()}
                    title="Drag onto the canvas to use it"
                    onDragStart={(e) =>
                      e.dataTransfer?.setData(
                        NODE_DRAG_TYPE,
                        JSON.stringify({
                          type: `asset.${asset.type}`,
                          params: { assetId: asset.id, name: asset.name },
                        }),
                      )}
                    onClick={() => setOpen(open() === asset.id ? null : asset.id)}
                  >
                    <span class="palette-dot" aria-hidden="true" />
                    <span class="palette-title">{asset.name}</span>
                    <span
                      class="muted"
                      title={`last changed ${new Date(asset.updatedAt).toLocaleString()}`}
                    >
                      v{asset.version}
                    </span>
                  </button>
                  <Show when={open() === asset.id}>
                    <AssetEditor
                      projectId={projectId}
                      asset={asset}
                      readOnly={props.session.readOnly()}
                      onSaved={replace}
                    />
                  </Show>
                </div>
              )}
            </For>
          </section>
        )}
      </For>
    </div>
  );
}
