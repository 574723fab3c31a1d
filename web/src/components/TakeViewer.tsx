/**
 * The take viewer: a node's takes, one large (TakeStage) with what it is made of beside it
 * (TakeDetails) and all of the node's takes in a strip below, the selected one marked. Compare
 * puts a second take beside or under the first (A/B wipe). Keys: , and . step a frame, Space
 * plays, F goes full screen, Escape closes, C pauses and starts a comment at the frame shown.
 * Beside the details: decisions and comments (markers on the scrub bar, shapes on the picture).
 * On a phone it is a full-screen sheet. Opened from a node card's takes, the inspector's and the
 * canvas menu's "Open takes".
 */
import { createEffect, createMemo, createSignal, For, on, onCleanup, Show } from "solid-js";
import type { Take } from "../api/types.ts";
import { fpsOf } from "../format/frames.ts";
import CommentsPanel from "./CommentsPanel.tsx";
import { createFilmReview } from "./film_review.ts";
import DecisionBar from "./DecisionBar.tsx";
import type { ProjectSession } from "../stores/project_session.ts";
import { idleRun, selectedTake } from "../stores/runs.ts";
import TakeDetails from "./TakeDetails.tsx";
import TakeStage, { type CompareMode } from "./TakeStage.tsx";
import { TakeThumb } from "./NodeRun.tsx";

/** Keys typed into a field are the field's (a range slider's are the player's). */
export function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement &&
    (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) &&
        !(target instanceof HTMLInputElement && target.type === "range"));
}

function Viewer(props: { session: ProjectSession; nodeId: string; takeId: string | null }) {
  const s = props.session;
  const run = () => s.runs[props.nodeId] ?? idleRun();
  const takes = () => run().takes;
  const node = () => s.graph.nodes[props.nodeId];
  const [currentId, setCurrentId] = createSignal(props.takeId ?? selectedTake(run())?.id ?? null);
  const [compareId, setCompareId] = createSignal<string | null>(null);
  const [mode, setMode] = createSignal<CompareMode>("wipe");
  const current = createMemo(() =>
    takes().find((t) => t.id === currentId()) ?? selectedTake(run()) ?? null
  );
  const compared = createMemo(() =>
    compareId() === current()?.id ? null : takes().find((t) => t.id === compareId()) ?? null
  );
  const isSelected = (take: Take) => selectedTake(run())?.id === take.id;
  let root!: HTMLDivElement;
  const moderator = () => (s.you()?.role ?? s.role) !== "reviewer";
  const film = createFilmReview({
    threads: () => {
      const take = current();
      return take ? s.review.threadsOf({ takeId: take.id }) : [];
    },
    fps: () => {
      const take = current();
      return take ? fpsOf(take).fps : 0;
    },
    moving: () => current()?.contentType.startsWith("video/") ?? false,
  });
  // Another take: what was being drawn belonged to the last one.
  createEffect(on(() => current()?.id, () => film.reset(), { defer: true }));

  async function fullScreen(): Promise<void> {
    if (document.fullscreenElement) await document.exitFullscreen().catch(() => {});
    else await root.requestFullscreen().catch(() => {});
  }

  const key = (e: KeyboardEvent) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
    const onButton = e.target instanceof Element && e.target.closest("button, a, select");
    if (e.key === "," || e.key === ".") film.controls()?.step(e.key === "," ? -1 : 1);
    else if (e.key === " " && !onButton) film.controls()?.togglePlay();
    else if (e.key === "f" || e.key === "F") void fullScreen();
    else if (e.key === "c" || e.key === "C") {
      if (current()) film.startComment();
    } else if (e.key === "Escape" && !document.fullscreenElement) s.closeViewer();
    else return;
    e.preventDefault();
  };
  addEventListener("keydown", key);
  onCleanup(() => removeEventListener("keydown", key));
  // The dialog takes the keyboard (the canvas leaves keys in a dialog alone).
  createEffect(() => root?.focus({ preventScroll: true }));

  return (
    <div
      ref={root}
      class="take-viewer"
      role="dialog"
      aria-modal="true"
      aria-label={`Takes of ${node()?.title ?? "a node"}`}
      tabindex="-1"
      data-testid="take-viewer"
    >
      <header class="viewer-head">
        <strong class="viewer-title">{node()?.title ?? "Deleted node"}</strong>
        <span class="muted small">{takes().length} takes</span>
        <div class="viewer-tools">
          <label class="small compare-pick">
            Compare with{" "}
            <select
              value={compareId() ?? ""}
              onChange={(e) => setCompareId(e.currentTarget.value || null)}
              data-testid="compare-with"
            >
              <option value="">— nothing —</option>
              <For each={takes().filter((t) => t.id !== current()?.id)}>
                {(t) => <option value={t.id}>{t.name}</option>}
              </For>
            </select>
          </label>
          <Show when={compared()}>
            <div class="segmented" role="group" aria-label="Compare as">
              <button
                type="button"
                class="small"
                classList={{ active: mode() === "wipe" }}
                aria-pressed={mode() === "wipe"}
                onClick={() => setMode("wipe")}
                data-testid="mode-wipe"
              >
                A/B wipe
              </button>
              <button
                type="button"
                class="small"
                classList={{ active: mode() === "side" }}
                aria-pressed={mode() === "side"}
                onClick={() => setMode("side")}
                data-testid="mode-side"
              >
                Side by side
              </button>
            </div>
          </Show>
          <Show when={current()}>
            <a
              class="small"
              href={`/review/${s.project.id}/take/${current()!.id}`}
              title="This take on its own page, to share with the team"
              data-testid="review-page-link"
            >
              Review page
            </a>
          </Show>
          <button
            type="button"
            class="small ghost"
            onClick={() => void fullScreen()}
            title="Full screen (F)"
            data-testid="fullscreen"
          >
            Full screen
          </button>
          <button
            type="button"
            class="small ghost"
            onClick={() => s.closeViewer()}
            aria-label="Close"
            title="Close (Esc)"
            data-testid="viewer-close"
          >
            ✕
          </button>
        </div>
      </header>
      <Show
        when={current()}
        fallback={<p class="muted viewer-empty">No takes yet: Generate makes the first.</p>}
        keyed
      >
        {(take) => (
          <div class="viewer-body">
            <TakeStage
              a={take}
              b={compared()}
              mode={mode()}
              controls={film.bindControls}
              markers={film.markers()}
              onMarker={film.setActive}
              drawing={film.drawing()}
              onDraw={film.drawn}
            />
            <TakeDetails
              take={take}
              projectId={s.project.id}
              selected={isSelected(take)}
              chosen={run().chosen}
              readOnly={s.readOnly()}
              onSelect={() => void s.selectTake(props.nodeId, take.id)}
              onUseSettings={() => s.useSettings(props.nodeId, take)}
              onOpenInput={(takeId, nodeId) => s.openTakes(nodeId, takeId)}
            />
            <aside class="review-side" aria-label="Review">
              <DecisionBar review={s.review} takeId={take.id} />
              <CommentsPanel
                review={s.review}
                of={{ kind: "take", takeId: take.id }}
                moderator={moderator()}
                film={film}
              />
            </aside>
          </div>
        )}
      </Show>
      <div class="viewer-strip" data-testid="viewer-strip">
        <For each={takes()}>
          {(t) => (
            <div class="strip-item" classList={{ current: t.id === current()?.id }}>
              <TakeThumb
                take={t}
                selected={isSelected(t)}
                onOpen={() => setCurrentId(t.id)}
                testId={`strip-${t.id}`}
              />
              <span class="strip-name">{t.name.replace(/\.[a-z0-9]+$/, "")}</span>
            </div>
          )}
        </For>
      </div>
    </div>
  );
}

export default function TakeViewer(props: { session: ProjectSession }) {
  return (
    <Show when={props.session.viewer()} keyed>
      {(v) => <Viewer session={props.session} nodeId={v.nodeId} takeId={v.takeId} />}
    </Show>
  );
}
