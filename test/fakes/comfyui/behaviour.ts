/**
 * What a test can script about the fake's runs: timing, failures, and the bytes of output files.
 * Every field can be changed while the fake runs (`fake.behaviour.stepMs = 50`).
 */

/** Makes one node fail like a Python exception inside ComfyUI (an `execution_error`). */
export interface ScriptedFailure {
  /** Fail nodes of this class (e.g. "KSampler")... */
  classType?: string;
  /** ...or the node with this id. */
  nodeId?: string;
  /** Fail when this sampling step is reached (before it is reported); at the node's start if absent. */
  atStep?: number;
  exceptionType: string;
  exceptionMessage: string;
  /** How many runs it affects; every run when absent. */
  times?: number;
}

export interface OutputRequest {
  classType: string;
  nodeId: string;
  filename: string;
  ext: string;
}

/** A point in a run where a test may hold the fake (to act "mid-run" without timing guesses). */
export interface HoldPoint {
  promptId: string;
  nodeId: string;
  classType: string;
  /** The sampling step just reported; absent for a node without steps (after its work). */
  step?: number;
}

export interface Behaviour {
  /** Milliseconds per sampling step of nodes with a `steps` input (KSampler, ...). */
  stepMs: number;
  /** Milliseconds every other node takes. */
  nodeMs: number;
  /** Send a preview frame after each sampling step (ComfyUI does with previews enabled). */
  previews: boolean;
  failures: ScriptedFailure[];
  /**
   * Awaited after each reported step and after the work of each step-less node; a test resolves
   * it once it has done what it wanted to do mid-run. Interrupts are noticed right after.
   */
  hold?: (point: HoldPoint) => Promise<void> | void;
  /** Called when `POST /prompt` accepts a prompt into the queue (before it runs). */
  queued?: (promptId: string) => void;
  /** Bytes of a file a save node writes; defaults to a PNG for images and a fake MP4 otherwise. */
  outputBytes?: (request: OutputRequest) => Uint8Array;
}

export function defaultBehaviour(): Behaviour {
  return { stepMs: 2, nodeMs: 0, previews: true, failures: [] };
}

/** The scripted failure for this node at this step (consuming one of its `times`), if any. */
export function takeFailure(
  behaviour: Behaviour,
  nodeId: string,
  classType: string,
  step: number | undefined,
): ScriptedFailure | undefined {
  const index = behaviour.failures.findIndex((f) =>
    (f.nodeId === undefined || f.nodeId === nodeId) &&
    (f.classType === undefined || f.classType === classType) &&
    f.atStep === step
  );
  const failure = behaviour.failures[index];
  if (!failure) return undefined;
  if (failure.times !== undefined) {
    failure.times -= 1;
    if (failure.times <= 0) behaviour.failures.splice(index, 1);
  }
  return failure;
}

/** Deterministic bytes shaped like an MP4 (an `ftyp` box, then filler), `size` bytes long. */
export function fakeMp4(size: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(Math.max(size, 32));
  bytes.set([0, 0, 0, 0x20, ...new TextEncoder().encode("ftypisom"), 0, 0, 2, 0]);
  bytes.set(new TextEncoder().encode("isomiso2avc1mp41"), 16);
  let x = seed >>> 0 || 1;
  for (let i = 32; i < bytes.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}
