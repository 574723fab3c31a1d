/**
 * Which workflow readiness a node's card shows: the one of the version the node will run. A node
 * pinned to a version (a take's "Use these settings") runs that version, whose model files may
 * not be the newest's; an unpinned node runs the newest.
 */
import type { WorkflowAvailability } from "../../../protocol/jobs.ts";

/** Readiness by workflow asset: `byAsset` its newest version, `byVersion` every version. */
export interface WorkflowReadiness {
  byAsset: Map<string, WorkflowAvailability>;
  byVersion: Map<string, WorkflowAvailability>;
}

/** Indexes `GET /capabilities`' `workflows` (newest) and `workflowVersions` (older ones). */
export function workflowReadiness(
  newest: WorkflowAvailability[],
  older: WorkflowAvailability[] = [],
): WorkflowReadiness {
  return {
    byAsset: new Map(newest.map((w) => [w.assetId, w])),
    byVersion: new Map([...newest, ...older].map((w) => [_key(w.assetId, w.version), w])),
  };
}

/** The readiness of what a node runs: `pin` is its `workflowVersion` (absent: the newest). */
export function readinessOf(
  readiness: WorkflowReadiness,
  assetId: string,
  pin: unknown,
): WorkflowAvailability | undefined {
  return typeof pin === "number"
    ? readiness.byVersion.get(_key(assetId, pin))
    : readiness.byAsset.get(assetId);
}

function _key(assetId: string, version: number): string {
  return `${assetId}@${version}`;
}
