/**
 * The timeline's scale: a timecode at every labelled tick of the visible stretch (the step follows
 * the zoom, see `rulerTicks`); a press on it moves the playhead there.
 */
import { For } from "solid-js";
import { timecode } from "../../../protocol/cut.ts";
import { rulerTicks } from "../format/timeline_zoom.ts";

export default function TimelineRuler(props: {
  /** Pixels per frame. */
  scale: number;
  fps: number;
  /** Width of the lanes' content, in pixels. */
  width: number;
  /** The visible stretch, in pixels from the lanes' start. */
  view: { left: number; width: number };
  seek(frame: number): void;
}) {
  const ticks = () =>
    rulerTicks(
      props.scale,
      props.fps,
      props.view.left / props.scale,
      (props.view.left + props.view.width) / props.scale,
    );
  return (
    <div
      class="ruler"
      style={{ width: `${props.width}px` }}
      onPointerDown={(e) => {
        const x = e.clientX - e.currentTarget.getBoundingClientRect().left;
        props.seek(Math.floor(x / props.scale));
      }}
      data-testid="ruler"
    >
      <For each={ticks()}>
        {(frame) => (
          <span class="ruler-tick" style={{ left: `${frame * props.scale}px` }}>
            {timecode(frame, props.fps)}
          </span>
        )}
      </For>
    </div>
  );
}
