/**
 * The take viewer's picture: one take large, or two compared (an A/B wipe, whose divider is
 * dragged or set by its slider, or side by side). Video gets a transport: play, a scrub bar in
 * frames, frame step (buttons, or the viewer's , and . keys) and the frame and timecode shown.
 * With two videos, B follows A: one set of controls drives both.
 */
import { createSignal, Match, onCleanup, Show, Switch } from "solid-js";
import { timecode } from "../../../protocol/cut.ts";
import type { Take } from "../api/types.ts";
import { fpsOf, frameAt, frameCount, timeOfFrame } from "../format/frames.ts";

export type CompareMode = "wipe" | "side";

/** What the viewer's keys drive. */
export interface StageControls {
  step(frames: number): void;
  togglePlay(): void;
}

const kindOf = (take: Take) => take.contentType.split("/")[0];

function Media(props: {
  take: Take;
  role: "a" | "b";
  video?: (el: HTMLVideoElement) => void;
}) {
  return (
    <Switch fallback={<div class="stage-file">{props.take.name}</div>}>
      <Match when={kindOf(props.take) === "image"}>
        <img
          class="stage-media"
          src={props.take.url}
          alt={props.take.name}
          draggable={false}
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
  a: Take;
  b: Take | null;
  mode: CompareMode;
  controls: (controls: StageControls) => void;
}) {
  let videoA: HTMLVideoElement | undefined;
  let videoB: HTMLVideoElement | undefined;
  const fps = () => fpsOf(props.a);
  const [time, setTime] = createSignal(0);
  const [duration, setDuration] = createSignal(0);
  const [playing, setPlaying] = createSignal(false);
  const [wipe, setWipe] = createSignal(50);
  const frame = () => frameAt(time(), fps().fps);
  const frames = () => frameCount(duration(), fps().fps);

  /** Keeps B on A's picture (a drift under half a frame is left alone). */
  function follow(): void {
    if (!videoA || !videoB) return;
    if (Math.abs(videoB.currentTime - videoA.currentTime) > 0.5 / fps().fps) {
      videoB.currentTime = videoA.currentTime;
    }
  }

  function seekFrame(target: number): void {
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
    togglePlay() {
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

  function bindA(el: HTMLVideoElement): void {
    videoA = el;
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
        <div class="stage-cell a">
          <Media take={props.a} role="a" video={bindA} />
          <Show when={props.b}>
            <span class="stage-tag">A · {props.a.name}</span>
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
