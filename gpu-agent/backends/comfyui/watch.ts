/**
 * Queues one prompt and follows it to its end over `/ws`, and keeps following it when things go wrong:
 * a dropped socket is reopened and the prompt's fate read from `/history` and `/queue`; a prompt
 * that is in neither (ComfyUI restarted) is a retriable failure; a cancel sends `/interrupt`.
 * History is also polled now and then, so a message lost in a reconnect cannot hang a run.
 */
import { JobFailure, type ProgressReport } from "../backend.ts";
import {
  type ApiPrompt,
  type ComfyClient,
  ComfyUnreachable,
  type FileRef,
  type HistoryEntry,
} from "./client.ts";
import { canceled, executionFailure, restarted, unreachable } from "./failures.ts";
import { fileRefs } from "./outputs.ts";
import { ProgressTracker } from "./progress.ts";
import type { PreviewFrame } from "./preview.ts";
import type { ComfyConnection, ComfyMessage } from "./socket.ts";

export interface WatchTiming {
  /** How often history is read while waiting, in case a message was missed. */
  pollMs: number;
  /** Delays before each reconnect attempt; its length bounds the attempts. */
  reconnectDelaysMs: number[];
  /** How long to wait for ComfyUI to confirm an interrupt before reporting "canceled". */
  cancelWaitMs: number;
}

export const DEFAULT_TIMING: WatchTiming = {
  pollMs: 5_000,
  reconnectDelaysMs: [100, 250, 500, 1_000, 2_000, 4_000, 8_000],
  cancelWaitMs: 5_000,
};

export interface WatchRequest {
  client: ComfyClient;
  promptId: string;
  prompt: ApiPrompt;
  /** The backend's `/ws` connection, shared with its other runs. */
  connection: ComfyConnection;
  /**
   * Queues the prompt; called once the run listens, so no early message is missed. Absent when
   * `resumed`.
   */
  submit?: () => Promise<void>;
  signal: AbortSignal;
  onProgress: (report: ProgressReport) => void;
  /** The prompt's preview frames, as they come. */
  onPreview?: (preview: PreviewFrame) => void;
  timing: WatchTiming;
  /** The prompt was queued by an earlier attempt: read its history before waiting. */
  resumed: boolean;
}

type Outcome = { kind: "success" } | { kind: "error"; data: Record<string, unknown> } | {
  kind: "interrupted";
};

function outcomeOf(entry: HistoryEntry): Outcome | null {
  const status = entry.status;
  if (!status) return { kind: "success" };
  if (status.status_str === "success") return { kind: "success" };
  const error = status.messages.find(([type]) => type === "execution_error");
  if (error) return { kind: "error", data: error[1] };
  if (status.messages.some(([type]) => type === "execution_interrupted")) {
    return { kind: "interrupted" };
  }
  return status.completed ? { kind: "success" } : null;
}

/** Resolves after `ms`, or early when `signal` aborts; never leaves a timer behind. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/** Waits for the prompt to finish; returns the UI outputs of every node that saved files. */
export async function watchPrompt(request: WatchRequest): Promise<Map<string, FileRef[]>> {
  const { client, promptId, signal, timing } = request;
  const tracker = new ProgressTracker(request.prompt);
  const executed = new Map<string, FileRef[]>();
  // `finished`: `executing {node: null}` was seen, so the history entry is written.
  const run: { outcome: Outcome | null; finished: boolean } = { outcome: null, finished: false };
  /** Wakes the loop below; set while it waits. Only an end of the run needs it awake. */
  let wake = () => {};
  let lastHeard = performance.now();

  const onMessage = (message: ComfyMessage) => {
    if (message.data.prompt_id !== promptId) return;
    if (message.type === "preview") {
      const { contentType, bytes } = message.data as unknown as PreviewFrame;
      request.onPreview?.({ contentType, bytes });
      return;
    }
    const report = tracker.handle(message);
    if (report) request.onProgress(report);
    if (message.type === "executed") {
      executed.set(
        String(message.data.node),
        fileRefs(message.data.output as Record<string, unknown>),
      );
    }
    if (message.type === "execution_success") run.outcome = { kind: "success" };
    if (message.type === "execution_error") run.outcome = { kind: "error", data: message.data };
    if (message.type === "execution_interrupted") run.outcome = { kind: "interrupted" };
    if (message.type === "executing" && message.data.node === null) run.finished = true;
    lastHeard = performance.now();
    if (run.outcome || run.finished) wake();
  };
  let socket = await request.connection.socket();
  let unlisten = socket.listen(onMessage);
  try {
    await request.submit?.();
  } catch (error) {
    unlisten();
    throw error;
  }
  // Messages of the run may have come before the answer to the submit (cached nodes): the
  // note keeps the percent they reached.
  if (request.submit) request.onProgress(tracker.note("queued in ComfyUI"));

  /**
   * Where the prompt is. The queue is read before the history: ComfyUI moves a finished prompt
   * from one to the other in one step (`PromptQueue.task_done`, under its lock), so a prompt in
   * neither, read in this order, is really gone. Read the other way round, a prompt that finished
   * between the two reads looked lost and its job was run again (the autoscale test caught it
   * about 1 run in 5 with three agents on one ComfyUI).
   */
  const fromHistory = async (): Promise<"done" | "queued" | "lost"> => {
    if ((await client.queuedIds()).includes(promptId)) return "queued";
    const entry = await client.history(promptId);
    if (!entry) return "lost";
    run.outcome = outcomeOf(entry) ?? run.outcome;
    run.finished = true;
    for (const [node, output] of Object.entries(entry.outputs ?? {})) {
      executed.set(node, fileRefs(output));
    }
    return "done";
  };

  /**
   * Waits for the run's end, a dropped socket, `pollMs` without a word about the prompt, or an
   * abort. Costs nothing per message: a run reports every sampling step.
   */
  const nextChange = () =>
    new Promise<"message" | "closed" | "poll">((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const settle = (why: "message" | "closed" | "poll") => {
        clearTimeout(timer);
        stopWaitingForClose();
        signal.removeEventListener("abort", onAbort);
        wake = () => {};
        resolve(why);
      };
      const arm = (ms: number) => {
        timer = setTimeout(() => {
          const quiet = performance.now() - lastHeard;
          if (quiet < timing.pollMs) arm(timing.pollMs - quiet);
          else settle("poll");
        }, ms);
      };
      const onAbort = () => settle("message");
      wake = () => settle("message");
      const stopWaitingForClose = socket.onClose(() => settle("closed"));
      signal.addEventListener("abort", onAbort, { once: true });
      arm(timing.pollMs);
    });

  const reconnect = async () => {
    for (const delay of timing.reconnectDelaysMs) {
      await pause(delay, signal);
      if (signal.aborted) return;
      try {
        unlisten();
        socket = await request.connection.socket();
        unlisten = socket.listen(onMessage);
        return;
      } catch (error) {
        if (!(error instanceof ComfyUnreachable)) throw error;
      }
    }
    throw unreachable("ComfyUI stopped answering during the run");
  };

  try {
    if (request.resumed && (await fromHistory()) === "lost") throw restarted(promptId);
    while (!(run.outcome && (run.finished || run.outcome.kind !== "success"))) {
      if (signal.aborted) break;
      const which = await nextChange();
      if (signal.aborted || which === "message") continue;
      if (which === "closed") {
        await reconnect();
        if (signal.aborted) break;
      }
      if (run.outcome && run.finished) break;
      const where = await fromHistory();
      if (where === "lost") throw restarted(promptId);
      if (where === "done" && !run.outcome) {
        throw new JobFailure(
          `ComfyUI's history holds prompt ${promptId} without a result`,
          true,
          "runtime",
        );
      }
    }
    if (signal.aborted) {
      await cancel(request, () => run.outcome !== null);
      throw canceled();
    }
  } catch (error) {
    if (error instanceof ComfyUnreachable) {
      throw unreachable(`ComfyUI stopped answering during the run: ${error.message}`);
    }
    throw error;
  } finally {
    unlisten();
  }

  const result = run.outcome;
  if (result?.kind === "error") throw executionFailure(result.data, request.prompt);
  if (result?.kind === "interrupted") {
    throw new JobFailure(
      "ComfyUI interrupted the prompt (canceled in ComfyUI itself?)",
      true,
      "runtime",
    );
  }
  // Files come from the history entry when it is there; `executed` messages otherwise.
  if (!run.finished || executed.size === 0) await fromHistory().catch(() => "lost");
  request.onProgress(tracker.finished());
  return executed;
}

/** Asks ComfyUI to stop the prompt (running or pending), then waits briefly for it to confirm. */
async function cancel(request: WatchRequest, stopped: () => boolean): Promise<void> {
  const { client, promptId, timing } = request;
  try {
    await client.interrupt(promptId);
    await client.deleteQueued([promptId]);
  } catch {
    return; // ComfyUI is gone: nothing is running there any more
  }
  const deadline = Date.now() + timing.cancelWaitMs;
  const idle = new AbortController().signal;
  while (!stopped() && Date.now() < deadline) {
    try {
      if (await client.history(promptId) || !(await client.queuedIds()).includes(promptId)) return;
    } catch {
      return;
    }
    await pause(100, idle);
  }
}
