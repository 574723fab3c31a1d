/**
 * A text input (or textarea) of the inspector edited live with teammates (forms/live_edit.ts):
 * typing is sent as you type, and a teammate's change to the field you are typing in is shown
 * with their name and a choice, never swapped in under your cursor.
 */
import { createEffect, createSignal, Match, on, onCleanup, Show, Switch } from "solid-js";
import { systemClock } from "../../../protocol/clock.ts";
import { LiveEdit, type LiveEditState } from "../forms/live_edit.ts";

let sessions = 0;

export default function LiveTextField(props: {
  id: string;
  testId: string;
  /** The shared value (from the graph). */
  value: string;
  multiline?: boolean;
  /** A hard cut at this length (the browser's own `maxLength`). */
  maxLength?: number | undefined;
  /**
   * A limit shown as a counter instead of cutting: longer text stays in the field, marked, and
   * the form refuses to send it (`send` answers false), so nothing is cut without a word.
   */
  limit?: number | undefined;
  disabled: boolean;
  placeholder?: string | undefined;
  invalid?: boolean;
  describedBy?: string | undefined;
  /** Who last changed this field, if it was a teammate: shown in the conflict notice. */
  changedBy(): string | null;
  /**
   * Writes the text; edits with one `coalesce` key (one focus) are one undo step. False: the
   * text was refused (the form shows why) and not sent.
   */
  send(text: string, coalesce: string): boolean | void;
  /** The user's text while they edit the field or it is set aside (null otherwise). */
  draft?(text: string | null): void;
}) {
  const [state, setState] = createSignal<LiveEditState>({ kind: "idle" });
  let coalesce = "";
  const edit = new LiveEdit({
    send: (text) => props.send(text, coalesce),
    clock: systemClock,
    changed: () => {
      const s = edit.state;
      setState(s);
      const unsent = s.kind === "conflict" ? s.draft : s.kind === "set-aside" ? s.mine : null;
      props.draft?.(s.kind === "editing" ? s.draft : unsent);
    },
  });
  onCleanup(() => edit.dispose());
  createEffect(on(() => props.value, (v) => edit.shared(v), { defer: true }));
  const shown = () => {
    const s = state();
    return s.kind === "editing" || s.kind === "conflict" ? s.draft : props.value;
  };
  const who = () => props.changedBy() ?? "Someone";
  const common = () => ({
    id: props.id,
    value: shown(),
    maxLength: props.maxLength,
    disabled: props.disabled,
    placeholder: props.placeholder,
    "aria-invalid": props.invalid ? ("true" as const) : undefined,
    "aria-describedby": props.describedBy,
    "data-testid": props.testId,
    onFocus: (e: FocusEvent) => {
      coalesce = `${props.id}#${++sessions}`;
      edit.focus((e.currentTarget as HTMLInputElement).value);
    },
    onInput: (e: InputEvent) => edit.input((e.currentTarget as HTMLInputElement).value),
    onBlur: () => edit.blur(),
  });
  // The choice is made without leaving the field (leaving would set the text aside).
  const keepFocus = (e: MouseEvent) => e.preventDefault();
  const preview = (text: string) => (text.length > 80 ? `${text.slice(0, 80)}…` : text);
  const count = (n: number) => n.toLocaleString("en-US");
  return (
    <>
      {props.multiline ? <textarea rows={4} {...common()} /> : <input type="text" {...common()} />}
      {/* Prompts always show it; a short field only once it is over. */}
      <Show when={props.limit && (props.multiline || shown().length > props.limit) && props.limit}>
        {(limit) => (
          <small
            class="counter"
            classList={{ over: shown().length > limit() }}
            data-testid={`${props.testId}-counter`}
          >
            {count(shown().length)} / {count(limit())}
          </small>
        )}
      </Show>
      <Switch>
        <Match when={state().kind === "conflict" && (state() as { theirs: string })}>
          {(s) => (
            <div class="field-conflict" role="alert" data-testid={`${props.testId}-conflict`}>
              <span>
                {who()} changed this while you were typing: “{preview(s().theirs)}”
              </span>
              <span class="field-conflict-actions">
                <button
                  type="button"
                  class="small"
                  onMouseDown={keepFocus}
                  onClick={() => edit.useTheirs()}
                  data-testid={`${props.testId}-use-theirs`}
                >
                  Use theirs
                </button>
                <button
                  type="button"
                  class="small primary"
                  onMouseDown={keepFocus}
                  onClick={() => edit.keepMine()}
                  data-testid={`${props.testId}-keep-mine`}
                >
                  Keep mine
                </button>
              </span>
            </div>
          )}
        </Match>
        <Match when={state().kind === "set-aside" && (state() as { mine: string })}>
          {(s) => (
            <div class="field-conflict" role="alert" data-testid={`${props.testId}-set-aside`}>
              <span>{who()}'s text was kept. Yours: “{preview(s().mine)}”</span>
              <span class="field-conflict-actions">
                <button
                  type="button"
                  class="small"
                  onClick={() =>
                    edit.useTheirs()}
                >
                  Discard mine
                </button>
                <button
                  type="button"
                  class="small primary"
                  onClick={() =>
                    edit.keepMine()}
                  data-testid={`${props.testId}-use-mine`}
                >
                  Use mine
                </button>
              </span>
            </div>
          )}
        </Match>
      </Switch>
    </>
  );
}
