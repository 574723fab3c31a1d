/**
 * The take viewer's picture: one take large, or two compared (an A/B wipe, whose divider is
 * dragged or set by its slider, or side by side). Video gets a transport: play, a scrub bar in
 * frames, frame step (buttons, or the viewer's , and . keys) and the frame and timecode shown.
 * With two videos, B follows A: one set of controls drives both. Review: comments show as
 * markers on the scrub bar (a click seeks there), their shapes are drawn on the picture, and in
 * drawing mode a drag on A draws a rectangle (normalised to the picture, letterbox excluded).
 * A film of several files (a cut without a render: its selected takes in sequence, transitions
 * mixed) plays through the same transport, frames and markers, on a clock of its own that drives
 * two stacked video elements (film_layers.ts, as the timeline's preview does).
 */
import { createEffect, createSignal, For, Match, onCleanup, Show, Switch } from "solid-js";
import { timecode } from "../../../protocol/cut.ts";
import type { CommentShape } from "../../../protocol/review.ts";
import type { Take } from "../api/types.ts";
import type { FilmLayer } from "../format/film_mix.ts";
import { fpsOf, frameAt, frameCount, timeOfFrame } from "../format/frames.ts";
import { showLayers } from "./film_layers.ts";
import { type Box, pictureBox, shapeBetween } from "../format/shapes.ts";

export type CompareMode = "wipe" | "side";

/** What the viewer's keys drive. */
export interface StageControls {
  step(frames: number): void;
  togglePlay(): void;
  /** Stops a playing video (comments are written on a still frame). */
  pause(): void;
  /** The frame on screen, or null for a picture without frames (an image). */
  frame(): number | null;
  seek(frame: number): void;
}

/** A comment as the stage shows it: a marker at its frame, its shape while that frame shows. */
export interface StageMarker {
  id: string;
  frame: number | null;
  shape: CommentShape | null;
  resolved: boolean;
  /** The one being written or picked: drawn brighter. */
  active?: boolean;
}

/** A film played from several files in order: what shows at each of its frames. */
export interface FilmSequence {
  fps: number;
  frames: number;
  /** The files, times in them and looks that make film frame `frame`; none: black (a gap). */
  layers(frame: number): FilmLayer[];
}

const kindOf = (take: Take | null) => (take ? take.contentType.split("/")[0] : "video");

function Media(props: {
  take: Take;
  role: "a" | "b";
  video?: (el: HTMLVideoElement) => void;
  /** The picture's size is known (its box can be measured). */
  onLoad?: () => void;
}) {
  return (
    <Switch fallback={<div class="stage-file">{props.take.name}</div>}>
      <Match when={kindOf(props.take) === "image"}>
        <img
          class="stage-media"
          src={props.take.url}
          alt={props.take.name}
          draggable={false}
          onLoad={() => props.onLoad?.()}
          data-testid={`stage-${props.role}`}
        />
      </Match>
      <Match when={kindOf(props.take) === "video"}>
        <video
          ref={(el) => props.video?.(el)}
          class="stage-media"
          src={props.take.url}
          preload="auto"
          playsinline
          // B is for looking at: A carries the sound.
          muted={props.role === "b"}
          onLoadedMetadata={() => props.onLoad?.()}
          data-testid={`stage-${props.role}`}
        />
      </Match>
      <Match when={kindOf(props.take) === "audio"}>
        <audio src={props.take.url} controls data-testid={`stage-${props.role}`} />
      </Match>
    </Switch>
  );
}

export default function TakeStage(props: {
  /** The take shown; null with a `sequence`. */
  a: Take | null;
  /** Plays these files in order instead of `a` (a cut without a render). */
  sequence?: FilmSequence;
  b: Take | null;
  mode: CompareMode;
  controls: (controls: StageControls) => void;
  markers?: StageMarker[];
  onMarker?: (id: string) => void;
  /** While true, a drag on the picture draws a rectangle and hands it to `onDraw`. */
  drawing?: boolean;
  onDraw?: (shape: CommentShape) => void;
}) {
  let videoA: HTMLVideoElement | undefined;
  let videoB: HTMLVideoElement | undefined;
  /** A sequence's second picture: the incoming take during a transition. */
  let videoMix: HTMLVideoElement | undefined;
  const fps = () => props.sequence ? { fps: props.sequence.fps, known: true } : fpsOf(props.a!);
  const [time, setTime] = createSignal(0);
  const [duration, setDuration] = createSignal(0);
  const [playing, setPlaying] = createSignal(false);
  const [wipe, setWipe] = createSignal(50);
  /** A sequence's film frame (fractional while it plays); its clock, not a file's, leads. */
  const [filmFrame, setFilmFrame] = createSignal(0);
  const frame = () => props.sequence ? Math.floor(filmFrame()) : frameAt(time(), fps().fps);
  const frames = () =>
    props.sequence ? Math.max(1, props.sequence.frames) : frameCount(duration(), fps().fps);

  /** Keeps B on A's picture (a drift under half a frame is left alone). */
  function follow(): void {
    if (!videoA || !videoB) return;
    if (Math.abs(videoB.currentTime - videoA.currentTime) > 0.5 / fps().fps) {
      videoB.currentTime = videoA.currentTime;
    }
  }

  function seekFrame(target: number): void {
    if (props.sequence) {
      stopFilm();
      setFilmFrame(Math.min(Math.max(0, Math.round(target)), frames() - 1));
      return;
    }
    if (!videoA) return;
    const f = Math.min(Math.max(0, Math.round(target)), frames() - 1);
    videoA.pause();
    videoB?.pause();
    videoA.currentTime = timeOfFrame(f, fps().fps);
    if (videoB) videoB.currentTime = videoA.currentTime;
    setTime(videoA.currentTime);
  }

  const controls: StageControls = {
    step: (n) => seekFrame(frame() + n),
    pause() {
      if (props.sequence) return stopFilm();
      videoA?.pause();
      videoB?.pause();
      // The frame it stopped on, now: a comment started at the pause is at this frame, not at
      // the one the last painted tick read (the pause event comes later).
      if (videoA) setTime(videoA.currentTime);
      follow();
    },
    frame: () => (videoA ? Math.min(frame(), frames() - 1) : null),
    seek: (f) => seekFrame(f),
    togglePlay() {
      if (props.sequence) return playing() ? stopFilm() : playFilm();
      if (!videoA) return;
      if (videoA.paused) {
        void videoA.play().catch(() => {});
        void videoB?.play().catch(() => {});
      } else {
        videoA.pause();
        videoB?.pause();
        follow();
      }
    },
  };
  props.controls(controls);

  /** While A plays, the frame counter follows every painted frame. */
  let raf = 0;
  const tick = () => {
    if (!videoA) return;
    setTime(videoA.currentTime);
    follow();
    if (!videoA.paused) raf = requestAnimationFrame(tick);
  };
  onCleanup(() => cancelAnimationFrame(raf));

  // ---------------------------------------------------------------- a sequence's clock
  let last = 0;
  const filmTick = (t: number) => {
    const next = filmFrame() + (last ? ((t - last) / 1000) * fps().fps : 0);
    last = t;
    if (next >= frames()) {
      setFilmFrame(frames() - 1);
      return stopFilm();
    }
    setFilmFrame(next);
    raf = requestAnimationFrame(filmTick);
  };
  function playFilm(): void {
    if (filmFrame() >= frames() - 1) setFilmFrame(0);
    setPlaying(true);
    cancelAnimationFrame(raf);
    last = 0;
    raf = requestAnimationFrame(filmTick);
  }
  function stopFilm(): void {
    cancelAnimationFrame(raf);
    setPlaying(false);
    setFilmFrame(Math.floor(filmFrame()));
  }
  /** The videos show the sequence's frame: its files, at their times, mixed in a transition. */
  createEffect(() => {
    const film = props.sequence;
    if (!film || !videoA || !videoMix) return;
    const speed = playing() ? 1 : 0;
    showLayers([videoA, videoMix], film.layers(frame()), { speed, fps: film.fps }, "stage-a");
  });

  function bindA(el: HTMLVideoElement): void {
    videoA = el;
    if (props.sequence) return; // its clock leads, not the file's events
    const read = () => {
      setDuration(el.duration);
      setTime(el.currentTime);
    };
    el.addEventListener("loadedmetadata", read);
    el.addEventListener("durationchange", read);
    el.addEventListener("seeked", () => setTime(el.currentTime));
    el.addEventListener("play", () => {
      setPlaying(true);
      cancelAnimationFrame(raf);
      raf = requestAnimationFrame(tick);
    });
    el.addEventListener("pause", () => {
      setPlaying(false);
      setTime(el.currentTime);
    });
    el.addEventListener("ended", () => videoB?.pause());
  }

  function bindB(el: HTMLVideoElement): void {
    videoB = el;
    // A B chosen while A is paused mid-way starts on A's picture.
    el.addEventListener("loadedmetadata", () => {
      if (videoA) el.currentTime = videoA.currentTime;
    });
  }

  let cellA!: HTMLDivElement;
  const [drag, setDrag] = createSignal<CommentShape | null>(null);
  /** Where the picture of A sits in its cell (object-fit: contain letterboxes it). */
  const [box, setBox] = createSignal({ left: 0, top: 0, width: 0, height: 0 });
  function measure(): Box | null {
    const media = cellA?.querySelector<HTMLElement>(".stage-media");
    if (!media) return null;
    const cell = cellA.getBoundingClientRect();
    const picture = pictureBox(media);
    setBox({
      left: picture.left - cell.left,
      top: picture.top - cell.top,
      width: picture.width,
      height: picture.height,
    });
    return picture;
  }
  const observer = new ResizeObserver(() => measure());
  onCleanup(() => observer.disconnect());

  /** In drawing mode, a drag on A draws a rectangle on the picture. */
  function draw(e: PointerEvent): void {
    if (!props.drawing) return;
    e.preventDefault();
    e.stopPropagation();
    const picture = measure();
    if (!picture) return;
    const start = { x: e.clientX, y: e.clientY };
    const move = (ev: PointerEvent) =>
      setDrag(shapeBetween(picture, start, { x: ev.clientX, y: ev.clientY }));
    move(e);
    const up = (ev: PointerEvent) => {
      removeEventListener("pointermove", move);
      removeEventListener("pointerup", up);
      const shape = shapeBetween(picture, start, { x: ev.clientX, y: ev.clientY });
      setDrag(null);
      props.onDraw?.(shape);
    };
    addEventListener("pointermove", move);
    addEventListener("pointerup", up);
  }

  /** Shapes to draw now: the one being dragged, and those of comments at the frame shown. */
  const shapes = () => {
    const f = kindOf(props.a) === "video" ? controls.frame() : null;
    const shown = (props.markers ?? []).filter((m) =>
      m.shape && (m.frame === null || m.frame === f)
    )
      .map((m) => ({ id: m.id, shape: m.shape!, active: m.active === true }));
    const d = drag();
    return d ? [...shown, { id: "drawing", shape: d, active: true }] : shown;
  };

  /** The wipe divider follows a drag on the picture. */
  function dragWipe(e: PointerEvent): void {
    if (!props.b || props.mode !== "wipe") return;
    const box = (e.currentTarget as HTMLElement).getBoundingClientRect();
    const move = (ev: PointerEvent) =>
      setWipe(Math.min(100, Math.max(0, ((ev.clientX - box.left) / box.width) * 100)));
    move(e);
    const up = () => {
      removeEventListener("pointermove", move);
      removeEventListener("pointerup", up);
    };
    addEventListener("pointermove", move);
    addEventListener("pointerup", up);
  }

  return (
    <div class="stage-wrap">
      <div
        class="stage"
        classList={{
          side: !!props.b && props.mode === "side",
          wipe: !!props.b && props.mode === "wipe",
        }}
        style={{ "--wipe": `${wipe()}%` }}
        onPointerDown={dragWipe}
        data-testid="stage"
      >
        <div
          class="stage-cell a"
          classList={{ drawing: props.drawing === true }}
          ref={(el) => {
            cellA = el;
            observer.observe(el);
          }}
          onPointerDown={draw}
          data-testid="stage-a-cell"
        >
          <Show
            when={props.a}
            keyed
            fallback={
              <>
                <video
                  ref={bindA}
                  class="stage-media film-layer"
                  preload="auto"
                  playsinline
                  onLoadedMetadata={() => measure()}
                  data-testid="stage-a"
                />
                <video
                  ref={(el) => (videoMix = el)}
                  class="stage-media film-layer idle"
                  preload="auto"
                  playsinline
                  data-testid="stage-a-mix"
                />
              </>
            }
          >
            {(a) => <Media take={a} role="a" video={bindA} onLoad={() => measure()} />}
          </Show>
          <div
            class="shape-layer"
            style={{
              left: `${box().left}px`,
              top: `${box().top}px`,
              width: `${box().width}px`,
              height: `${box().height}px`,
            }}
            aria-hidden="true"
          >
            <For each={shapes()}>
              {(s) => (
                <div
                  class={`comment-shape ${s.shape.kind}`}
                  classList={{ active: s.active }}
                  style={s.shape.kind === "rect"
                    ? {
                      left: `${s.shape.x * 100}%`,
                      top: `${s.shape.y * 100}%`,
                      width: `${s.shape.w * 100}%`,
                      height: `${s.shape.h * 100}%`,
                    }
                    : { left: `${s.shape.x * 100}%`, top: `${s.shape.y * 100}%` }}
                  data-testid={`shape-${s.id}`}
                />
              )}
            </For>
          </div>
          <Show when={props.b}>
            <span class="stage-tag">A · {props.a?.name}</span>
          </Show>
        </div>
        <Show when={props.b} keyed>
          {(b) => (
            <div class="stage-cell b" data-testid="stage-b-cell">
              <Media take={b} role="b" video={bindB} />
              <span class="stage-tag">B · {b.name}</span>
            </div>
          )}
        </Show>
        <Show when={props.b && props.mode === "wipe"}>
          <div class="wipe-line" aria-hidden="true" />
        </Show>
      </div>
      <Show when={props.b && props.mode === "wipe"}>
        <input
          type="range"
          class="wipe-slider"
          min="0"
          max="100"
          value={wipe()}
          onInput={(e) => setWipe(Number(e.currentTarget.value))}
          aria-label="A/B wipe position"
          data-testid="wipe-slider"
        />
      </Show>
      <Show when={kindOf(props.a) === "video"}>
        <div class="transport" data-testid="transport">
          <button
            type="button"
            class="small"
            onClick={() => controls.step(-1)}
            title="Previous frame (,)"
            aria-label="Previous frame"
            data-testid="frame-back"
          >
            ◀︎|
          </button>
          <button
            type="button"
            class="small primary"
            onClick={() => controls.togglePlay()}
            aria-label={playing() ? "Pause" : "Play"}
            title="Play or pause (Space)"
            data-testid="play"
          >
            {playing() ? "❚❚" : "▶"}
          </button>
          <button
            type="button"
            class="small"
            onClick={() => controls.step(1)}
            title="Next frame (.)"
            aria-label="Next frame"
            data-testid="frame-forward"
          >
            |▶︎
          </button>
          <div class="scrub-wrap">
            <input
              type="range"
              class="scrub"
              min="0"
              max={Math.max(0, frames() - 1)}
              step="1"
              value={frame()}
              onInput={(e) => seekFrame(Number(e.currentTarget.value))}
              aria-label="Scrub (frames)"
              data-testid="scrub"
            />
            <For each={(props.markers ?? []).filter((m) => m.frame !== null)}>
              {(m) => (
                <button
                  type="button"
                  class="time-marker"
                  classList={{ resolved: m.resolved, active: m.active === true }}
                  style={{ left: `${(m.frame! / Math.max(1, frames() - 1)) * 100}%` }}
                  onClick={() => {
                    seekFrame(m.frame!);
                    props.onMarker?.(m.id);
                  }}
                  title={`Comment at ${timecode(m.frame!, Math.round(fps().fps))}`}
                  aria-label={`Comment at ${timecode(m.frame!, Math.round(fps().fps))}`}
                  data-testid={`marker-${m.id}`}
                  data-frame={m.frame}
                />
              )}
            </For>
          </div>
          <span class="frame-readout" data-testid="frame-readout">
            frame {Math.min(frame(), frames() - 1) + 1} / {frames()} ·{" "}
            {timecode(frame(), Math.round(fps().fps))} · {fps().fps} fps
            {fps().known ? "" : " (assumed)"}
          </span>
        </div>
      </Show>
    </div>
  );
}
