/**
 * A take's lineage in words for the take viewer: how long it waited and ran, what it read, and
 * which library asset (at which version) ran it.
 * Pure, so the words are tested once.
 */
import type { TakeInput } from "../../../protocol/jobs.ts";
import type { Take } from "../api/types.ts";

/** "0.4 s", "12 s", "2 min 5 s", "1 h 3 min". */
export function durationWords(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 60) return `${Math.round(s)} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min ${Math.round(s % 60)} s`;
  return `${Math.floor(min / 60)} h ${min % 60} min`;
}

/** When it was queued and finished, how long it waited for an agent and how long it ran. */
export function timingWords(timing: Take["lineage"]["timing"]) {
  const { queuedAt, startedAt, finishedAt } = timing;
  return {
    queued: new Date(queuedAt).toLocaleString(),
    finished: finishedAt === null ? "—" : new Date(finishedAt).toLocaleString(),
    waited: startedAt === null ? "—" : durationWords(startedAt - queuedAt),
    ran: startedAt === null || finishedAt === null ? "—" : durationWords(finishedAt - startedAt),
  };
}

/** "Character Rey, version 2 (its reference image)" or the upstream take's file name. */
export function inputWords(input: TakeInput): string {
  if (input.kind === "take") return input.name ?? `take ${input.takeId.slice(0, 8)}`;
  const kind = input.assetType.charAt(0).toUpperCase() + input.assetType.slice(1);
  return `${kind} ${input.name}, version ${input.version}${
    input.image ? " (its reference image)" : ""
  }`;
}

/**
 * `Workflow "Noir look", version 2` or `Docker model "Sketch", version 1`: the library asset that
 * ran the take at the version it ran; null when the agents' own backends did.
 */
export function runnerWords(lineage: Pick<Take["lineage"], "workflow" | "modelConfig">) {
  const ran = lineage.workflow
    ? { kind: "Workflow", ...lineage.workflow }
    : lineage.modelConfig
    ? { kind: "Docker model", ...lineage.modelConfig }
    : null;
  return ran && `${ran.kind} "${ran.name}", version ${ran.version}`;
}
