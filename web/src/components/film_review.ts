/**
 * The review state a player keeps beside its comments, shared by the take viewer and the cut's
 * review page (one player, TakeStage, serves both): the comment being written (where, and what
 * is drawn), drawing mode, the thread picked, the markers the stage shows, C to pause and start
 * a comment at the frame shown, and a thread's timecode seeking there.
 */
import { createSignal } from "solid-js";
import type { Comment } from "../../../protocol/review.ts";
import type { CommentDraft } from "./CommentsPanel.tsx";
import type { StageControls, StageMarker } from "./TakeStage.tsx";

export function createFilmReview(film: {
  /** The threads of what plays (a take's or a cut's). */
  threads: () => { thread: Comment }[];
  /** The frame rate comments are counted at. */
  fps: () => number;
  /** Whether what plays has frames (a video; an image has none). */
  moving: () => boolean;
}) {
  let controls: StageControls | null = null;
  let composer: HTMLTextAreaElement | undefined;
  const [draft, setDraft] = createSignal<CommentDraft | null>(null);
  const [drawing, setDrawing] = createSignal(false);
  const [active, setActive] = createSignal<string | null>(null);

  const frameShown = () => (film.moving() ? controls?.frame() ?? null : null);
  /** A new comment starts where the picture is now: the paused frame of a video. */
  function startComment(): void {
    controls?.pause();
    setDraft({ frame: frameShown(), fps: Math.round(film.fps()), shape: draft()?.shape ?? null });
    composer?.focus();
  }
  function markers(): StageMarker[] {
    const list: StageMarker[] = film.threads().map(({ thread }) => ({
      id: thread.id,
      frame: thread.target.kind === "node" ? null : thread.target.frame,
      shape: thread.target.kind === "node" ? null : thread.target.shape,
      resolved: thread.resolvedAt !== null,
      active: active() === thread.id,
    }));
    const d = draft();
    if (d?.shape) {
      list.push({ id: "draft", frame: d.frame, shape: d.shape, resolved: false, active: true });
    }
    return list;
  }
  function seekTo(comment: Comment): void {
    if (comment.target.kind !== "node" && comment.target.frame !== null) {
      controls?.seek(comment.target.frame);
    }
    setActive(comment.id);
  }
  return {
    draft,
    setDraft,
    drawing,
    active,
    setActive,
    startComment,
    markers,
    seekTo,
    /** Forgets what was being written and picked (another take is shown). */
    reset(): void {
      setDraft(null);
      setDrawing(false);
      setActive(null);
    },
    /** For TakeStage's `controls`. */
    bindControls: (c: StageControls) => (controls = c),
    controls: () => controls,
    /** For TakeStage's `onDraw`: the drawn shape, at the frame shown. */
    drawn(shape: NonNullable<CommentDraft["shape"]>): void {
      controls?.pause();
      setDraft({ frame: frameShown(), fps: Math.round(film.fps()), shape });
      setDrawing(false);
      composer?.focus();
    },
    /** For CommentsPanel's `onDrawing`: drawing pauses the picture. */
    toggleDrawing(on: boolean): void {
      if (on) controls?.pause();
      setDrawing(on);
    },
    /** For CommentsPanel's `composer`: focusing the box starts a comment where the picture is. */
    bindComposer(el: HTMLTextAreaElement): void {
      composer = el;
      el.addEventListener("focus", () => {
        if (!draft()) startComment();
      });
    },
  };
}

export type FilmReview = ReturnType<typeof createFilmReview>;
