/**
 * The right-hand panel: the selected node's title and parameter form (from its schema, with
 * validation messages), its takes with their parameters; or the selected edge; or help.
 */
import { createEffect, createMemo, For, Match, on, Show, Switch } from "solid-js";
import { createStore } from "solid-js/store";
import { isExecutable, nodeType, RUNNER_PARAMS } from "../../../protocol/nodes.ts";
import { paramProblem, requiredMessage } from "../../../protocol/param_rules.ts";
import { runProblems } from "../../../protocol/run_readiness.ts";
import { SHORTCUTS } from "../canvas/keyboard.ts";
import { availabilityNote, downgradeNote } from "../format/availability.ts";
import { namingOf, sharingNaming } from "../format/shared_naming.ts";
import { fieldsForType, type FieldSpec, readInput } from "../forms/schema_form.ts";
import type { ProjectSession } from "../stores/project_session.ts";
import { idleRun, selectedTake } from "../stores/runs.ts";
import { TakeThumb } from "./NodeRun.tsx";
import { ASSET_KINDS, type AssetKind } from "../api/types.ts";
import AssetPicker from "./AssetPicker.tsx";
import LiveTextField from "./LiveTextField.tsx";
import ParamField from "./ParamField.tsx";
import RunnerPicker from "./RunnerPicker.tsx";

function NodeInspector(props: { session: ProjectSession; id: string }) {
  const s = props.session;
  const node = () => s.graph.nodes[props.id];
  const type = node()?.type ?? "";
  const def = nodeType(type);
  /** Asset nodes (`asset.character`, …) pick from the library instead of typing an id. */
  const assetKind = (): AssetKind | null => {
    const kind = type.startsWith("asset.") ? type.slice(6) : "";
    return (ASSET_KINDS as readonly string[]).includes(kind) ? kind as AssetKind : null;
  };
  // The asset picker and the runner picker stand in for the raw `assetId`, `workflowAssetId`
  // and `modelConfigAssetId` fields: ids are chosen from the library, never typed.
  const all = fieldsForType(type);
  const runnerParams = all.map((f) => f.key).filter((key) => RUNNER_PARAMS.includes(key));
  const fields = all.filter((f) =>
    !(assetKind() && f.key === "assetId") && !RUNNER_PARAMS.includes(f.key)
  );
  /** What the user entered and the rules refused (never sent), by parameter. */
  const [refused, setRefused] = createStore<Record<string, string | undefined>>({});
  /** Required fields the user emptied: they may say "required" at once. */
  const [emptied, setEmptied] = createStore<Record<string, boolean>>({});
  const errorOf = (spec: FieldSpec): string | undefined => {
    const value = node()?.params[spec.key];
    if (refused[spec.key]) return refused[spec.key];
    const blank = value === undefined || value === null ||
      (typeof value === "string" && value.trim() === "");
    if (spec.required && blank) {
      return emptied[spec.key] || s.attempted(props.id) ? requiredMessage(spec) : undefined;
    }
    // A value kept from before the rules (the room refuses new ones) is still wrong.
    return paramProblem(type, spec.key, value) ?? undefined;
  };
  /** Everything in the way of a run, once Generate was pressed: fields and inputs together. */
  const problems = createMemo(() => {
    if (!s.attempted(props.id)) return [];
    const fromRules = runProblems(s.graph, props.id);
    const typed = Object.entries(refused).filter(([, message]) => message)
      .map(([key, message]) => ({ key, message: message! }));
    return [...typed, ...fromRules.filter((p) => !refused[p.key])];
  });
  const input = (spec: FieldSpec) => (raw: string | boolean, coalesce?: string): boolean => {
    const read = readInput(type, spec, raw);
    if ("error" in read) {
      setRefused(spec.key, read.error);
      return false;
    }
    setRefused(spec.key, undefined);
    if (read.value === null && spec.required) setEmptied(spec.key, true);
    const set = { params: { [spec.key]: read.value } };
    s.engine.edit([{ type: "node.update", id: props.id, set }], coalesce);
    return true;
  };
  const takes = () => s.runs[props.id]?.takes ?? idleRun().takes;
  const chosenId = () => selectedTake(s.runs[props.id] ?? idleRun())?.id;
  let takesHeading: HTMLHeadingElement | undefined;
  /** The node's takes: under the form for editors, first for reviewers (what they came for). */
  const takesList = () => (
    <Show when={def && isExecutable(def)}>
      <h3 ref={takesHeading}>Takes</h3>
      <Show when={takes().length === 0}>
        <p class="muted small" data-testid="inspector-no-takes">No takes yet.</p>
      </Show>
      <Show when={takes().length > 0}>
        <button
          type="button"
          class="small"
          onClick={() => s.openTakes(props.id)}
          data-testid="inspector-open-takes"
        >
          Open the take viewer
        </button>
      </Show>
      <ul class="take-list" data-testid="inspector-takes">
        <For each={takes()}>
          {(take) => (
            <li>
              <TakeThumb
                take={take}
                selected={chosenId() === take.id}
                onOpen={() => s.openTakes(props.id, take.id)}
              />
              <div>
                <div>
                  {take.name}
                  <Show when={chosenId() === take.id}>
                    <span
                      class="selected-badge small"
                      data-testid={`inspector-selected-${take.id}`}
                    >
                      {" "}● selected
                    </span>
                  </Show>
                </div>
                <div class="muted small">
                  {take.lineage.tier} · seed {take.lineage.seed ?? "—"} ·{" "}
                  {new Date(take.createdAt).toLocaleString()}
                </div>
                <Show when={downgradeNote(take.lineage)}>
                  {(text) => (
                    <div class="take-lowered-note" data-testid={`take-lowered-${take.id}`}>
                      {text()}
                    </div>
                  )}
                </Show>
                <details>
                  <summary class="muted small">Parameters</summary>
                  <pre class="params">{JSON.stringify(take.lineage.params, null, 1)}</pre>
                </details>
              </div>
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
  const note = () => availabilityNote(s.availabilityOf(props.id), s.tierOf(props.id));
  /** Other nodes filing takes under this node's scene, shot and version. */
  const sharing = createMemo(() => sharingNaming(s.graph, props.id));
  const naming = () => {
    const n = node();
    return n ? namingOf(n) : null;
  };
  // "Open takes" (the canvas menu): bring them into view.
  createEffect(on(s.takesWanted, () => takesHeading?.scrollIntoView({ block: "start" }), {
    defer: true,
  }));
  return (
    <Show when={node()}>
      {(n) => (
        <div class="inspector-body" data-testid="inspector-node">
          <div class="field">
            <label for="node-title-input">Title</label>
            <LiveTextField
              id="node-title-input"
              testId="inspector-title"
              value={n().title}
              maxLength={200}
              disabled={s.readOnly()}
              changedBy={() => s.changedBy(props.id, "title")}
              send={(title, coalesce) =>
                s.engine.edit([{ type: "node.update", id: props.id, set: { title } }], coalesce)}
              draft={(text) => s.draft(props.id, "title", text)}
            />
          </div>
          <p class="muted small">{def?.title} · {def?.description}</p>
          {/* A node running a library asset: the picker's note says how it runs instead. */}
          <Show
            when={def && isExecutable(def) &&
              !RUNNER_PARAMS.some((key) => typeof n().params[key] === "string")}
          >
            <p class={`run-availability ${note().tone}`} data-testid="inspector-availability">
              {note().text}
            </p>
          </Show>
          <Show when={s.readOnly()}>{takesList()}</Show>
          <Show when={problems().length > 0}>
            <div class="form-problems" role="alert" data-testid="inspector-problems">
              <p>Before this can run:</p>
              <ul>
                <For each={problems()}>{(p) => <li>{p.message}</li>}</For>
              </ul>
            </div>
          </Show>
          <Show when={assetKind()}>
            {(kind) => <AssetPicker session={s} nodeId={props.id} kind={kind()} />}
          </Show>
          <Show when={runnerParams.length > 0}>
            <RunnerPicker session={s} nodeId={props.id} nodeType={type} params={runnerParams} />
          </Show>
          <Show when={sharing().length > 0 && naming()}>
            {(at) => (
              <p class="muted small" data-testid="inspector-shared-naming">
                {at().scene} / {at().shot} v{String(at().version).padStart(2, "0")} is shared with
                {" "}
                {sharing().map((n) => `"${n.title}"`).join(", ")}. Each node numbers its own takes;
                a node filing there after another gets a letter ({at().shot}B,{" "}
                {at().shot}C…), so no take is filed over another.
              </p>
            )}
          </Show>
          <For each={fields}>
            {(spec) => (
              <ParamField
                nodeId={props.id}
                spec={spec}
                value={n().params[spec.key]}
                error={errorOf(spec)}
                disabled={s.readOnly()}
                unused={s.unusedParam(props.id, spec.key)}
                changedBy={() => s.changedBy(props.id, spec.key)}
                onDraft={(text) => s.draft(props.id, spec.key, text)}
                onInput={input(spec)}
              />
            )}
          </For>
          <Show when={!s.readOnly()}>{takesList()}</Show>
        </div>
      )}
    </Show>
  );
}

export default function Inspector(props: { session: ProjectSession }) {
  const s = props.session;
  const selection = () => s.view.selection();
  const edge = () => s.view.selectedEdge();
  return (
    <aside class="inspector" aria-label="Inspector" data-testid="inspector">
      <Switch
        fallback={
          <div class="inspector-body">
            <h3>Canvas</h3>
            <p class="muted small">Select a node to edit its parameters.</p>
            <table class="shortcuts">
              <tbody>
                <For each={SHORTCUTS}>
                  {([keys, what]) => (
                    <tr>
                      <td>{keys}</td>
                      <td class="muted">{what}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        }
      >
        <Match when={selection().length === 1 && selection()[0]} keyed>
          {/* One inspector per node: no field keeps another node's text or focus state. */}
          {(id) => <NodeInspector session={s} id={id} />}
        </Match>
        <Match when={selection().length > 1}>
          <div class="inspector-body" data-testid="inspector-multi">
            <h3>{selection().length} nodes selected</h3>
            <Show when={!s.readOnly()}>
              <button
                type="button"
                class="danger"
                onClick={() => s.engine.run({ kind: "delete" })}
                data-testid="inspector-delete"
              >
                Delete selection
              </button>
            </Show>
          </div>
        </Match>
        <Match when={edge()}>
          <div class="inspector-body" data-testid="inspector-edge">
            <h3>Connection</h3>
            <Show when={s.graph.edges[edge()!]}>
              {(e) => (
                <p class="muted small">
                  {s.graph.nodes[e().from.node]?.title}.{e().from.socket} →{" "}
                  {s.graph.nodes[e().to.node]?.title}.{e().to.socket}
                </p>
              )}
            </Show>
            <Show when={!s.readOnly()}>
              <button
                type="button"
                class="danger"
                onClick={() => s.engine.run({ kind: "delete" })}
                data-testid="inspector-delete"
              >
                Delete connection
              </button>
            </Show>
          </div>
        </Match>
      </Switch>
    </aside>
  );
}
