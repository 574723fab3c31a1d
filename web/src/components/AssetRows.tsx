/**
 * A library section's assets (workflows, Docker model configs) as rows with their version; a
 * click opens one row's details below it (one at a time), again closes it.
 */
import { For, type JSX, Show } from "solid-js";
import type { Asset } from "../api/types.ts";

export default function AssetRows(props: {
  assets: Asset[] | undefined;
  /** The row's test id prefix: `${prefix}-${asset.id}`. */
  prefix: string;
  open: string | null;
  onOpen: (id: string | null) => void;
  children: (asset: Asset) => JSX.Element;
}) {
  return (
    <For each={props.assets}>
      {(asset) => (
        <div class="asset" data-testid={`${props.prefix}-${asset.id}`}>
          <button
            type="button"
            class="palette-item cat-asset"
            aria-expanded={props.open === asset.id}
            onClick={() => props.onOpen(props.open === asset.id ? null : asset.id)}
          >
            <span class="palette-dot" aria-hidden="true" />
            <span class="palette-title">{asset.name}</span>
            <span class="muted">v{asset.version}</span>
          </button>
          <Show when={props.open === asset.id}>{props.children(asset)}</Show>
        </div>
      )}
    </For>
  );
}
