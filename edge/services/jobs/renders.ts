/**
 * Renders of a cut: the film a `cut.render` job makes, filed as a take of its own kind under
 * `projects/{projectId}/renders/CUTS/{cutName}/v{NN}/{cutName}_v{NN}.{ext}`. The row uses the
 * take's numbering columns: the reserved scene folder `CUTS` (scenes are named SC01…, so no shot
 * lands there), the cut's name made safe for a key as its shot, the render's number as its
 * version, and take 1. The version is allocated by the INSERT itself, reading the highest version
 * of the cut's folder (as take numbers are; the unique index is the backstop). Two cuts that
 * share a name share the folder and its numbering, so their files never collide.
 *
 * Lineage: the row's node is the cut (the job's `nodeId`), its job the render job, and its params
 * the job's: cut id, cut name and the revision the cut was read from.
 *
 * @example
 * ```ts
 * cutFolderName("Director's cut; v2 [final]"); // "Director_s_cut_v2_final"
 * ```
 */
import { and, eq, type SQL, sql } from "drizzle-orm";
import { takes } from "../../../db/schema/mod.ts";

/** The scene folder renders are filed under; never a real scene (those match `SC\d{2,3}`). */
export const CUTS_SCENE = "CUTS";

/** The longest folder name a cut gets in keys. */
const MAX_FOLDER_CHARS = 64;

/**
 * A cut's name as a key segment: accents dropped, every run of characters other than letters,
 * digits, `_` and `-` made one `_`, no `_`/`-` at either end, at most 64 characters; "CUT" when
 * nothing is left. Keys never hold a `/`, `..`, quote or space that came from a person.
 */
export function cutFolderName(name: string): string {
  const ascii = name.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  const safe = ascii.replace(/[^A-Za-z0-9_-]+/g, "_").slice(0, MAX_FOLDER_CHARS)
    .replace(/^[_-]+|[_-]+$/g, "");
  return safe || "CUT";
}

/** Whether a take row (or structure entry) is a cut's render. */
export function isRender(row: { scene: string }): boolean {
  return row.scene === CUTS_SCENE;
}

/** Where a take row is filed: numbers as plain values, or SQL the INSERT evaluates. */
export interface Numbering {
  scene: string;
  shot: string;
  /** The node's series letter (take_numbers.ts); "" for a render. */
  variant: string;
  version: number | SQL;
  take: number | SQL;
}

/** A render's numbering: its cut's folder, the next version there, take 1. */
export function renderNumbering(projectId: string, params: Record<string, unknown>): Numbering {
  const name = params["cutName"];
  const shot = cutFolderName(typeof name === "string" ? name : "");
  const version = sql`(select coalesce(max(${takes.version}), 0) + 1 from ${takes} where ${
    and(eq(takes.projectId, projectId), eq(takes.scene, CUTS_SCENE), eq(takes.shot, shot))
  })`;
  return { scene: CUTS_SCENE, shot, variant: "", version, take: 1 };
}
