/**
 * The transition from the selected clip into the next: its kind and its length in frames. The
 * length is bounded by what both clips hold beside their other transitions (`transitionLimit`,
 * the room's rule); a length past it is not sent, and the reason shows beside the field.
 */
import { createSignal, For, Show } from "solid-js";
import {
  CUT_TRANSITIONS,
  type CutTransition,
  type CutTransitionKind,
} from "../../../protocol/cut.ts";

/** A new transition's length unless the clips hold less: half a second at 24 fps. */
const DEFAULT_FRAMES = 12;

export default function TimelineTransition(props: {
  transition: CutTransition | null;
  /** The longest transition the two clips hold; 0 when this is the last clip. */
  limit: number;
  set(transition: CutTransition | null): void;
}) {
  const [why, setWhy] = createSignal<string | null>(null);
  const setKind = (kind: CutTransitionKind | "") => {
    setWhy(null);
    const frames = Math.min(props.transition?.frames ?? DEFAULT_FRAMES, props.limit);
    props.set(kind ? { kind, frames } : null);
  };
  const setFrames = (value: string) => {
    const frames = Number(value);
    const kind = props.transition?.kind;
    if (!kind) return;
    if (!Number.isInteger(frames) || frames < 1 || frames > props.limit) {
      return setWhy(
        `A transition here is 1 to ${props.limit} frames: the two clips it joins must each ` +
          `hold it beside their other transitions.`,
      );
    }
    setWhy(null);
    props.set({ kind, frames });
  };
  return (
    <Show when={props.limit >= 1}>
      <span class="transition-edit">
        <select
          value={props.transition?.kind ?? ""}
          onChange={(e) => setKind(e.currentTarget.value as CutTransitionKind | "")}
          aria-label="Transition into the next clip"
          data-testid="transition-kind"
        >
          <option value="">Cut</option>
          <For each={CUT_TRANSITIONS}>{(k) => <option value={k}>{k}</option>}</For>
        </select>
        <Show when={props.transition}>
          {(transition) => (
            <label class="small">
              <input
                type="number"
                min="1"
                max={props.limit}
                step="1"
                value={transition().frames}
                onChange={(e) => setFrames(e.currentTarget.value)}
                aria-label="Transition length in frames"
                aria-invalid={why() !== null}
                data-testid="transition-frames"
              />{" "}
              frames
            </label>
          )}
        </Show>
        <Show when={why()}>
          <span class="field-error small" role="alert" data-testid="transition-why">{why()}</span>
        </Show>
      </span>
    </Show>
  );
}
