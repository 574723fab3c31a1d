/**
 * On a node ComfyUI runs: choose one of the library's workflows for its node type to run
 * instead of the agents' built-in templates (sets `workflowAssetId`). The job then runs the
 * workflow at the version it has when queued (or the one the node pins: "Use these settings" of a
 * take pins the version that take ran), at the workflow's own tier.
 */
import { createResource, For, Show } from "solid-js";
import { api, loaded } from "../services.ts";
import type { ProjectSession } from "../stores/project_session.ts";

export default function WorkflowPicker(
  props: { session: ProjectSession; nodeId: string; nodeType: string },
) {
  const s = props.session;
  const [workflows] = createResource(() => api.assets.list(s.project.id, "workflow"));
  // Read only once loaded (services.ts `loaded`): reading a loading resource remounts the canvas.
  const list = () => loaded(workflows);
  const mine = () => list()?.filter((w) => w.params.nodeType === props.nodeType) ?? [];
  const current = () => s.graph.nodes[props.nodeId]?.params.workflowAssetId;
  const chosen = () => mine().find((w) => w.id === current());
  const pin = () => {
    const v = s.graph.nodes[props.nodeId]?.params.workflowVersion;
    return typeof v === "number" ? v : null;
  };
  /** Another workflow, or the newest version of this one: the pin goes. */
  const run = (workflowAssetId: string | null) =>
    s.engine.edit([{
      type: "node.update",
      id: props.nodeId,
      set: { params: { workflowAssetId, workflowVersion: null } },
    }]);
  return (
    <div class="field">
      <label for="workflow-picker">Runs</label>
      <select
        id="workflow-picker"
        value={typeof current() === "string" ? String(current()) : ""}
        disabled={s.readOnly()}
        data-testid="inspector-workflow"
        onChange={(e) => run(e.currentTarget.value || null)}
      >
        <option value="">Built-in templates</option>
        <For each={mine()}>
          {(w) => (
            <option value={w.id}>Workflow: {w.name} (v{w.version}, {String(w.params.tier)})</option>
          )}
        </For>
      </select>
      <Show when={chosen()}>
        {(w) => (
          <small class="field-note" data-testid="inspector-workflow-note">
            Runs your workflow "{w().name}" at its {String(w().params.tier)}{" "}
            tier; the agent needs its model files.
          </small>
        )}
      </Show>
      <Show when={chosen() && pin() !== null && pin() !== chosen()!.version}>
        <small class="field-note" data-testid="inspector-workflow-pin">
          Pinned to version {pin()} (from a take's settings; the newest is v{chosen()!.version}).
          <Show when={!s.readOnly()}>
            {" "}
            <button type="button" class="link" onClick={() => run(chosen()!.id)}>
              Run the newest
            </button>
          </Show>
        </small>
      </Show>
      <Show when={typeof current() === "string" && list() && !chosen()}>
        <small class="field-error" data-testid="inspector-workflow-missing">
          The chosen workflow is gone or implements another node type: pick another.
        </small>
      </Show>
      <Show when={list() && mine().length === 0}>
        <small class="muted">Upload a ComfyUI workflow in the Assets tab to run your own.</small>
      </Show>
    </div>
  );
}
