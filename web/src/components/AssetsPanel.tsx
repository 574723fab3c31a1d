/**
 * The asset library: characters, styles and locations (and the workflows, WorkflowsSection.tsx,
 * and Docker models, ModelConfigsSection.tsx). Create, edit (each save is a new
 * version), add reference images (drop, paste or pick files; each change is a new version),
 * see the versions with what changed and roll back; drag an asset onto the canvas to use it.
 */
import { createResource, createSignal, For, onCleanup, Show } from "solid-js";
import { ASSET_IMAGE_TYPES } from "../../../protocol/assets.ts";
import { ApiError } from "../api/client.ts";
import { type Asset, ASSET_KINDS, type AssetKind } from "../api/types.ts";
import { api, settled } from "../services.ts";
import type { ProjectSession } from "../stores/project_session.ts";
import { addImages, imageFiles } from "../stores/asset_images.ts";
import { toast } from "../stores/toasts.ts";
import { versionChanges } from "../format/asset_versions.ts";
import { NODE_DRAG_TYPE } from "./CanvasView.tsx";
import ModelConfigsSection from "./ModelConfigsSection.tsx";
import WorkflowsSection from "./WorkflowsSection.tsx";

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
  const [uploading, setUploading] = createSignal(0);
  const [over, setOver] = createSignal(false);
  async function add(files: File[]) {
    if (props.readOnly || files.length === 0) return;
    setUploading(files.length);
    try {
      const { asset, refused } = await addImages(props.projectId, props.asset, files);
      if (asset) {
        props.onSaved(asset);
        void refetch();
      }
      if (refused.length > 0) toast(`Not added: ${refused.join("; ")}`);
    } catch (error) {
      report(error);
    } finally {
      setUploading(0);
    }
  }
  async function removeImage(key: string) {
    try {
      props.onSaved(
        await api.assets.update(props.projectId, props.asset.id, {
          referenceImageKeys: props.asset.referenceImageKeys.filter((k) => k !== key),
          baseVersion: props.asset.version,
        }),
      );
      void refetch();
    } catch (error) {
      report(error);
    }
  }
  // A pasted image (Ctrl+V while the asset is open) is added like a dropped one.
  const paste = (e: ClipboardEvent) => {
    const files = imageFiles(e.clipboardData);
    if (files.length === 0) return;
    e.preventDefault();
    void add(files);
  };
  if (!props.readOnly) {
    document.addEventListener("paste", paste);
    onCleanup(() => document.removeEventListener("paste", paste));
  }
  /** The images of the asset as it is now (the newest version). */
  const images = () => settled(versions)?.[0]?.referenceImages ?? [];
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
      <h4>Reference images</h4>
      <div
        class="asset-images"
        classList={{ over: over() }}
        onDragOver={(e) => {
          if (props.readOnly) return;
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          void add(imageFiles(e.dataTransfer));
        }}
        data-testid="asset-images"
      >
        <For each={images()}>
          {(image, i) => (
            <figure class="asset-image">
              <img src={image.url} alt={`Reference ${i() + 1}`} data-testid="asset-image" />
              <Show when={!props.readOnly}>
                <button
                  type="button"
                  class="ghost small"
                  aria-label={`Remove reference ${i() + 1}`}
                  onClick={() => void removeImage(image.key)}
                  data-testid={`asset-image-remove-${i()}`}
                >
                  ✕
                </button>
              </Show>
            </figure>
          )}
        </For>
        <Show when={!props.readOnly}>
          <label class="asset-image-add" data-testid="asset-image-add">
            <input
              type="file"
              accept={ASSET_IMAGE_TYPES.join(",")}
              multiple
              onChange={(e) => {
                const files = [...(e.currentTarget.files ?? [])];
                e.currentTarget.value = "";
                void add(files);
              }}
              data-testid="asset-image-input"
            />
            <span>
              {uploading() > 0
                ? `Uploading ${uploading()}…`
                : "Drop, paste or choose images (PNG, JPEG, WebP, up to 20 MB)"}
            </span>
          </label>
        </Show>
        <Show when={props.readOnly && images().length === 0}>
          <span class="muted small">No reference images.</span>
        </Show>
      </div>
      <h4>Versions</h4>
      <ul class="list versions">
        <For each={settled(versions)}>
          {(v, i) => (
            <li data-testid={`asset-version-${v.version}`}>
              <span>
                v{v.version} {v.name}
                <div class="muted small" data-testid={`asset-version-${v.version}-changes`}>
                  {versionChanges(settled(versions)?.[i() + 1], v).join(", ")}
                </div>
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
      <WorkflowsSection projectId={projectId} readOnly={props.session.readOnly()} />
      <ModelConfigsSection projectId={projectId} readOnly={props.session.readOnly()} />
    </div>
  );
}
