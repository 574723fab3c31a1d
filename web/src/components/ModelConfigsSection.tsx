/**
 * The library's Docker models: model configs (gpu-agent/README.md, "Docker models") that agents
 * whose Docker runs the studio's configs run in a hardened container. Editors add one (from a
 * starter, or a pasted config) and change it, each save a new version (ModelConfigForm.tsx);
 * reviewers read them. Nodes pick one under "Runs" in the inspector (RunnerPicker.tsx).
 */
import { createResource, createSignal, Show } from "solid-js";
import { STARTER_CONFIG } from "../format/model_config_form.ts";
import { api, settled } from "../services.ts";
import AssetRows from "./AssetRows.tsx";
import ModelConfigForm from "./ModelConfigForm.tsx";

export default function ModelConfigsSection(props: { projectId: string; readOnly: boolean }) {
  const [configs, { mutate }] = createResource(() =>
    api.assets.list(props.projectId, "model-config")
  );
  const [open, setOpen] = createSignal<string | null>(null);
  const [adding, setAdding] = createSignal(false);
  return (
    <section class="palette-group" data-testid="model-configs">
      <h3>docker models</h3>
      <Show when={!props.readOnly}>
        <button
          type="button"
          class="small"
          aria-expanded={adding()}
          onClick={() => setAdding(!adding())}
          data-testid="model-config-new"
        >
          {adding() ? "Close the new model" : "New Docker model"}
        </button>
        <Show when={adding()}>
          <ModelConfigForm
            projectId={props.projectId}
            asset={null}
            start={STARTER_CONFIG}
            readOnly={false}
            onSaved={(asset) => {
              mutate((list) => [...(list ?? []), asset]);
              setAdding(false);
              setOpen(asset.id);
            }}
          />
        </Show>
      </Show>
      <AssetRows assets={settled(configs)} prefix="model-config" open={open()} onOpen={setOpen}>
        {(asset) => (
          // Keyed on the version: each saved version starts the form afresh from what was stored.
          <Show when={asset.version} keyed>
            <ModelConfigForm
              projectId={props.projectId}
              asset={asset}
              start={asset.params.config as Record<string, unknown>}
              readOnly={props.readOnly}
              onSaved={(saved) =>
                mutate((list) => (list ?? []).map((a) => (a.id === saved.id ? saved : a)))}
            />
          </Show>
        )}
      </AssetRows>
    </section>
  );
}
