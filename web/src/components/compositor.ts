/**
 * Moves an element without a repaint or a re-layerization: each new value is a Web Animation
 * holding that value (both keyframes equal), which replaces the previous one and, once the
 * gesture has been still for `HOLD_MS`, is written to the element's style.
 *
 * Why not `el.style.transform = …` on a `will-change: transform` layer: Chromium then re-runs
 * its layerization (PaintArtifactCompositor::Update) over every paint chunk on the page each
 * frame; it only skips that step, handing the new matrix straight to the compositor's property
 * trees (DirectlyUpdateTransform), for an element with a running transform animation. With 300
 * cards that step alone was 10–20 ms a frame on the 2-core benchmark machine; a pan frame is now
 * about 2 ms of main-thread work in all. (A constant-valued animation is not itself run on the
 * compositor thread, "no visible change"; Blink computes its one value on the main thread, which
 * is what we want: the value changes only when we set a new one.)
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
