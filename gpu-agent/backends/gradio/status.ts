/**
 * What @gradio/client's status events mean for a job (client/js/src/helpers/api_info.ts
 * `handle_message`): a place in the app's queue (`estimation`: `position` = events ahead),
 * the start (`process_starts`), progress (`progress_data` from `gr.Progress`), the end, or an
 * error (a broken connection, a full queue, or the app's own message).
 */
import type { Status } from "@gradio/client";
import type { ProgressReport } from "../backend.ts";

export type StatusMeaning =
  | { kind: "progress"; report: ProgressReport }
  | { kind: "complete" }
  | { kind: "broken"; message: string }
  | { kind: "queue_full" }
  | { kind: "error"; message: string }
  | { kind: "none" };

/** @gradio/client's QUEUE_FULL_MSG (constants.ts), set on a 503 from /queue/join. */
export const QUEUE_FULL_MESSAGE = "This application is currently busy. Please try again. ";

export function readStatus(status: Status & { original_msg?: string }): StatusMeaning {
  switch (status.stage) {
    case "complete":
      return { kind: "complete" };
    case "error": {
      const message = typeof status.message === "string"
        ? status.message
        : JSON.stringify(status.message ?? "the app failed");
      if (status.broken || status.session_not_found) return { kind: "broken", message };
      if (message === QUEUE_FULL_MESSAGE) return { kind: "queue_full" };
      return { kind: "error", message };
    }
    case "pending":
      return { kind: "progress", report: pendingReport(status) } satisfies StatusMeaning;
    default:
      return { kind: "none" };
  }
}

function pendingReport(status: Status & { original_msg?: string }): ProgressReport {
  const unit = status.progress_data?.at(-1);
  if (unit) {
    const steps = unit.index !== null && unit.length
      ? { current: unit.index, total: unit.length }
      : null;
    const fraction = unit.progress ?? (steps ? steps.current / steps.total : 0);
    const what = unit.desc?.trim() || "working";
    return {
      percent: Math.max(0, Math.min(99, fraction * 100)),
      message: steps ? `${what} (${steps.current}/${steps.total})` : what,
      ...(steps ? { step: steps } : {}),
    };
  }
  if (status.original_msg === "process_starts") return { percent: 0, message: "the app started" };
  const ahead = status.position ?? 0;
  return {
    percent: 0,
    message: ahead > 0 ? `waiting in the app's queue (${ahead} ahead)` : "next in the app's queue",
    ...(typeof status.eta === "number" && status.eta > 0
      ? { etaSeconds: Math.round(status.eta) }
      : {}),
  };
}
