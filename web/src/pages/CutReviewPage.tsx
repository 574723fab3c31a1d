/**
 * `/review/:projectId/:cutId`: a cut for review, for the team and for guests who came by a
 * share link. The film plays in the take viewer's player (TakeStage): the cut's latest render,
 * else the selected takes of its clips in sequence with their trims and transitions mixed, as
 * the timeline's preview plays them (format/film_mix.ts).
 * Comments are at times of the film (frames at the cut's rate): markers on the time bar and a
 * list beside it (CommentsPanel, as for a take); a click on either seeks there, and C pauses and
 * starts a comment at the frame shown. Live through the project's room like the studio.
 */
import "../zod_without_eval.ts";
import { createMemo, Match, onCleanup, Switch } from "solid-js";
import { cutDuration, DEFAULT_CUT_FORMAT, layoutVideo } from "../../../protocol/cut.ts";
import type { Project } from "../api/types.ts";
import CommentsPanel from "../components/CommentsPanel.tsx";
import { renderVersion } from "../components/CutRenders.tsx";
import { createFilmReview } from "../components/film_review.ts";
import TakeStage, { type FilmSequence } from "../components/TakeStage.tsx";
import { filmLayersAt } from "../format/film_mix.ts";
import ProjectLoader from "../components/ProjectLoader.tsx";
import TopBar from "../components/TopBar.tsx";
import WhatsNew from "../components/WhatsNew.tsx";
import { createProjectSession } from "../stores/project_session.ts";
import { isTyping } from "../components/TakeViewer.tsx";

function CutReview(props: { project: Project; cutId: string }) {
  const s = createProjectSession(props.project);
  void s.load();
  onCleanup(() => s.dispose());
  const cut = () => s.graph.cuts?.[props.cutId];
  /** The newest render of the cut: renders are the cut's takes, newest first. */
  const film = () => s.runs[props.cutId]?.takes[0] ?? null;
  const fps = () => cut()?.format.fps ?? DEFAULT_CUT_FORMAT.fps;
  const review = createFilmReview({
    threads: () => s.review.threadsOf({ cutId: props.cutId }),
    fps,
    moving: () => true,
  });
  /** Without a render: the clips' selected takes in order, each at its trim. */
  const sequence = createMemo((): FilmSequence | null => {
    const c = cut();
    if (!c || film()) return null;
    const clips = layoutVideo(c).clips;
    const rate = c.format.fps;
    // A clip of a deleted node is a gap, as on the timeline.
    const fileOf = (p: (typeof clips)[number]) =>
      (s.graph.nodes[p.clip.nodeId] && s.playedTake(p.clip.nodeId)?.url) || null;
    return {
      fps: rate,
      frames: cutDuration(c),
      layers: (frame) => filmLayersAt(clips, frame, rate, fileOf),
    };
  });
  const moderator = () => (s.you()?.role ?? s.role) !== "reviewer";

  const key = (e: KeyboardEvent) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
    const onButton = e.target instanceof Element && e.target.closest("button, a, select");
    const controls = review.controls();
    if (e.key === "," || e.key === ".") controls?.step(e.key === "," ? -1 : 1);
    else if (e.key === " " && !onButton) controls?.togglePlay();
    else if (e.key === "c" || e.key === "C") review.startComment();
    else return;
    e.preventDefault();
  };
  addEventListener("keydown", key);
  onCleanup(() => removeEventListener("keydown", key));

  return (
    <div class="page review-page cut-review" data-testid="cut-review-page">
      <TopBar>
        <span class="project-title">{props.project.name}</span>
        <WhatsNew session={s} />
      </TopBar>
      <header class="viewer-head">
        <strong class="viewer-title" data-testid="cut-review-title">
          {cut()?.name ?? "Opening the cut…"}
        </strong>
        <span class="muted small" data-testid="cut-review-film">
          {film()
            ? `Render ${renderVersion(film()!)} · ${new Date(film()!.createdAt).toLocaleString()}`
            : cut()
            ? "Not rendered yet: the selected takes play in sequence"
            : ""}
        </span>
        <a class="small viewer-tools" href={`/projects/${props.project.id}`}>Open the project</a>
      </header>
      <div class="viewer-body">
        <Switch
          fallback={
            <p class="muted viewer-empty" data-testid="cut-review-empty">Opening the cut…</p>
          }
        >
          <Match when={film()} keyed>
            {(take) => (
              <TakeStage
                a={take}
                b={null}
                mode="wipe"
                controls={review.bindControls}
                markers={review.markers()}
                onMarker={review.setActive}
                drawing={review.drawing()}
                onDraw={review.drawn}
              />
            )}
          </Match>
          <Match when={sequence()}>
            {(film) => (
              <TakeStage
                a={null}
                sequence={film()}
                b={null}
                mode="wipe"
                controls={review.bindControls}
                markers={review.markers()}
                onMarker={review.setActive}
                drawing={review.drawing()}
                onDraw={review.drawn}
              />
            )}
          </Match>
        </Switch>
        <aside class="review-side" aria-label="Review">
          <CommentsPanel
            review={s.review}
            of={{ kind: "cut", cutId: props.cutId }}
            moderator={moderator()}
            film={review}
          />
        </aside>
      </div>
    </div>
  );
}

export default function CutReviewPage(props: { projectId: string; cutId: string }) {
  return (
    <ProjectLoader projectId={props.projectId}>
      {(p) => <CutReview project={p} cutId={props.cutId} />}
    </ProjectLoader>
  );
}
