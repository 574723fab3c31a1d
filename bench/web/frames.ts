/**
 * Per-frame main-thread cost in the page around a scripted pointer sequence, read from a Chrome
 * trace (trace.ts): for each frame the renderer produced, the CPU time of its main-thread frame
 * task (rAF-aligned input such as pointermove, requestAnimationFrame callbacks, style, layout,
 * paint and layerization).
 *
 * Why not the in-page clock this file used before (the rAF timestamp to a MessageChannel
 * message posted from the rAF callback): the rAF timestamp is the frame's vsync time, not the
 * moment its work starts, so a frame that waited for a busy main thread (a WebSocket burst, a
 * timer) was charged for that wait; the message then queued behind any other task posted
 * meanwhile; and wall-clock time on this 2-core machine includes every moment the renderer was
 * descheduled while the driver, the edge and the room server ran. The trace separates the
 * frame's own work (thread CPU time) from the tasks between frames and from wall time, and
 * the benchmark reports all three.
 */
import type { Page } from "playwright-core";
import { FRAME_CATEGORIES, type FrameCosts, frameCosts, startTrace } from "./trace.ts";

/** Runs `gesture` under a trace; returns the costs of the frames produced meanwhile (ms). */
export async function recordFrames(page: Page, gesture: () => Promise<void>): Promise<FrameCosts> {
  await settle(page);
  const trace = await startTrace(page, FRAME_CATEGORIES);
  await gesture();
  await settle(page);
  return frameCosts(await trace.stop());
}

/** Waits for two animation frames, so that work started before is drawn. */
function settle(page: Page): Promise<void> {
  return page.evaluate(() =>
    new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())))
  );
}

/**
 * A pointer drag: presses at `from` (not recorded), moves in `steps` steps of (dx, dy) under
 * `record`, and releases (not recorded), so the figures are the frames of the drag itself.
 */
export async function pointerDrag(
  page: Page,
  from: { x: number; y: number },
  step: { dx: number; dy: number },
  steps: number,
  record: (moves: () => Promise<void>) => Promise<void> = (moves) => moves(),
): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  let at = from;
  await record(async () => {
    for (let i = 1; i <= steps; i++) {
      // Back and forth, so a long run stays on screen.
      const dir = Math.floor((i - 1) / 40) % 2 === 0 ? 1 : -1;
      at = { x: at.x + dir * step.dx, y: at.y + dir * step.dy };
      await page.mouse.move(at.x, at.y);
    }
  });
  await page.mouse.up();
}
