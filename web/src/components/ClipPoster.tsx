/**
 * A take's picture on the timeline and in its take picker: the poster the agent stored with the
 * take (one small JPEG), so a long cut does not open a video per clip. A take from before posters
 * were stored falls back to its video's first frames.
 */
import { Show } from "solid-js";
import type { Take } from "../api/types.ts";

export default function ClipPoster(props: { take: Take; class?: string }) {
  return (
    <Show
      when={props.take.posterUrl}
      fallback={
        <video class={props.class} src={`${props.take.url}#t=0.2`} muted preload="metadata" />
      }
    >
      {(src) => <img class={props.class} src={src()} alt="" loading="lazy" draggable={false} />}
    </Show>
  );
}
