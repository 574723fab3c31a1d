/**
 * The run body of a generation or processing node. Before a run: the tier, Generate, and whether
 * an agent online can run it at that tier (and why not); what keeps it from running, once
 * Generate was pressed. During a run: the shared progress bar with Cancel beside it (never in
 * Generate's place, so a double click cannot cancel and start again), the message and ETA, a
 * downgrade and why, and the backend's preview frame. After: the backend's error with Retry,
 * or the newest takes, the selected one ringed (a click opens the take viewer). Notes cut short on the card open in full on click.
 * Marked `data-ui` so its controls get clicks instead of starting a canvas drag.
 */
import { createMemo, For, Match, Show, Switch } from "solid-js";
import { nodeType } from "../../../protocol/nodes.ts";
import { runProblems } from "../../../protocol/run_readiness.ts";
import type { Tier } from "../../../protocol/tiers.ts";
import type { Take } from "../api/types.ts";
import { availabilityNote, downgradeNote } from "../format/availability.ts";
import { decisionLine } from "../format/review.ts";
import { formatEta, idleRun, selectedTake } from "../stores/runs.ts";
import RunPlacement from "./fleet/RunPlacement.tsx";
import RunNote from "./RunNote.tsx";
import type { ProjectSession } from "../stores/project_session.ts";

/** How many takes fit in the strip; the inspector lists them all. */
const STRIP = 4;

/**
 * A take's thumbnail: opens the take viewer. The node's selected ("circled") take is ringed.
 */
export function TakeThumb(
  props: { take: Take; selected: boolean; onOpen: () => void; testId?: string },
) {
  const t = props.take;
  const kind = t.contentType.split("/")[0];
  const lowered = downgradeNote(t.lineage);
  const caption = `${t.name} · ${t.lineage.tier}${
    t.lineage.seed === null ? "" : ` · seed ${t.lineage.seed}`
  }${lowered ? ` · ${lowered}` : ""}${props.selected ? " · selected" : ""}`;
  // Audio plays where it is shown: a player, not a link to open elsewhere.
  if (kind === "audio") {
    return (
      <div
        class="take take-audio"
        classList={{ chosen: props.selected }}
        title={caption}
        data-testid={props.testId ?? `take-${t.id}`}
        data-selected={props.selected ? "true" : undefined}
      >
        <audio controls preload="metadata" src={t.url} aria-label={caption} />
      </div>
    );
  }
  return (
    <button
      type="button"
      class="take"
      classList={{ chosen: props.selected }}
      title={caption}
      aria-label={`Open ${t.name}${props.selected ? " (selected)" : ""}`}
      aria-current={props.selected ? "true" : undefined}
      onClick={() => props.onOpen()}
      data-testid={props.testId ?? `take-${t.id}`}
      data-selected={props.selected ? "true" : undefined}
    >
      <Switch fallback={<span class="take-icon">{t.ext}</span>}>
        <Match when={kind === "image"}>
          <img src={t.url} alt={t.name} loading="lazy" decoding="async" draggable={false} />
        </Match>
        <Match when={kind === "video"}>
          {/* The poster shows at once; the video loads only when hovered to play. */}
          <video
            src={t.url}
            poster={t.posterUrl ?? undefined}
            muted
            loop
            preload={t.posterUrl ? "none" : "metadata"}
            onMouseEnter={(e) => void e.currentTarget.play().catch(() => {})}
            onMouseLeave={(e) => e.currentTarget.pause()}
          />
        </Match>
      </Switch>
      <Show when={lowered}>
        <span class="take-lowered" aria-label={lowered!}>↓</span>
      </Show>
      <Show when={props.selected}>
        <span class="take-chosen" aria-hidden="true">●</span>
      </Show>
    </button>
  );
}

export default function NodeRun(props: { session: ProjectSession; id: string }) {
  const s = props.session;
  const run = () => s.runs[props.id] ?? idleRun();
  const def = nodeType(s.graph.nodes[props.id]?.type ?? "");
  const tiers = def?.tiers ?? [];
  const busy = () => run().phase === "queued" || run().phase === "running";
  // After a failure the same job runs again (same inputs, fresh attempts); a request the edge
  // refused made no job, so that one is sent anew.
  const retrying = () => run().phase === "failed" && run().jobId !== null;
  /** A node that runs a library workflow runs at the workflow's tier, whatever is chosen here. */
  const workflow = () => typeof s.graph.nodes[props.id]?.params.workflowAssetId === "string";
  const note = createMemo(() => availabilityNote(s.availabilityOf(props.id), s.tierOf(props.id)));
  // Only after Generate was pressed with something missing: before that, nothing is wrong yet.
  const problems = createMemo(() =>
    s.attempted(props.id) ? runProblems(s.graph, props.id).map((p) => p.message) : []
  );

  return (
    <div class="node-run" data-ui>
      <div class="run-controls">
        <select
          class="tier"
          value={s.tierOf(props.id)}
          onChange={(e) => s.setTier(props.id, e.currentTarget.value as Tier)}
          disabled={s.readOnly() || tiers.length < 2 || workflow()}
          aria-label="Quality tier"
          data-testid={`tier-${props.id}`}
        >
          <For each={tiers}>{(t) => <option value={t}>{t}</option>}</For>
        </select>
        <button
          type="button"
          class="primary small"
          disabled={s.readOnly() || busy()}
          onClick={() => void (retrying() ? s.retry(props.id) : s.generate(props.id))}
          data-testid={`generate-${props.id}`}
        >
          {retrying() ? "Retry" : "Generate"}
        </button>
      </div>
      <Switch
        fallback={
          <RunNote text={note().text} tone={note().tone} testId={`availability-${props.id}`} />
        }
      >
        <Match when={busy()}>
          <div class="progress-row">
            <div
              class="progress"
              data-testid={`progress-${props.id}`}
              role="progressbar"
              aria-valuenow={run().percent}
              aria-valuemin={0}
              aria-valuemax={100}
            >
              <div class="progress-bar" style={{ width: `${run().percent}%` }} />
            </div>
            <button
              type="button"
              class="small"
              disabled={s.readOnly()}
              onClick={() => void s.cancel(props.id)}
              data-testid={`cancel-${props.id}`}
            >
              Cancel
            </button>
          </div>
        </Match>
        <Match when={problems().length > 0}>
          <RunNote
            text={`Before this can run: ${problems().join("; ")}`}
            tone="problem"
            testId={`problems-${props.id}`}
          />
        </Match>
      </Switch>
      <Switch
        fallback={
          <div
            class="takes"
            title={run().phase === "canceled" ? run().message : undefined}
            data-testid={`takes-${props.id}`}
          >
            <For each={run().takes.slice(0, STRIP)}>
              {(take) => (
                <TakeThumb
                  take={take}
                  selected={selectedTake(run())?.id === take.id}
                  onOpen={() => s.openTakes(props.id, take.id)}
                />
              )}
            </For>
            <Show when={run().takes.length === 0}>
              <span class="muted">
                {run().phase === "canceled" ? run().message : "No takes yet"}
              </span>
            </Show>
            <Show when={s.review.decisionsOfNode(props.id)[0]} keyed>
              {(latest) => (
                <span
                  class={`decision-note decision-${latest.decision}`}
                  title={s.review.decisionsOfNode(props.id).map(decisionLine).join("\n")}
                  data-testid={`decision-${props.id}`}
                >
                  {decisionLine(latest)}
                </span>
              )}
            </Show>
            <Show when={run().takes.length > STRIP}>
              <button
                type="button"
                class="link small"
                onClick={() => s.openTakes(props.id)}
                data-testid={`more-takes-${props.id}`}
              >
                +{run().takes.length - STRIP}
              </button>
            </Show>
          </div>
        }
      >
        <Match when={busy()}>
          <div class="run-live">
            <Show when={run().jobId && run().previewAt}>
              <img
                class="run-preview"
                src={s.previewUrl(run().jobId!, run().previewAt!)}
                alt="Preview of the run"
                data-testid={`preview-${props.id}`}
              />
            </Show>
            <div class="run-status">
              <div class="run-message" title={run().message}>
                <span>{run().message || "queued"}</span>
                <span class="muted">{formatEta(run().eta)}</span>
              </div>
              <Show when={run().rationale}>
                <RunNote text={run().rationale!} tone="lower" testId={`downgrade-${props.id}`} />
              </Show>
              <RunPlacement run={run()} id={props.id} />
            </div>
          </div>
        </Match>
        <Match when={run().phase === "failed"}>
          <RunNote text={run().error ?? ""} tone="error" testId={`error-${props.id}`} />
        </Match>
      </Switch>
    </div>
  );
}
