/**
 * A workflow asset's mapping, for the user to adjust: which workflow input each node parameter
 * (prompt, seed, steps...) and image input is written into (rebind, unbind, add), which nodes'
 * saved files are the take, which model files the agent needs, and the peak VRAM. Saving sends
 * the whole mapping (PUT …/workflow, a new version); the edge checks every bound input against
 * the workflow and the recorded ComfyUI classes, and its field-named problems are shown on the
 * rows they name. Problems of the stored mapping (say, after a catalogue update) show the same way.
 */
import { createMemo, createSignal, For, Index, Show } from "solid-js";
import { ApiError } from "../api/client.ts";
import type { Asset, WorkflowAnalysis, WorkflowBinding, WorkflowInputPath } from "../api/types.ts";
import {
  bindableInputs,
  issueText,
  nodeName,
  pathKey,
  pathsOf,
  rowPath,
  type Target,
  targetsFor,
  withModel,
  withOutput,
  withPath,
} from "../format/workflow_mapping.ts";
import { api } from "../services.ts";

type Issue = { path: string; message: string };

const same = (a: WorkflowBinding, b: WorkflowBinding) => JSON.stringify(a) === JSON.stringify(b);

export default function WorkflowMappingEditor(props: {
  projectId: string;
  asset: Asset;
  analysis: WorkflowAnalysis;
  readOnly: boolean;
  onSaved: (asset: Asset) => void;
}) {
  const [draft, setDraft] = createSignal<WorkflowBinding>(props.analysis.binding);
  const [saveIssues, setSaveIssues] = createSignal<Issue[] | null>(null);
  const [failure, setFailure] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const issues = () => saveIssues() ?? props.analysis.problems;
  const inputs = createMemo(() => bindableInputs(props.analysis.nodes));
  const byKey = createMemo(() => new Map(inputs().map((i) => [i.key, i.path])));
  const targets = targetsFor(props.analysis.nodeType);
  const bound = () => targets.filter((t) => pathsOf(draft(), t).length > 0);
  const savers = () =>
    props.analysis.nodes.filter((n) => n.saves || draft().outputs.includes(n.id));
  const edit = (next: WorkflowBinding) => {
    setDraft(next);
    setSaveIssues(null);
    setFailure(null);
  };
  /** Problems no row shows (an unknown parameter, say), listed above the save button. */
  const unplaced = () => {
    const shown = [
      ...bound().flatMap((t) => pathsOf(draft(), t).map((_, i) => rowPath(t, i))),
      "binding.outputs",
      "binding.models",
      "binding.vramMiB",
    ];
    return issues().filter((i) => !shown.some((p) => i.path === p || i.path.startsWith(`${p}.`)));
  };

  async function save() {
    setBusy(true);
    try {
      const { asset } = await api.assets.updateWorkflowBinding(props.projectId, props.asset.id, {
        binding: draft(),
        baseVersion: props.asset.version,
      });
      setSaveIssues(null);
      props.onSaved(asset);
    } catch (error) {
      if (error instanceof ApiError && error.issues.length > 0) setSaveIssues([...error.issues]);
      setFailure(error instanceof ApiError ? error.describe() : String(error));
    } finally {
      setBusy(false);
    }
  }

  const [addTarget, setAddTarget] = createSignal("");
  const [addAt, setAddAt] = createSignal("");
  function add() {
    const target = targets.find((t) => `${t.kind}:${t.name}` === addTarget());
    const path = byKey().get(addAt());
    if (!target || !path) return;
    edit(withPath(draft(), target, pathsOf(draft(), target).length, path));
    setAddAt("");
  }

  const Problem = (p: { path: string }) => (
    <Show when={issueText(issues(), p.path)}>
      {(text) => (
        <p class="field-error" role="alert" data-testid={`mapping-error-${p.path}`}>{text()}</p>
      )}
    </Show>
  );

  const Row = (p: { target: Target; index: number }) => {
    // A row being removed may read once more past the end: show nothing rather than throw.
    const path = (): WorkflowInputPath => pathsOf(draft(), p.target)[p.index] ?? ["", "inputs", ""];
    const id = () => rowPath(p.target, p.index);
    return (
      <li classList={{ invalid: issueText(issues(), id()) !== undefined }}>
        <div class="mapping-row">
          <code title={p.target.label}>{p.target.name} →</code>
          <select
            class="mapping-wide"
            aria-label={`${p.target.label}: workflow input`}
            value={pathKey(path())}
            disabled={props.readOnly}
            onChange={(e) => {
              const to = byKey().get(e.currentTarget.value);
              if (to) edit(withPath(draft(), p.target, p.index, to));
            }}
            data-testid={`mapping-${id()}`}
          >
            <Show when={!byKey().has(pathKey(path()))}>
              <option value={pathKey(path())}>
                {nodeName(props.analysis.nodes, path()[0])} · {path()[2]}
              </option>
            </Show>
            <For each={inputs()}>{(i) => <option value={i.key}>{i.label}</option>}</For>
          </select>
          <Show when={!props.readOnly}>
            <button
              type="button"
              class="ghost small"
              aria-label={`Unbind ${p.target.name} from ${path()[2]}`}
              onClick={() => edit(withPath(draft(), p.target, p.index, null))}
              data-testid={`mapping-remove-${id()}`}
            >
              ✕
            </button>
          </Show>
        </div>
        <Problem path={id()} />
      </li>
    );
  };

  return (
    <div class="workflow-mapping-editor" data-testid="workflow-mapping-editor">
      <h4>Mapping</h4>
      <ul class="list workflow-mapping" data-testid="workflow-mapping">
        <For each={bound()}>
          {(target) => (
            <Index each={pathsOf(draft(), target)}>
              {(_, i) => <Row target={target} index={i} />}
            </Index>
          )}
        </For>
      </ul>
      <Show when={!props.readOnly}>
        <div class="mapping-add">
          <select
            aria-label="Parameter to bind"
            value={addTarget()}
            onChange={(e) => setAddTarget(e.currentTarget.value)}
            data-testid="mapping-add-target"
          >
            <option value="">Bind a parameter…</option>
            <For each={targets}>
              {(t) => <option value={`${t.kind}:${t.name}`}>{t.label}</option>}
            </For>
          </select>
          <select
            aria-label="Workflow input to bind it to"
            value={addAt()}
            onChange={(e) => setAddAt(e.currentTarget.value)}
            data-testid="mapping-add-at"
          >
            <option value="">…to the workflow input</option>
            <For each={inputs()}>{(i) => <option value={i.key}>{i.label}</option>}</For>
          </select>
          <button
            type="button"
            class="small"
            disabled={addTarget() === "" || addAt() === ""}
            onClick={add}
            data-testid="mapping-add"
          >
            Bind
          </button>
        </div>
      </Show>
      <h4>Take</h4>
      <ul class="list workflow-outputs" data-testid="workflow-outputs">
        <For each={savers()} fallback={<li class="muted">no node saves files</li>}>
          {(node) => (
            <li>
              <label>
                <input
                  type="checkbox"
                  checked={draft().outputs.includes(node.id)}
                  disabled={props.readOnly}
                  onChange={(e) => edit(withOutput(draft(), node.id, e.currentTarget.checked))}
                  data-testid={`mapping-output-${node.id}`}
                />{" "}
                {nodeName(props.analysis.nodes, node.id)} ({node.classType})
              </label>
            </li>
          )}
        </For>
      </ul>
      <Problem path="binding.outputs" />
      <h4>Model files</h4>
      <ul class="list workflow-models" data-testid="workflow-models">
        <Show when={draft().models.length === 0}>
          <li class="muted">none</li>
        </Show>
        {/* By index: a row (and the field being typed in) stays while its model changes. */}
        <Index each={draft().models}>
          {(m, i) => (
            <li>
              <div class="mapping-row">
                <input
                  aria-label="Model folder"
                  value={m().folder}
                  disabled={props.readOnly}
                  onChange={(e) =>
                    edit(withModel(draft(), i, { ...m(), folder: e.currentTarget.value.trim() }))}
                  data-testid={`mapping-model-folder-${i}`}
                />
                <Show when={!props.readOnly}>
                  <button
                    type="button"
                    class="ghost small"
                    aria-label={`Remove ${m().file}`}
                    onClick={() => edit(withModel(draft(), i, null))}
                    data-testid={`mapping-model-remove-${i}`}
                  >
                    ✕
                  </button>
                </Show>
                <input
                  class="mapping-wide"
                  aria-label="Model file"
                  value={m().file}
                  disabled={props.readOnly}
                  onChange={(e) =>
                    edit(withModel(draft(), i, { ...m(), file: e.currentTarget.value.trim() }))}
                  data-testid={`mapping-model-file-${i}`}
                />
              </div>
              <Problem path={`binding.models.${i}`} />
            </li>
          )}
        </Index>
      </ul>
      <Show when={!props.readOnly}>
        <button
          type="button"
          class="ghost small"
          onClick={() =>
            edit(withModel(draft(), draft().models.length, { folder: "checkpoints", file: "" }))}
          data-testid="mapping-model-add"
        >
          Add a model file
        </button>
      </Show>
      <div class="field">
        <label for={`vram-${props.asset.id}`}>Peak VRAM (MiB)</label>
        <input
          id={`vram-${props.asset.id}`}
          type="number"
          min={1}
          value={draft().vramMiB}
          disabled={props.readOnly}
          onChange={(e) => edit({ ...draft(), vramMiB: e.currentTarget.valueAsNumber })}
          data-testid="mapping-vram"
        />
        <Problem path="binding.vramMiB" />
      </div>
      <Show when={unplaced().length > 0 || (failure() && saveIssues() === null)}>
        <div class="form-problems" role="alert" data-testid="workflow-problems">
          <For each={unplaced()}>{(p) => <p>{p.message}</p>}</For>
          <Show when={saveIssues() === null}>{failure()}</Show>
        </div>
      </Show>
      <Show when={!props.readOnly}>
        <div class="mapping-actions">
          <button
            type="button"
            class="primary small"
            disabled={busy() || same(draft(), props.analysis.binding)}
            onClick={() => void save()}
            data-testid="mapping-save"
          >
            {busy() ? "Checking…" : `Save mapping as v${props.asset.version + 1}`}
          </button>
          <button
            type="button"
            class="ghost small"
            disabled={same(draft(), props.analysis.detected)}
            onClick={() => edit(props.analysis.detected)}
            data-testid="mapping-use-detected"
          >
            Use the detected mapping
          </button>
        </div>
      </Show>
    </div>
  );
}
