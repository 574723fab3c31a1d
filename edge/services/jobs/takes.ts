/**
 * Takes: the immutable outputs of jobs. A take's number is allocated by one INSERT that reads
 * the highest number of its node's series (take_numbers.ts), so two outputs racing for the same
 * node get consecutive numbers (SQLite runs one write statement at a time; the unique index is
 * the backstop, and a new node racing another for a series letter tries the next). The object
 * key is derived from the numbering, in the production convention (file_names.ts); a video's
 * poster frame sits beside it. A cut's render is numbered by renders.ts.
 */
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { type JobInputRow, jobs, takes } from "../../../db/schema/mod.ts";
import type { Take, TakeInput } from "../../../protocol/jobs.ts";
import { CUT_RENDER } from "../../../protocol/work.ts";
import type { AppDeps } from "../../context.ts";
import { newId } from "../../lib/ids.ts";
import type { RenderEntry } from "../structure.ts";
import { renderFileName, shotCode } from "./file_names.ts";
import { type Numbering, renderNumbering } from "./renders.ts";
import { variantFor } from "./take_numbers.ts";
import type { JobRow } from "./transitions.ts";

export type TakeRow = typeof takes.$inferSelect;
/**
 * What a take's lineage keeps of its job: the tier requested and why it was lowered (if it
 * was), what it read, the workflow or model config asset it ran (at the version it ran), and
 * when it was queued and started.
 */
export type JobLineage =
  & Pick<
    JobRow,
    "requestedTier" | "rationale" | "inputs" | "startedAt" | "workflow" | "modelConfig"
  >
  & { queuedAt: number };
/** A take with its job's lineage. */
export type TakeWithJob = TakeRow & JobLineage;

/** The lineage a take keeps of `job`. */
export function jobLineage(job: JobRow): JobLineage {
  const { requestedTier, rationale, inputs, startedAt, workflow, modelConfig, createdAt } = job;
  return {
    requestedTier,
    rationale,
    inputs,
    startedAt,
    workflow,
    modelConfig,
    queuedAt: createdAt,
  };
}

/** A job's inputs as a take's lineage shows them. */
function lineageInputs(inputs: readonly JobInputRow[]): TakeInput[] {
  return inputs.map((input) =>
    "asset" in input
      ? {
        kind: "asset",
        socket: input.socket,
        assetId: input.asset.id,
        assetType: input.asset.type,
        version: input.asset.version,
        name: input.asset.name,
        image: input.asset.imageKey !== undefined,
      }
      : {
        kind: "take",
        socket: input.socket,
        takeId: input.takeId,
        nodeId: input.nodeId ?? null,
        name: input.name ?? null,
      }
  );
}

const pad2 = (n: number) => String(n).padStart(2, "0");

type Numbered = Pick<TakeRow, "scene" | "shot" | "variant" | "version" | "take" | "ext">;

/** `renders/{SCENE}/{SHOT}/v{NN}/{SHOT}_v{NN}_take{NN}.{ext}`: where the take sits in an export. */
export function takePath(t: Numbered): string {
  return `renders/${t.scene}/${shotCode(t)}/v${pad2(t.version)}/${renderFileName(t)}`;
}

/** `projects/{projectId}/` + `takePath`: the take's immutable object key. */
export function takeKey(t: Numbered & Pick<TakeRow, "projectId">): string {
  return `projects/${t.projectId}/${takePath(t)}`;
}

/**
 * The poster frame of a video take or render, beside it:
 * `…/SHOT-010_v01_take03.poster.jpg`, `…/CUTS/Main/v02/Main_v02.poster.jpg`.
 */
export function posterKey(t: Numbered & Pick<TakeRow, "projectId">): string {
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

/** Reserves the next take number of the job's node (in its shot version) as a pending take. */
export async function allocateTake(
  deps: AppDeps,
  job: JobRow,
  agentId: string,
  output: { ext: string; contentType: string },
): Promise<TakeRow> {
  const id = newId();
  for (let tries = 0;; tries++) {
    const { scene, shot, variant, version, take } = job.nodeType === CUT_RENDER
      ? renderNumbering(job.projectId, job.params)
      : await shotNumbering(deps, job);
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
        variant,
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
      // Another node took the same new series letter just now (or another edge instance, on a
      // separate connection, the same number): read again and take the next.
      if (tries >= 5 || !String(error).includes("UNIQUE constraint failed")) throw error;
    }
  }
}

/**
 * A shot's numbering: its scene, shot and version, the node's series letter there, and the
 * next take number of that series.
 */
async function shotNumbering(deps: AppDeps, job: JobRow): Promise<Numbering> {
  const { scene, shot, version } = shotOf(job.params);
  const sameShot = and(
    eq(takes.projectId, job.projectId),
    eq(takes.scene, scene),
    eq(takes.shot, shot),
    eq(takes.version, version),
  );
  const filed = await deps.db.selectDistinct({ nodeId: takes.nodeId, variant: takes.variant })
    .from(takes).where(sameShot);
  const variant = variantFor(job.nodeId, filed);
  const take = sql`(select coalesce(max(${takes.take}), 0) + 1 from ${takes} where ${
    and(sameShot, eq(takes.variant, variant))
  })`;
  return { scene, shot, variant, version, take };
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
  row: TakeWithJob,
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
      requestedTier: row.requestedTier,
      rationale: row.rationale,
      template: row.template,
      workflow: row.workflow && versionRef(row.workflow),
      modelConfig: row.modelConfig && versionRef(row.modelConfig),
      seed: row.seed,
      params: row.params,
      inputs: lineageInputs(row.inputs),
      timing: { queuedAt: row.queuedAt, startedAt: row.startedAt, finishedAt: row.completedAt },
    },
    createdAt: row.completedAt ?? row.createdAt,
  };
}

/** Which asset, at which version, a job ran (without the file or config it carries). */
function versionRef(
  { assetId, version, name }: { assetId: string; version: number; name: string },
) {
  return { assetId, version, name };
}

/**
 * A take as the room hands it to everyone (`generation.complete`, `take.described`): its poster
 * URL signed for guests' lifetime, since guests get the same take, and `guestUrl`, the download
 * URL the room gives share-link guests instead of `take.url`.
 */
export async function roomTake(
  deps: AppDeps,
  row: TakeRow,
  take: Take,
): Promise<{ take: Take; guestUrl: string }> {
  return {
    take: { ...take, posterUrl: await posterUrl(deps, row, "guest") },
    guestUrl: await takeUrl(deps, row, "guest"),
  };
}

/** Ready takes of a project (or one node), newest first, with what their jobs asked for. */
export async function listTakes(
  deps: AppDeps,
  projectId: string,
  nodeId?: string,
): Promise<TakeWithJob[]> {
  const rows = await deps.db.select({
    take: takes,
    requestedTier: jobs.requestedTier,
    rationale: jobs.rationale,
    inputs: jobs.inputs,
    workflow: jobs.workflow,
    modelConfig: jobs.modelConfig,
    startedAt: jobs.startedAt,
    queuedAt: jobs.createdAt,
  }).from(takes).innerJoin(jobs, eq(jobs.id, takes.jobId)).where(and(
    eq(takes.projectId, projectId),
    eq(takes.state, "ready"),
    nodeId === undefined ? undefined : eq(takes.nodeId, nodeId),
  )).orderBy(desc(takes.completedAt), desc(takes.take));
  return rows.map(({ take, ...job }) => ({ ...take, ...job }));
}

/** Ready takes as entries of the project's virtual folder tree. */
export async function renderEntries(deps: AppDeps, projectId: string): Promise<RenderEntry[]> {
  const rows = await deps.db.select().from(takes)
    .where(and(eq(takes.projectId, projectId), eq(takes.state, "ready")))
    .orderBy(
      asc(takes.scene),
      asc(takes.shot),
      asc(takes.variant),
      asc(takes.version),
      asc(takes.take),
    );
  return rows.map((r) => ({
    takeId: r.id,
    scene: r.scene,
    shot: r.shot,
    variant: r.variant,
    version: r.version,
    take: r.take,
    ext: r.ext,
  }));
}
