/**
 * A note of a node's run on its card (what keeps it from running, where it runs, why it was
 * lowered): one clamped line that opens in full on click. Used by the run body (NodeRun) and the
 * fleet's placement line (fleet/RunPlacement), so it lives apart from both.
 */
import { createEffect, createSignal, onCleanup, Show } from "solid-js";

/**
 * A line of text that may be longer than the card has room for: clamped, and opened in full
 * over the canvas on click (a title tooltip cannot be read on a touch screen).
 */
export default function RunNote(props: { text: string; tone: string; testId: string }) {
  const [open, setOpen] = createSignal(false);
  let el!: HTMLDivElement;
  // A press anywhere else closes it, as menus and popovers do.
  const outside = (e: PointerEvent) => {
    if (!el.contains(e.target as Node)) setOpen(false);
  };
  createEffect(() => {
    if (!open()) return;
    document.addEventListener("pointerdown", outside, true);
    onCleanup(() => document.removeEventListener("pointerdown", outside, true));
  });
  return (
    <div ref={el} class={`run-note ${props.tone}`} classList={{ open: open() }}>
      <button
        type="button"
        class="run-note-text"
        aria-expanded={open()}
        title={open() ? "Close" : "Show all of it"}
        onClick={() => setOpen(!open())}
        data-testid={props.testId}
      >
        {props.text}
      </button>
      <Show when={open()}>
        <div class="run-note-full" role="note" data-testid={`${props.testId}-full`}>
          {props.text}
        </div>
      </Show>
    </div>
  );
}
