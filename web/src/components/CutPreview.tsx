/**
 * The timeline's preview: the take of the clip under the playhead at its source frame, a slate
 * for a gap, or a render of the cut being watched. Playing forward the take's video runs by
 * itself at the playhead's speed and is only pulled back when it drifts; backwards (J) it is
 * sought frame by frame as the playhead moves, because browsers do not play video in reverse
 * (Chromium ignores a negative playbackRate): J shows every frame it can decode in time and
 * skips the rest.
 */
import { createEffect, Show } from "solid-js";
import type { Take } from "../api/types.ts";
import { renderVersion } from "./CutRenders.tsx";

export default function CutPreview(props: {
  /** What plays at the playhead: a take at a frame of it, a gap (no take) named, or the end. */
  now: { take?: Take; source: number; name: string } | null;
  speed: number;
  fps: number;
  watching: Take | null;
  closeWatching(): void;
}) {
  let video!: HTMLVideoElement;
  createEffect(() => {
    const at = props.now;
    const speed = props.speed;
    const forward = speed > 0;
    if (!at?.take) return void video.pause();
    const time = (at.source + 0.5) / props.fps;
    if (video.dataset.src !== at.take.url) {
      video.dataset.src = at.take.url;
      video.src = at.take.url;
    }
    if (forward && video.playbackRate !== speed) video.playbackRate = speed;
    if (!forward || Math.abs(video.currentTime - time) > 0.25 * speed) video.currentTime = time;
    if (forward && video.paused) void video.play().catch(() => {});
    if (!forward && !video.paused) video.pause();
  });
  return (
    <div class="cut-preview">
      <video
        ref={video}
        muted
        playsinline
        data-testid="cut-preview"
        classList={{ hidden: !props.now?.take }}
      />
      <Show when={!props.now?.take}>
        <div class="slate" data-testid="cut-slate">
          {props.now ? `${props.now.name}: no take` : "end"}
        </div>
      </Show>
      <Show when={props.watching}>
        {(film) => (
          <div class="render-player">
            <video
              src={film().url}
              poster={film().posterUrl ?? undefined}
              controls
              autoplay
              playsinline
              data-testid="render-player"
            />
            <span class="render-name">{renderVersion(film())}</span>
            <button
              type="button"
              class="render-close"
              title="Back to the cut"
              onClick={() => props.closeWatching()}
              data-testid="render-close"
            >
              ×
            </button>
          </div>
        )}
      </Show>
    </div>
  );
}
