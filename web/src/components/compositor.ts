/**
 * Moves an element on the compositor thread: each new value is a Web Animation holding that
 * value (both keyframes equal), which replaces the previous one and, once the gesture has been
 * still for `HOLD_MS`, is written to the element's style.
 *
 * Why not `el.style.transform = …` on a `will-change: transform` layer: Chromium then re-runs
 * its layerization (PaintArtifactCompositor::Update) over every paint chunk on the page each
 * frame, since it only skips that step for the transform of an element with a running transform
 * animation ("direct update"). With 300 node cards that was 10–20 ms a frame on this machine;
 * with the animation a pan step costs well under a millisecond of main-thread work.
 */
type Property = "transform" | "translate";

/** How long a value stays an animation after the last change before it is written to style. */
const HOLD_MS = 600;

export class CompositedMotion {
  readonly #el: HTMLElement | SVGElement;
  readonly #property: Property;
  #value: string | null = null;
  #animation: Animation | null = null;

  constructor(el: HTMLElement | SVGElement, property: Property) {
    this.#el = el;
    this.#property = property;
  }

  get element(): HTMLElement | SVGElement {
    return this.#el;
  }

  /** The value last set (`null`: none; the stylesheet's applies). */
  get value(): string | null {
    return this.#value;
  }

  /** Moves to `value` on the compositor. */
  set(value: string): void {
    if (value === this.#value) return;
    this.#value = value;
    const el = this.#el;
    if (typeof el.animate !== "function") return void el.style.setProperty(this.#property, value);
    const frame = { [this.#property]: value };
    // Started before the old one is canceled, so no frame falls back to the style value.
    const next = el.animate([frame, frame], { duration: HOLD_MS, fill: "forwards" });
    this.#animation?.cancel();
    this.#animation = next;
    next.onfinish = () => {
      if (this.#animation !== next) return;
      el.style.setProperty(this.#property, value);
      next.cancel();
      this.#animation = null;
    };
  }

  /** Writes `value` to style at once (no animation): for values that settle, like a drop. */
  settle(value: string | null): void {
    this.#value = value;
    this.#animation?.cancel();
    this.#animation = null;
    if (value === null) this.#el.style.removeProperty(this.#property);
    else this.#el.style.setProperty(this.#property, value);
  }
}
