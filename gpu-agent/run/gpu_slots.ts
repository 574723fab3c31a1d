/**
 * The agent's local VRAM budget: one GPU job per GPU at a time, on a GPU with enough memory for
 * the job's footprint; CPU jobs (ffmpeg) need no GPU and run beside them. It also remembers
 * which models each GPU last held, so the runner can unload them (ComfyUI `POST /free`) before
 * a job that needs different ones.
 *
 * @example
 * ```ts
 * const slots = new GpuSlots([{ index: 0, vramTotalMiB: 24564 }]);
 * const slot = await slots.acquire({ vramMiB: 15872, modelsKey: "flux1-dev.safetensors" }, signal);
 * if (slot.unloadFirst) await comfy.free();
 * try { await run(); } finally { slot.release(); }
 * ```
 */

export interface GpuSpec {
  index: number;
  /** null when unknown: such a GPU is given no GPU work (set MD_VRAM_MIB). */
  vramTotalMiB: number | null;
}

export interface SlotRequest {
  /** Peak VRAM of the job; 0 for CPU work. */
  vramMiB: number;
  /** Which models the job loads (e.g. the sorted file names); compared between jobs. */
  modelsKey: string;
}

/**
 * The `modelsKey` of a job that loads no model: it needs nothing unloaded before it, and
 * leaves the GPU's models as they were for the next job.
 */
export const MODEL_FREE = "";

export interface Slot {
  /** The GPU the job runs on; null for CPU work. */
  gpu: number | null;
  /** The GPU last ran a job with other models: free them before this one. */
  unloadFirst: boolean;
  /** Marks the GPU's models unloaded (after `backend.free()`). */
  unloaded(): void;
  /** Gives the GPU back; idempotent. */
  release(): void;
}

interface GpuState extends GpuSpec {
  busy: boolean;
  residentModels: string | null;
}

/** The job can never fit on this machine: no GPU has that much memory. */
export class DoesNotFit extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DoesNotFit";
  }
}

export class GpuSlots {
  readonly #gpus: GpuState[];
  readonly #waiters = new Set<() => void>();

  constructor(gpus: readonly GpuSpec[]) {
    this.#gpus = gpus.map((g) => ({ ...g, busy: false, residentModels: null }));
  }

  /** The largest GPU's VRAM in MiB (0 without a GPU). */
  get largestVramMiB(): number {
    return Math.max(0, ...this.#gpus.map((g) => g.vramTotalMiB ?? 0));
  }

  /** GPUs not running a job now. */
  get freeGpus(): number {
    return this.#gpus.filter((g) => !g.busy).length;
  }

  /**
   * Waits for a GPU that can hold the job (at once for CPU work) and takes it. Prefers a free
   * GPU that already holds the job's models, then the smallest that fits. Rejects with
   * `DoesNotFit` when no GPU is large enough, and with `signal.reason` when it aborts.
   */
  async acquire(request: SlotRequest, signal: AbortSignal): Promise<Slot> {
    if (request.vramMiB <= 0) return _cpuSlot;
    const fitting = this.#gpus.filter((g) => (g.vramTotalMiB ?? 0) >= request.vramMiB);
    if (fitting.length === 0) {
      const largest = Math.max(0, ...this.#gpus.map((g) => g.vramTotalMiB ?? 0));
      throw new DoesNotFit(
        `needs ${request.vramMiB} MiB of VRAM; the largest GPU here has ${largest} MiB`,
      );
    }
    for (;;) {
      signal.throwIfAborted();
      const free = fitting.filter((g) => !g.busy);
      const gpu = free.find((g) => g.residentModels === request.modelsKey) ??
        free.sort((a, b) => (a.vramTotalMiB ?? 0) - (b.vramTotalMiB ?? 0))[0];
      if (gpu) return this.#take(gpu, request.modelsKey);
      await this.#changed(signal);
    }
  }

  #take(gpu: GpuState, modelsKey: string): Slot {
    gpu.busy = true;
    const unloadFirst = modelsKey !== MODEL_FREE && gpu.residentModels !== null &&
      gpu.residentModels !== modelsKey;
    let released = false;
    return {
      gpu: gpu.index,
      unloadFirst,
      unloaded: () => {
        gpu.residentModels = null;
      },
      release: () => {
        if (released) return;
        released = true;
        gpu.busy = false;
        if (modelsKey !== MODEL_FREE) gpu.residentModels = modelsKey;
        for (const wake of [...this.#waiters]) wake();
      },
    };
  }

  /** Resolves on the next release; rejects when the signal aborts. */
  #changed(signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = () => {
        this.#waiters.delete(done);
        signal.removeEventListener("abort", aborted);
        resolve();
      };
      const aborted = () => {
        this.#waiters.delete(done);
        reject(signal.reason);
      };
      this.#waiters.add(done);
      signal.addEventListener("abort", aborted, { once: true });
    });
  }
}

const _cpuSlot: Slot = { gpu: null, unloadFirst: false, unloaded: () => {}, release: () => {} };
