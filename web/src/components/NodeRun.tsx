/**
 * The run body of a generation or processing node: tier and Generate (or Cancel), the shared
 * progress bar with message and ETA, the backend's error with Retry, and the newest takes.
 * Marked `data-ui` so its controls get clicks instead of starting a canvas drag.
 */
import { createSignal, For, Match, Show, Switch } from "solid-js";
import { nodeType } from "../../../protocol/nodes.ts";
import type { Tier } from "../../../protocol/tiers.ts";
import type { Take } from "../api/types.ts";
import { formatEta, idleRun } from "../stores/runs.ts";
import type { ProjectSession } from "../stores/project_session.ts";

/** How many takes fit in the strip; the inspector lists them all. */
const STRIP = 4;

export function TakeThumb(props: { take: Take }) {
  const t = props.take;
  const kind = t.contentType.split("/")[0];
  const caption = `${t.name} · ${t.lineage.tier}${
    t.lineage.seed === null ? "" : ` · seed ${t.lineage.seed}`
  }`;
  return (
    <a
      class="take"
      href={t.url}
      target="_blank"
      rel="noopener"
      title={caption}
      data-testid={`take-${t.id}`}
    >
      <Switch fallback={<span class="take-icon">{t.ext}</span>}>
        <Match when={kind === "image"}>
          <img src={t.url} alt={t.name} loading="lazy" decoding="async" />
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
        <Match when={kind === "audio"}>
          <span class="take-icon">♪</span>
        </Match>
      </Switch>
    </a>
  );
}

export default function NodeRun(props: { session: ProjectSession; id: string }) {
  const s = props.session;
  const run = () => s.runs[props.id] ?? idleRun();
  const def = nodeType(s.graph.nodes[props.id]?.type ?? "");
  const tiers = def?.tiers ?? [];
  const [tier, setTier] = createSignal<Tier>(
    tiers.includes("standard") ? "standard" : tiers[0] ?? "standard",
  );
  const busy = () => run().phase === "queued" || run().phase === "running";
  // After a failure the same job runs again (same inputs, fresh attempts); a request the edge
  // refused made no job, so that one is sent anew.
  const retrying = () => run().phase === "failed" && run().jobId !== null;

  return (
    <div class="node-run" data-ui>
      <div class="run-controls">
        <select
          class="tier"
          value={tier()}
          onChange={(e) => setTier(e.currentTarget.value as Tier)}
          disabled={s.readOnly() || tiers.length < 2}
          aria-label="Quality tier"
          data-testid={`tier-${props.id}`}
        >
          <For each={tiers}>{(t) => <option value={t}>{t}</option>}</For>
        </select>
        <Show
          when={busy()}
          fallback={
            <button
              type="button"
              class="primary small"
              disabled={s.readOnly()}
              onClick={() => void (retrying() ? s.retry(props.id) : s.generate(props.id, tier()))}
              data-testid={`generate-${props.id}`}
            >
              {retrying() ? "Retry" : "Generate"}
            </button>
          }
        >
          <button
            type="button"
            class="small"
            disabled={s.readOnly()}
            onClick={() => void s.cancel(props.id)}
            data-testid={`cancel-${props.id}`}
          >
            Cancel
          </button>
        </Show>
      </div>
      <Switch>
        <Match when={busy()}>
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
          <div class="run-message" title={run().message}>
            <span>{run().message || "queued"}</span>
            <span class="muted">{formatEta(run().eta)}</span>
          </div>
        </Match>
        <Match when={run().phase === "failed"}>
          <div class="run-error" title={run().error ?? ""} data-testid={`error-${props.id}`}>
            {run().error}
          </div>
        </Match>
      </Switch>
      <Show when={!busy() && run().phase !== "failed"}>
        <div
          class="takes"
          title={run().phase === "canceled" ? run().message : undefined}
          data-testid={`takes-${props.id}`}
        >
          <For each={run().takes.slice(0, STRIP)}>{(take) => <TakeThumb take={take} />}</For>
          <Show when={run().takes.length === 0}>
            <span class="muted">{run().phase === "canceled" ? run().message : "No takes yet"}</span>
          </Show>
          <Show when={run().takes.length > STRIP}>
            <span class="muted">+{run().takes.length - STRIP}</span>
          </Show>
        </div>
      </Show>
    </div>
  );
}
