/**
 * What a take is made of, beside it in the viewer: whether it is the node's selected take (and
 * who chose it), its tier (and why it ran lower), seed, template, the workflow or Docker model
 * (and its version) that ran it, timing, what it read (upstream takes, asset versions), the pool
 * that ran it and its VRAM figure, and its parameters; for editors, "Select this take" and "Use
 * these settings".
 */
import { For, Show } from "solid-js";
import type { TakeInput } from "../../../protocol/jobs.ts";
import { labelFor } from "../../../protocol/param_rules.ts";
import type { Take } from "../api/types.ts";
import { timeAgo } from "../format/activity.ts";
import { downgradeNote } from "../format/availability.ts";
import { inputWords, runnerWords, timingWords } from "../format/take_details.ts";
import type { Choice } from "../stores/runs.ts";
import TakeFleetFacts from "./fleet/TakeFleetFacts.tsx";

/** The upstream take an input names, when the viewer can open it (its node is known). */
function upstreamOf(input: TakeInput): { takeId: string; nodeId: string } | null {
  return input.kind === "take" && input.nodeId
    ? { takeId: input.takeId, nodeId: input.nodeId }
    : null;
}

function valueText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

export default function TakeDetails(props: {
  take: Take;
  /** Where its job's pool and VRAM figure are read from; absent: not shown. */
  projectId?: string;
  /** Whether this is the node's selected take, and the choice behind it (null: the newest). */
  selected: boolean;
  chosen: Choice | null;
  readOnly: boolean;
  onSelect: () => void;
  onUseSettings: () => void;
  /** Opens an upstream take this one read, when the viewer can show it. */
  onOpenInput: (takeId: string, nodeId: string) => void;
}) {
  const t = () => props.take;
  const timing = () => timingWords(t().lineage.timing);
  return (
    <div class="take-details" data-testid="take-details">
      <h3 class="take-name" data-testid="take-name">{t().name}</h3>
      <div class="select-state" data-testid="select-state">
        <Show
          when={props.selected}
          fallback={<span class="muted">Not the selected take</span>}
        >
          <span class="selected-badge">● Selected</span>{" "}
          <span class="muted small">
            {props.chosen
              ? `by ${props.chosen.by}, ${timeAgo(props.chosen.at, Date.now())}`
              : "(the newest take, until someone selects one)"}
          </span>
        </Show>
      </div>
      <Show when={!props.readOnly}>
        <div class="take-actions">
          <button
            type="button"
            class="primary small"
            disabled={props.selected && props.chosen !== null}
            onClick={() => props.onSelect()}
            data-testid="select-take"
          >
            Select this take
          </button>
          <button
            type="button"
            class="small"
            title="Copy this take's parameters and seed to the node"
            onClick={() => props.onUseSettings()}
            data-testid="use-settings"
          >
            Use these settings
          </button>
        </div>
      </Show>
      <dl class="facts">
        <dt>Tier</dt>
        <dd data-testid="take-tier">
          {t().lineage.tier}
          <Show when={downgradeNote(t().lineage)}>
            {(note) => <div class="take-lowered-note">{note()}</div>}
          </Show>
        </dd>
        <dt>Seed</dt>
        <dd data-testid="take-seed">{t().lineage.seed ?? "—"}</dd>
        <dt>Template</dt>
        <dd data-testid="take-template">{t().lineage.template ?? "—"}</dd>
        <Show when={runnerWords(t().lineage)}>
          {(words) => (
            <>
              <dt>Made by</dt>
              <dd data-testid="take-runner">{words()}</dd>
            </>
          )}
        </Show>
        <dt>Queued</dt>
        <dd>{timing().queued}</dd>
        <dt>Waited</dt>
        <dd>{timing().waited}</dd>
        <dt>Ran</dt>
        <dd data-testid="take-ran">{timing().ran}</dd>
        <dt>Finished</dt>
        <dd>{timing().finished}</dd>
        <Show when={props.projectId && t().lineage.jobId} keyed>
          {(jobId) => <TakeFleetFacts projectId={props.projectId!} jobId={jobId} />}
        </Show>
      </dl>
      <h4>Inputs</h4>
      <Show
        when={t().lineage.inputs.length > 0}
        fallback={<p class="muted small">None: it was made from its parameters alone.</p>}
      >
        <ul class="take-inputs" data-testid="take-inputs">
          <For each={t().lineage.inputs}>
            {(input) => (
              <li>
                <span class="muted">{input.socket}:</span>{" "}
                <Show when={upstreamOf(input)} fallback={inputWords(input)}>
                  {(up) => (
                    <button
                      type="button"
                      class="link"
                      onClick={() => props.onOpenInput(up().takeId, up().nodeId)}
                      data-testid={`take-input-${up().takeId}`}
                    >
                      {inputWords(input)}
                    </button>
                  )}
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <h4>Parameters</h4>
      <table class="take-params" data-testid="take-params">
        <tbody>
          <For each={Object.entries(t().lineage.params)}>
            {([key, value]) => (
              <tr>
                <th>{labelFor(key)}</th>
                <td>{valueText(value)}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <a class="small" href={t().url} target="_blank" rel="noopener" data-testid="take-file">
        Open the file
      </a>
    </div>
  );
}
