/**
 * On an asset node: choose which library asset it stands for (sets `assetId` and `name`). The
 * node keeps its own title: linking is not renaming (the card shows the asset's name beside it).
 */
import { createResource, For, Show } from "solid-js";
import type { AssetKind } from "../api/types.ts";
import { api, loaded } from "../services.ts";
import type { ProjectSession } from "../stores/project_session.ts";

export default function AssetPicker(
  props: { session: ProjectSession; nodeId: string; kind: AssetKind },
) {
  const s = props.session;
  const [assets] = createResource(() => props.kind, (kind) => api.assets.list(s.project.id, kind));
  const current = () => s.graph.nodes[props.nodeId]?.params.assetId;
  return (
    <div class="field">
      <label for="asset-picker">Library {props.kind}</label>
      <select
        id="asset-picker"
        value={typeof current() === "string" ? String(current()) : ""}
        disabled={s.readOnly()}
        data-testid="inspector-asset"
        onChange={(e) => {
          const asset = loaded(assets)?.find((a) => a.id === e.currentTarget.value);
          s.engine.edit([{
            type: "node.update",
            id: props.nodeId,
            set: asset
              ? { params: { assetId: asset.id, name: asset.name } }
              : { params: { assetId: null, name: null } },
          }]);
        }}
      >
        <option value="">— none —</option>
        <For each={loaded(assets)}>
          {(a) => <option value={a.id}>{a.name} (v{a.version})</option>}
        </For>
      </select>
      <Show when={loaded(assets)?.length === 0}>
        <small class="muted">No {props.kind}s yet: add one in the Assets tab.</small>
      </Show>
    </div>
  );
}
