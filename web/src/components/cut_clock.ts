/**
 * The timeline's clock: the playhead's frame and play speed, moved by the page's animation
 * frames (not by a video, so gaps play as a slate for their length). Speed is in frames of the
 * cut per frame of its rate: 0 paused, 2 twice as fast, negative backwards. It stops at either end.
 */
import { createSignal, onCleanup } from "solid-js";

export function createCutClock(cut: { fps(): number; duration(): number }) {
  const [frame, setFrame] = createSignal(0);
  const [speed, setSpeed] = createSignal(0);
  const shown = () => Math.floor(frame());
  const last = () => Math.max(0, cut.duration() - 1);

  let raf = 0;
  let before = 0;
  const tick = (t: number) => {
    const dt = before ? (t - before) / 1000 : 0;
    before = t;
    const next = frame() + dt * cut.fps() * speed();
    if (next >= cut.duration() || next < 0) {
      setFrame(Math.max(0, Math.min(next, last())));
      return stop();
    }
    setFrame(next);
    raf = requestAnimationFrame(tick);
  };
  /** Plays at `rate`; forward from the end starts again from the start. */
  const play = (rate: number) => {
    if (cut.duration() === 0) return;
    if (rate > 0 && frame() >= cut.duration() - 1) setFrame(0);
    setSpeed(rate);
    cancelAnimationFrame(raf);
    before = 0;
    raf = requestAnimationFrame(tick);
  };
  function stop() {
    cancelAnimationFrame(raf);
    setSpeed(0);
    setFrame(Math.floor(frame()));
  }
  onCleanup(() => cancelAnimationFrame(raf));
  /** Pauses and puts the playhead on frame `to`, within the film. */
  const seek = (to: number) => {
    stop();
    setFrame(Math.max(0, Math.min(last(), Math.floor(to))));
  };
  return { frame, shown, speed, play, stop, seek, step: (by: number) => seek(shown() + by) };
}
