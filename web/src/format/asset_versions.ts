/**
 * What changed between two versions of a library asset, in words for the version list:
 * "renamed to Rey", "description", "added 2 reference images". Pure, so the words are tested.
 */
import { labelFor } from "../../../protocol/param_rules.ts";
import type { AssetVersion } from "../api/types.ts";

type Compared = Pick<AssetVersion, "name" | "description" | "params" | "referenceImageKeys">;

const images = (n: number) => `${n} reference image${n === 1 ? "" : "s"}`;

/** The changes from `older` to `newer`; for a first version (no older), what it started with. */
export function versionChanges(older: Compared | undefined, newer: Compared): string[] {
  if (!older) {
    const n = newer.referenceImageKeys.length;
    return [`created${n > 0 ? ` with ${images(n)}` : ""}`];
  }
  const changes: string[] = [];
  if (older.name !== newer.name) changes.push(`renamed to ${newer.name}`);
  if (older.description !== newer.description) changes.push("changed the description");
  const keys = new Set([...Object.keys(older.params), ...Object.keys(newer.params)]);
  const params = [...keys].filter((k) =>
    JSON.stringify(older.params[k]) !== JSON.stringify(newer.params[k])
  );
  if (params.length > 0) {
    changes.push(`changed ${params.map((k) => labelFor(k).toLowerCase()).join(", ")}`);
  }
  const added = newer.referenceImageKeys.filter((k) => !older.referenceImageKeys.includes(k));
  const removed = older.referenceImageKeys.filter((k) => !newer.referenceImageKeys.includes(k));
  if (added.length > 0) changes.push(`added ${images(added.length)}`);
  if (removed.length > 0) changes.push(`removed ${images(removed.length)}`);
  return changes.length > 0 ? changes : ["no changes"];
}
