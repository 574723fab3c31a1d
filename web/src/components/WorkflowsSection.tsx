/**
 * The library's workflows: upload a ComfyUI workflow exported with "Save (API)", choosing the
 * node type it implements and its tier; the edge checks the file and detects the mapping (which
 * node inputs the node's parameters go to, what it saves, which model files it needs), shown
 * here for each workflow for the user to adjust (WorkflowMappingEditor.tsx). A refused file
 * says why under the form (a UI-format export: "export with 'Save (API)'"). Nodes pick a workflow in the inspector (RunnerPicker.tsx).
 */
import { createResource, createSignal, For, Show } from "solid-js";
import { isExecutable, NODE_TYPES } from "../../../protocol/nodes.ts";
import { TIERS } from "../../../protocol/tiers.ts";
import { ApiError } from "../api/client.ts";
import type { Asset } from "../api/types.ts";
import { api, settled } from "../services.ts";
import AssetRows from "./AssetRows.tsx";
import WorkflowMappingEditor from "./WorkflowMappingEditor.tsx";

/** Node types a workflow can implement: those ComfyUI runs. */
export const WORKFLOW_NODE_TYPES = Object.values(NODE_TYPES)
  .filter((d) => isExecutable(d) && d.backends.includes("comfyui"));

function WorkflowDetails(
  props: { projectId: string; asset: Asset; readOnly: boolean; onSaved: (a: Asset) => void },
) {
  const [read] = createResource(
    () => props.asset.version,
    () => api.assets.workflow(props.projectId, props.asset.id),
  );
  const analysis = () => settled(read)?.analysis;
  return (
    <div class="asset-editor" data-testid="workflow-details">
      <Show when={analysis()} fallback={<p class="muted small">Reading the workflow…</p>}>
        {(a) => (
          <p class="small" data-testid="workflow-summary">
            Runs <strong>{a().nodeType}</strong> nodes at <strong>{a().tier}</strong> ·{" "}
            {a().file.nodes} ComfyUI nodes · needs {Math.round(a().binding.vramMiB / 1024)} GB VRAM
            <Show when={a().file.fileName}>{(name) => <>{" "}· {name()}</>}</Show>
          </p>
        )}
      </Show>
      {/* Keyed: each saved version starts the editor afresh from what the edge stored. */}
      <Show when={analysis()} keyed>
        {(a) => (
          <>
            <WorkflowMappingEditor
              projectId={props.projectId}
              asset={props.asset}
              analysis={a}
              readOnly={props.readOnly}
              onSaved={props.onSaved}
            />
            <For each={a.notes}>
              {(note) => <p class="muted small" data-testid="workflow-note">{note}</p>}
            </For>
          </>
        )}
      </Show>
    </div>
  );
}

export default function WorkflowsSection(props: { projectId: string; readOnly: boolean }) {
  const [workflows, { mutate }] = createResource(() =>
    api.assets.list(props.projectId, "workflow")
  );
  const [open, setOpen] = createSignal<string | null>(null);
  const [problem, setProblem] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [nodeType, setNodeType] = createSignal(WORKFLOW_NODE_TYPES[0]?.type ?? "");
  const tiers = () => WORKFLOW_NODE_TYPES.find((d) => d.type === nodeType())?.tiers ?? TIERS;

  async function upload(e: SubmitEvent) {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const file = data.get("file");
    if (!(file instanceof File) || file.size === 0) {
      setProblem("Choose the workflow's .json file (in ComfyUI: Workflow → Export (API)).");
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const name = String(data.get("name") ?? "").trim() || file.name.replace(/\.json$/i, "");
      const { asset } = await api.assets.uploadWorkflow(props.projectId, {
        name,
        nodeType: String(data.get("nodeType")),
        tier: String(data.get("tier")) as (typeof TIERS)[number],
        workflow: await file.text(),
        fileName: file.name,
      });
      form.reset();
      setNodeType(WORKFLOW_NODE_TYPES[0]?.type ?? "");
      mutate((list) => [...(list ?? []), asset]);
      setOpen(asset.id);
    } catch (error) {
      setProblem(error instanceof ApiError ? error.describe() : String(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="palette-group" data-testid="workflows">
      <h3>workflows</h3>
      <Show when={!props.readOnly}>
        <form class="stack-form workflow-upload" onSubmit={upload} data-testid="workflow-upload">
          <label class="small">
            ComfyUI workflow, exported with "Save (API)"
            <input
              type="file"
              name="file"
              accept=".json,application/json"
              data-testid="workflow-file"
            />
          </label>
          <input
            name="name"
            placeholder="Name (default: the file's)"
            maxLength={200}
            data-testid="workflow-name"
          />
          <select
            name="nodeType"
            aria-label="Node type it implements"
            value={nodeType()}
            onChange={(e) => setNodeType(e.currentTarget.value)}
            data-testid="workflow-node-type"
          >
            <For each={WORKFLOW_NODE_TYPES}>
              {(d) => <option value={d.type}>{d.title}</option>}
            </For>
          </select>
          <select name="tier" aria-label="Tier" data-testid="workflow-tier">
            <For each={tiers()}>{(t) => <option value={t}>{t}</option>}</For>
          </select>
          <button
            class="primary small"
            type="submit"
            disabled={busy()}
            data-testid="workflow-submit"
          >
            {busy() ? "Checking…" : "Upload workflow"}
          </button>
        </form>
        <Show when={problem()}>
          <p class="field-error" role="alert" data-testid="workflow-upload-error">{problem()}</p>
        </Show>
      </Show>
      <AssetRows assets={settled(workflows)} prefix="workflow" open={open()} onOpen={setOpen}>
        {(asset) => (
          <WorkflowDetails
            projectId={props.projectId}
            asset={asset}
            readOnly={props.readOnly}
            onSaved={(saved) =>
              mutate((list) => (list ?? []).map((w) => (w.id === saved.id ? saved : w)))}
          />
        )}
      </AssetRows>
    </section>
  );
}
