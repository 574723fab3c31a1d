/**
 * The timeline's preview: the cut's picture at the playhead from its selected takes, transitions
 * mixed as the render mixes them (format/film_mix.ts, drawn by film_layers.ts on two stacked
 * videos: the review page's player draws the same way), a slate for a gap, or a render of the cut
 * being watched. Playing forward the takes' videos run by themselves at the playhead's speed and
 * are only pulled back when they drift; backwards (J) they are sought frame by frame as the
 * playhead moves, because browsers do not play video in reverse (Chromium ignores a negative
 * playbackRate): J shows every frame it can decode in time and skips the rest.
 */
import { createEffect, For, Show } from "solid-js";
import type { Take } from "../api/types.ts";
import type { FilmLayer } from "../format/film_mix.ts";
import { renderVersion } from "./CutRenders.tsx";
import { showLayers } from "./film_layers.ts";

export default function CutPreview(props: {
  /** The takes to draw at the playhead, bottom first; none in a gap or after the end. */
  layers: FilmLayer[];
  /** What the slate says when nothing is drawn: a gap named, or the end. */
  slate: string;
  speed: number;
  fps: number;
  watching: Take | null;
  closeWatching(): void;
}) {
  const videos: HTMLVideoElement[] = [];
  createEffect(() =>
    showLayers(videos, props.layers, { speed: props.speed, fps: props.fps }, "cut-preview")
  );
  return (
    <div class="cut-preview" data-testid="cut-picture">
      {/* Two pictures: the incoming take over the outgoing one during a transition. */}
      <For each={["cut-preview", "cut-preview-mix"]}>
        {(testId, i) => (
          <video
            ref={(el) => (videos[i()] = el)}
            class="idle"
            muted
            playsinline
            data-testid={testId}
          />
        )}
      </For>
      <Show when={props.layers.length === 0}>
        <div class="slate" data-testid="cut-slate">{props.slate}</div>
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
