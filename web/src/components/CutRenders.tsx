/**
 * A cut's renders, in the timeline: Render (editors and owners; a reviewer sees why not), the
 * render's progress live for everyone in the room (a render is a job of the cut, its events
 * arrive under the cut's id like a node's), and the cut's films newest first (version, date,
 * poster) to play in the timeline's preview or download. A film is a take of the cut, so the
 * session's runs hold them like a node's takes.
 */
import { createEffect, createSignal, For, Match, Show, Switch } from "solid-js";
import type { Take } from "../api/types.ts";
import { idleRun } from "../stores/runs.ts";
import type { ProjectSession } from "../stores/project_session.ts";

/** "v03", the render's version in its cut's folder. */
export const renderVersion = (take: Take) => `v${String(take.version).padStart(2, "0")}`;

export default function CutRenders(props: {
  session: ProjectSession;
  cutId: string;
  /** The film playing in the preview, if any. */
  watching: Take | null;
  watch: (take: Take) => void;
}) {
  const s = props.session;
  const run = () => s.runs[props.cutId] ?? idleRun();
  const busy = () => run().phase === "queued" || run().phase === "running";
  /** The newest film when this user pressed Render: the next one plays here when it arrives. */
  const [awaiting, setAwaiting] = createSignal<{ cutId: string; newest?: string } | null>(null);
  createEffect(() => {
    const wait = awaiting();
    if (!wait) return;
    const ended = run().phase === "failed" || run().phase === "canceled";
    if (wait.cutId !== props.cutId || ended) return setAwaiting(null);
    const newest = run().takes[0];
    if (newest && newest.id !== wait.newest) {
      setAwaiting(null);
      props.watch(newest);
    }
  });
  const render = () => {
    setAwaiting({ cutId: props.cutId, newest: run().takes[0]?.id });
    void s.render(props.cutId);
  };

  return (
    <div class="cut-renders" data-testid="cut-renders">
      <button
        type="button"
        class="primary small"
        disabled={s.readOnly() || busy()}
        title={s.readOnly()
          ? "Reviewers watch renders; editors and owners make them"
          : "Render the cut as it is now into a film"}
        onClick={render}
        data-testid="render-cut"
      >
        Render
      </button>
      <Switch>
        <Match when={busy()}>
          <div class="render-status" data-testid="render-status">
            <div
              class="progress"
              role="progressbar"
              aria-valuenow={run().percent}
              aria-valuemin={0}
              aria-valuemax={100}
              data-testid="render-progress"
            >
              <div class="progress-bar" style={{ width: `${run().percent}%` }} />
            </div>
            <span class="small" title={run().message} data-testid="render-message">
              {run().message || "queued"}
              <Show when={run().phase === "running"}>{` · ${Math.round(run().percent)}%`}</Show>
            </span>
            <button
              type="button"
              class="small"
              disabled={s.readOnly()}
              onClick={() => void s.cancel(props.cutId)}
              data-testid="render-cancel"
            >
              Cancel
            </button>
          </div>
        </Match>
        <Match when={run().phase === "failed"}>
          <span class="small danger-text" data-testid="render-error">
            Render failed: {run().error}
          </span>
        </Match>
        <Match when={run().phase === "canceled"}>
          <span class="muted small" data-testid="render-canceled">Render {run().message}</span>
        </Match>
        <Match when={s.readOnly()}>
          <span class="muted small" data-testid="render-why">
            Reviewers watch renders; editors and owners make them.
          </span>
        </Match>
      </Switch>
      <a
        class="small"
        href={`/review/${s.project.id}/${props.cutId}`}
        title="The cut's film on its own page, with its comments, for the team and reviewers"
        data-testid="cut-review-link"
      >
        Review page
      </a>
      <div class="render-list" data-testid="render-list">
        <For
          each={run().takes}
          fallback={<span class="muted small">No render of this cut yet.</span>}
        >
          {(take) => (
            <div
              class="render-item"
              classList={{ watching: props.watching?.id === take.id }}
              data-testid={`render-${take.id}`}
            >
              <button
                type="button"
                class="render-play"
                title={`Play ${take.name}`}
                onClick={() => props.watch(take)}
                data-testid={`render-play-${take.id}`}
              >
                <Show when={take.posterUrl} fallback={<span class="render-poster" />}>
                  <img class="render-poster" src={take.posterUrl!} alt="" loading="lazy" />
                </Show>
                <span class="render-label">
                  <strong>{renderVersion(take)}</strong>
                  <span class="muted">{new Date(take.createdAt).toLocaleString()}</span>
                </span>
              </button>
              <a
                class="render-download"
                href={take.url}
                download={take.name}
                title={`Download ${take.name}`}
                data-testid={`render-download-${take.id}`}
              >
                ↓
              </a>
            </div>
          )}
        </For>
      </div>
    </div>
  );
}
