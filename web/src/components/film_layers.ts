/**
 * Plays a cut's picture from its takes on a pair of stacked video elements: each layer of
 * `filmLayersAt` (format/film_mix.ts) on one of them, both during a transition, each drawn with
 * its opacity, clip and volume. The timeline's preview and the review page's player both draw
 * through this, so a dissolve looks the same in both. A take stays on the element that holds it
 * when a transition ends, so the incoming take plays on without being loaded again; the element
 * showing the clip the playhead is on carries `testId` (the other `${testId}-mix`), so what a page
 * or a test reads as "the picture" is the clip a comment or a trim at this frame is about.
 * Playing forward, each video runs by itself at `speed` and is pulled back only when it drifts;
 * otherwise it is sought to the frame (browsers do not play video backwards).
 */
import type { FilmLayer } from "../format/film_mix.ts";

/** How far (seconds, at 1×) a playing video may drift from the film's clock before it is sought. */
const DRIFT = 0.25;

export function showLayers(
  videos: readonly HTMLVideoElement[],
  layers: readonly FilmLayer[],
  play: { speed: number; fps: number },
  testId: string,
): void {
  const on = new Map<HTMLVideoElement, FilmLayer>();
  const free = () => videos.find((v) => !on.has(v));
  // Each take on the element that already holds it, the rest on whichever are free.
  for (const layer of layers) {
    const holder = videos.find((v) => v.dataset.src === layer.url && !on.has(v));
    if (holder) on.set(holder, layer);
  }
  for (const layer of layers) {
    const spare = [...on.values()].includes(layer) ? undefined : free();
    if (spare) on.set(spare, layer);
  }
  const forward = play.speed > 0;
  const main = [...on].find(([, layer]) => layer.main)?.[0];
  for (const video of videos) {
    const layer = on.get(video);
    video.classList.toggle("idle", !layer);
    // One element is "the picture"; in a gap the one that was stays so.
    if (main) video.dataset.testid = video === main ? testId : `${testId}-mix`;
    if (!layer) {
      if (!video.paused) video.pause();
      continue;
    }
    if (video.dataset.src !== layer.url) {
      video.dataset.src = layer.url;
      video.src = layer.url;
    }
    video.style.zIndex = String(layers.indexOf(layer));
    video.style.opacity = String(layer.look.opacity);
    video.style.clipPath = layer.look.clip;
    video.volume = Math.min(1, Math.max(0, layer.look.volume));
    const time = layer.seconds + 0.5 / play.fps;
    if (forward && video.playbackRate !== play.speed) video.playbackRate = play.speed;
    if (!forward || Math.abs(video.currentTime - time) > DRIFT * play.speed) {
      video.currentTime = time;
    }
    if (forward && video.paused) void video.play().catch(() => {});
    if (!forward && !video.paused) video.pause();
  }
}
