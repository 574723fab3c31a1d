/**
 * A bar's overflow menu: what a bar has room for only as one button (the timeline's exports). A
 * `<details>`, so it opens by keyboard and screen reader as a disclosure; it closes again when
 * one of its items is chosen or on a press anywhere else, as menus do.
 */
import { createSignal, type JSX, onCleanup } from "solid-js";

export default function BarMenu(props: { label: string; testId: string; children: JSX.Element }) {
  let el!: HTMLDetailsElement;
  const [open, setOpen] = createSignal(false);
  const outside = (e: PointerEvent) => {
    if (!el.contains(e.target as Node)) el.open = false;
  };
  const toggled = () => {
    setOpen(el.open);
    if (el.open) document.addEventListener("pointerdown", outside, true);
    else document.removeEventListener("pointerdown", outside, true);
  };
  onCleanup(() => document.removeEventListener("pointerdown", outside, true));
  return (
    <details ref={el} class="bar-menu" onToggle={toggled} data-testid={props.testId}>
      <summary aria-expanded={open()}>{props.label} ▾</summary>
      <div class="bar-menu-items" onClick={() => (el.open = false)}>{props.children}</div>
    </details>
  );
}
