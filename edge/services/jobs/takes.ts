/**
 * Takes: the immutable outputs of jobs. A take's number is allocated by one INSERT that reads
 * the highest number of its shot version, so two outputs racing for the same shot get
 * consecutive numbers (SQLite runs one write statement at a time; the unique index is the
 * backstop). The object key is derived from the numbering, in the production convention; a
 * video's poster frame sits beside it. A cut's render is numbered by renders.ts.
 */
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { takes } from "../../../db/schema/mod.ts";
import type { Take } from "../../../protocol/jobs.ts";
import { CUT_RENDER } from "../../../protocol/work.ts";
import type { AppDeps } from "../../context.ts";
import { newId } from "../../lib/ids.ts";
import type { RenderEntry } from "../structure.ts";
import { type Numbering, renderFileName, renderNumbering } from "./renders.ts";
import type { JobRow } from "./transitions.ts";

export type TakeRow = typeof takes.$inferSelect;

const pad2 = (n: number) => String(n).padStart(2, "0");

/** `projects/{projectId}/renders/{SCENE}/{SHOT}/v{NN}/{SHOT}_v{NN}_take{NN}.{ext}` */
export function takeKey(
  t: Pick<TakeRow, "projectId" | "scene" | "shot" | "version" | "take" | "ext">,
): string {
  return `projects/${t.projectId}/renders/${t.scene}/${t.shot}/v${pad2(t.version)}/${
    renderFileName(t)
  }`;
}

/**
 * The poster frame of a video take or render, beside it:
 * `…/SHOT-010_v01_take03.poster.jpg`, `…/CUTS/Main/v02/Main_v02.poster.jpg`.
 */
export function posterKey(
  t: Pick<TakeRow, "projectId" | "scene" | "shot" | "version" | "take" | "ext">,
): string {
  return `${takeKey(t).slice(0, -(t.ext.length + 1))}.poster.jpg`;
}

/** Where a job's outputs are filed: its node's scene, shot and version parameters. */
export function shotOf(params: Record<string, unknown>) {
  const str = (v: unknown, fallback: string) => (typeof v === "string" ? v : fallback);
  const version = params["version"];
  return {
    scene: str(params["scene"], "SC01"),
    shot: str(params["shot"], "SHOT-010"),
    version: typeof version === "number" && Number.isInteger(version) ? version : 1,
  };
}

/** Reserves the next take number of the job's shot version as a pending take. */
export async function allocateTake(
  deps: AppDeps,
  job: JobRow,
  agentId: string,
  output: { ext: string; contentType: string },
): Promise<TakeRow> {
  const { scene, shot, version, take } = job.nodeType === CUT_RENDER
    ? renderNumbering(job.projectId, job.params)
    : shotNumbering(job);
  const id = newId();
  for (let tries = 0;; tries++) {
    try {
      const [row] = await deps.db.insert(takes).values({
        id,
        projectId: job.projectId,
        nodeId: job.nodeId,
        jobId: job.id,
        agentId,
        state: "pending",
        scene,
        shot,
        version,
        take,
        ext: output.ext,
        contentType: output.contentType,
        nodeType: job.nodeType,
        tier: job.tier,
        params: job.params,
        createdAt: deps.now(),
      }).returning();
      return row!;
    } catch (error) {
      // Only another edge instance writing through a separate connection could collide here.
      if (tries >= 3 || !String(error).includes("UNIQUE constraint failed")) throw error;
    }
  }
}

/** A shot's numbering: its scene, shot and version, and the next take number there. */
function shotNumbering(job: JobRow): Numbering {
  const { scene, shot, version } = shotOf(job.params);
  const take = sql`(select coalesce(max(${takes.take}), 0) + 1 from ${takes} where ${
    and(
      eq(takes.projectId, job.projectId),
      eq(takes.scene, scene),
      eq(takes.shot, shot),
      eq(takes.version, version),
    )
  })`;
  return { scene, shot, version, take };
}

/** Who a download URL is for: guests' URLs expire sooner (`GUEST_DOWNLOAD_URL_TTL_S`). */
export type Audience = "member" | "guest";

/** A fresh signed download URL of a take for `audience`. */
export async function takeUrl(deps: AppDeps, row: TakeRow, audience: Audience): Promise<string> {
  return await deps.storage.presignGet(takeKey(row), { expiresInS: _ttl(deps, audience) });
}

/** A fresh signed URL of a take's poster frame for `audience`; null when it has none. */
export async function posterUrl(
  deps: AppDeps,
  row: TakeRow,
  audience: Audience,
): Promise<string | null> {
  if (!row.posterBytes) return null;
  return await deps.storage.presignGet(posterKey(row), { expiresInS: _ttl(deps, audience) });
}

function _ttl(deps: AppDeps, audience: Audience): number {
  return audience === "guest"
    ? deps.config.GUEST_DOWNLOAD_URL_TTL_S
    : deps.config.DOWNLOAD_URL_TTL_S;
}

/** A ready take as people and agents see it, with a fresh signed download URL. */
export async function publicTake(
  deps: AppDeps,
  row: TakeRow,
  audience: Audience = "member",
): Promise<Take> {
  return {
    id: row.id,
    projectId: row.projectId,
    nodeId: row.nodeId,
    jobId: row.jobId,
    scene: row.scene,
    shot: row.shot,
    version: row.version,
    take: row.take,
    name: renderFileName(row),
    ext: row.ext,
    contentType: row.contentType,
    bytes: row.bytes ?? 0,
    sha256: row.sha256 ?? "",
    url: await takeUrl(deps, row, audience),
    posterUrl: await posterUrl(deps, row, audience),
    media: row.media ?? null,
    lineage: {
      jobId: row.jobId,
      agentId: row.agentId,
      nodeType: row.nodeType,
      tier: row.tier,
      template: row.template,
      seed: row.seed,
      params: row.params,
    },
    createdAt: row.completedAt ?? row.createdAt,
  };
}

/** Ready takes of a project (or one node), newest first. */
export async function listTakes(
  deps: AppDeps,
  projectId: string,
  nodeId?: string,
): Promise<TakeRow[]> {
  return await deps.db.select().from(takes).where(and(
    eq(takes.projectId, projectId),
    eq(takes.state, "ready"),
    nodeId === undefined ? undefined : eq(takes.nodeId, nodeId),
  )).orderBy(desc(takes.completedAt), desc(takes.take));
}

/** The newest ready take of a node: what a downstream job reads as its input. */
export async function newestTake(
  deps: AppDeps,
  projectId: string,
  nodeId: string,
): Promise<TakeRow | undefined> {
  const [row] = await deps.db.select().from(takes)
    .where(and(eq(takes.projectId, projectId), eq(takes.nodeId, nodeId), eq(takes.state, "ready")))
    .orderBy(desc(takes.completedAt), desc(takes.take)).limit(1);
  return row;
}

/** Ready takes as entries of the project's virtual folder tree. */
export async function renderEntries(deps: AppDeps, projectId: string): Promise<RenderEntry[]> {
  const rows = await deps.db.select().from(takes)
    .where(and(eq(takes.projectId, projectId), eq(takes.state, "ready")))
    .orderBy(asc(takes.scene), asc(takes.shot), asc(takes.version), asc(takes.take));
  return rows.map((r) => ({
    takeId: r.id,
    scene: r.scene,
    shot: r.shot,
    version: r.version,
    take: r.take,
    ext: r.ext,
  }));
}
