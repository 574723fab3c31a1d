/**
 * Turns ComfyUI's node-level (`execution_cached`, `executing`) and step-level (`progress`)
 * messages into one overall percentage with a message naming the node, e.g.
 * "KSampler: step 12/20". Each node weighs 1, except samplers, which weigh their step count:
 * on real GPUs sampling is where the time goes.
 *
 * @example
 * ```ts
 * const tracker = new ProgressTracker(prompt);
 * tracker.handle({ type: "progress", data: { node: "3", value: 5, max: 20 } }); // a ProgressReport
 * ```
 */
import type { ProgressReport } from "../backend.ts";
import type { ApiPrompt } from "./client.ts";
import type { ComfyMessage } from "./socket.ts";

export class ProgressTracker {
  readonly #weights = new Map<string, number>();
  readonly #done = new Set<string>();
  #current: { node: string; value: number; max: number } | null = null;
  #lastPercent = 0;
  #stepStartedAt: { value: number; at: number } | null = null;

  constructor(readonly prompt: ApiPrompt, readonly now: () => number = Date.now) {
    for (const [id, node] of Object.entries(prompt)) {
      const steps = Number(node.inputs.steps);
      const isSampler = node.class_type.includes("Sampler") && Number.isInteger(steps) && steps > 0;
      this.#weights.set(id, isSampler ? steps : 1);
    }
  }

  #total(): number {
    let total = 0;
    for (const weight of this.#weights.values()) total += weight;
    return Math.max(total, 1);
  }

  #label(node: string): string {
    const def = this.prompt[node];
    return def?._meta?.title ?? def?.class_type ?? `node ${node}`;
  }

  #report(message: string, extra: Partial<ProgressReport> = {}): ProgressReport {
    let done = 0;
    for (const id of this.#done) done += this.#weights.get(id) ?? 0;
    if (this.#current && !this.#done.has(this.#current.node)) {
      const weight = this.#weights.get(this.#current.node) ?? 1;
      done += weight * (this.#current.max > 0 ? this.#current.value / this.#current.max : 0);
    }
    // Never report 100 before ComfyUI says the prompt is done, and never go backwards.
    const percent = Math.min(
      99,
      Math.max(this.#lastPercent, Math.floor((done / this.#total()) * 100)),
    );
    this.#lastPercent = percent;
    return { percent, message, ...extra };
  }

  /** The report a message leads to, or null when the message changes nothing people see. */
  handle(message: ComfyMessage): ProgressReport | null {
    const { type, data } = message;
    if (type === "execution_start") return this.#report("starting");
    if (type === "execution_cached") {
      const nodes = Array.isArray(data.nodes) ? data.nodes.map(String) : [];
      for (const id of nodes) this.#done.add(id);
      return nodes.length > 0 ? this.#report(`reused ${nodes.length} cached node(s)`) : null;
    }
    if (type === "executing") {
      if (typeof data.node !== "string") return null;
      if (this.#current && this.#current.node !== data.node) this.#done.add(this.#current.node);
      this.#current = { node: data.node, value: 0, max: 1 };
      this.#stepStartedAt = null;
      return this.#report(this.#label(data.node));
    }
    if (type === "progress") {
      const node = String(data.node ?? this.#current?.node ?? "");
      const value = Number(data.value);
      const max = Number(data.max);
      if (!Number.isFinite(value) || !Number.isFinite(max) || max <= 0) return null;
      if (this.#current?.node !== node) {
        if (this.#current) this.#done.add(this.#current.node);
        this.#stepStartedAt = null;
      }
      this.#current = { node, value, max };
      const now = this.now();
      this.#stepStartedAt ??= { value, at: now };
      const stepsTimed = value - this.#stepStartedAt.value;
      const extra: Partial<ProgressReport> = { step: { current: value, total: max } };
      if (stepsTimed > 0) {
        const perStep = (now - this.#stepStartedAt.at) / 1000 / stepsTimed;
        extra.etaSeconds = Math.round(perStep * (max - value));
      }
      return this.#report(`${this.#label(node)}: step ${value}/${max}`, extra);
    }
    return null;
  }

  /** A report of something other than a message ("queued in ComfyUI"), at the percent reached. */
  note(message: string): ProgressReport {
    return this.#report(message);
  }

  /** The last report, once ComfyUI said the prompt succeeded. */
  finished(): ProgressReport {
    this.#lastPercent = 100;
    return { percent: 100, message: "done" };
  }
}
