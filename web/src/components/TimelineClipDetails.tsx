/**
 * The selected clip's details under the timeline: its trim in timecode, the transition into the
 * next clip (video) or its gain (audio), the take picker (posters of all its node's takes, the
 * circled one marked) and Remove. Editors change them; reviewers only read.
 */
import { For, Show } from "solid-js";
import { type CutClip, timecode } from "../../../protocol/cut.ts";
import type { ProjectSession } from "../stores/project_session.ts";
import ClipPoster from "./ClipPoster.tsx";
import TimelineTransition from "./TimelineTransition.tsx";

export default function TimelineClipDetails(props: {
  session: ProjectSession;
  clip: CutClip;
  fps: number;
  label: string;
  editable: boolean;
  /** The longest transition into the next clip; 0 for the last clip. */
  transitionLimit: number;
  /** The frames its take holds, null when not known. */
  takeFrames: number | null;
  /** Why it cannot play as far as it reads (its take is shorter), or null. */
  pastTake: string | null;
  set(changes: Record<string, unknown>): void;
  remove(): void;
}) {
  const s = props.session;
  const clip = () => props.clip;
  const video = () => (props.clip.kind === "video" ? props.clip : null);
  const audio = () => (props.clip.kind === "audio" ? props.clip : null);
  return (
    <div class="clip-details" data-testid="clip-details">
      <strong>{props.label}</strong>
      <span class="timecode" data-testid="clip-trim">
        in {timecode(clip().in, props.fps)} · out {timecode(clip().out, props.fps)} ·{" "}
        {clip().out - clip().in} frames
        <Show when={props.takeFrames}>{(frames) => <>{" "}of a {frames()}-frame take</>}</Show>
      </span>
      <Show when={props.pastTake}>
        <span class="warn small" role="status" data-testid="clip-past-take">{props.pastTake}</span>
      </Show>
      <Show when={props.editable && video()}>
        {(v) => (
          <TimelineTransition
            transition={v().transition}
            limit={props.transitionLimit}
            set={(transition) => props.set({ transition })}
          />
        )}
      </Show>
      <Show when={props.editable && audio()}>
        {(a) => (
          <label class="small">
            Gain dB{" "}
            <input
              type="number"
              min="-60"
              max="12"
              value={a().gainDb}
              onChange={(e) => props.set({ gainDb: Number(e.currentTarget.value) })}
              data-testid="clip-gain"
            />
          </label>
        )}
      </Show>
      <div class="take-picker" data-testid="take-picker">
        <For each={s.runs[clip().nodeId]?.takes ?? []}>
          {(take) => (
            <button
              type="button"
              class="take-thumb"
              classList={{ chosen: s.playedTake(clip().nodeId)?.id === take.id }}
              disabled={!props.editable}
              title={take.name}
              onClick={() => void s.selectTake(clip().nodeId, take.id)}
              data-testid={`pick-${take.id}`}
            >
              <ClipPoster take={take} />
              <span>{take.name.replace(/^.*_(take\d+).*$/, "$1")}</span>
            </button>
          )}
        </For>
      </div>
      <Show when={props.editable}>
        <button
          type="button"
          class="ghost danger"
          onClick={() => props.remove()}
          data-testid="remove-clip"
        >
          Remove
        </button>
      </Show>
    </div>
  );
}
