/**
 * Per-frame main-thread cost in the page, around a scripted pointer sequence. Each frame's
 * cost runs from its requestAnimationFrame timestamp (the frame's start, before rAF-aligned
 * input is dispatched) to a message posted from that rAF callback, which is delivered only
 * after the frame's style, layout and paint: input handling + rendering, per frame.
 */
import type { Page } from "playwright-core";

/** Installed in the page; `window.__frames.stop()` returns the costs in ms. */
const RECORDER = `(() => {
  const costs = [];
  let running = true;
  const channel = new MessageChannel();
  let pending = [];
  channel.port1.onmessage = () => {
    const end = performance.now();
    for (const start of pending) costs.push(end - start);
    pending = [];
  };
  const tick = (ts) => {
    if (!running) return;
    pending.push(ts);
    channel.port2.postMessage(0);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  window.__frames = { stop() { running = false; return costs; } };
})()`;

/** Runs `gesture` while recording frame costs; returns them (ms), first frames dropped. */
export async function recordFrames(page: Page, gesture: () => Promise<void>): Promise<number[]> {
  await page.evaluate(RECORDER);
  await gesture();
  const costs = await page.evaluate(() =>
    (globalThis as unknown as { __frames: { stop(): number[] } }).__frames.stop()
  );
  return costs.slice(2);
}

/** Presses at `from`, moves in `steps` steps of (dx, dy), and releases. */
export async function pointerDrag(
  page: Page,
  from: { x: number; y: number },
  step: { dx: number; dy: number },
  steps: number,
): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  for (let i = 1; i <= steps; i++) {
    // Back and forth, so a long run stays on screen.
    const dir = Math.floor((i - 1) / 40) % 2 === 0 ? 1 : -1;
    from = { x: from.x + dir * step.dx, y: from.y + dir * step.dy };
    await page.mouse.move(from.x, from.y);
  }
  await page.mouse.up();
}
