/**
 * One audio lane of the timeline: its clips placed at their start frames, sized by their trims.
 * Editors drag a clip to move it in time and its edges to trim it (see `audioEdit`); the drag
 * itself belongs to the timeline, which draws the clips as they would land while it lasts.
 */
import { For, Show } from "solid-js";
import type { AudioClip, AudioTrack } from "../../../protocol/cut.ts";

export type DragMode = "move" | "in" | "out";

export default function TimelineAudioLane(props: {
  track: AudioTrack;
  clips: AudioClip[];
  /** Pixels per frame. */
  scale: number;
  editable: boolean;
  selected: string | null;
  label(nodeId: string): string;
  hasTake(nodeId: string): boolean;
  /** Why the clip cannot play as far as it reads (its take is shorter), or null. */
  pastTake(clip: AudioClip): string | null;
  select(clipId: string): void;
  startDrag(e: PointerEvent, clipId: string, mode: DragMode): void;
}) {
  return (
    <div class="lane audio-lane" data-testid={`audio-lane-${props.track.id}`}>
      <span class="lane-name">{props.track.name}</span>
      <For each={props.clips}>
        {(clip) => (
          <div
            class="cut-clip audio"
            classList={{
              selected: props.selected === clip.id,
              gap: !props.hasTake(clip.nodeId),
              "past-take": props.pastTake(clip) !== null,
            }}
            style={{
              left: `${clip.start * props.scale}px`,
              width: `${(clip.out - clip.in) * props.scale}px`,
            }}
            onPointerDown={(e) => props.startDrag(e, clip.id, "move")}
            onClick={() => props.select(clip.id)}
            title={[
              props.label(clip.nodeId),
              `${clip.out - clip.in} frames`,
              props.pastTake(clip),
            ].filter(Boolean).join(" · ")}
            data-testid={`clip-${clip.id}`}
            data-node={clip.nodeId}
            data-start={clip.start}
            data-in={clip.in}
            data-frames={clip.out - clip.in}
          >
            <span class="clip-label">{props.label(clip.nodeId)} · {clip.gainDb} dB</span>
            <Show when={props.editable}>
              <div
                class="trim-handle in"
                onPointerDown={(e) => props.startDrag(e, clip.id, "in")}
                data-testid={`trim-in-${clip.id}`}
              />
              <div
                class="trim-handle out"
                onPointerDown={(e) => props.startDrag(e, clip.id, "out")}
                data-testid={`trim-out-${clip.id}`}
              />
            </Show>
          </div>
        )}
      </For>
    </div>
  );
}
