/**
 * Queues a `cut.render` job: the cut at one revision, with each clip's selected take already
 * resolved by the caller into render params and named inputs (`input name → take id`). Checks the
 * params with the cut's own rules (schema, transitions that fit), that every input a clip names
 * is given and every given one is used, and that each is a ready take of this project of the
 * right kind (pictures for the video track; sound, or a video's sound, for audio clips). The job
 * runs on an agent's ffmpeg at the one CPU tier, in the same queue as every other job; its node
 * is the cut, so its progress and its film reach the room under the cut's id.
 *
 * @example
 * ```ts
 * const { job } = await enqueueRender(deps, {
 *   projectId, userId, params, inputs: { t1: takeId1, t2: takeId2 },
 * });
 * ```
 */
import { and, eq, inArray } from "drizzle-orm";
import { takes } from "../../../db/schema/mod.ts";
import { cutRenderParamsSchema, transitionProblems } from "../../../protocol/cut.ts";
import { CUT_RENDER, JOB_TYPES } from "../../../protocol/work.ts";
import type { AppDeps } from "../../context.ts";
import { ApiError } from "../../errors.ts";
import { sha256Hex } from "../../lib/bytes.ts";
import { onlineAgentsForProject } from "../agents.ts";
import { earlierJob, insertJob, invalidParams } from "./enqueue.ts";
import { chooseTier } from "./matching.ts";
import type { JobRow } from "./transitions.ts";

export interface RenderRequest {
  projectId: string;
  userId: string;
  /** `CutRenderParams`, checked here. */
  params: unknown;
  /** Each input name the params use → the take it reads. */
  inputs: Record<string, string>;
  priority?: number;
  maxAttempts?: number;
  idempotencyKey?: string | undefined;
}

/** The job, and whether this call created it (false: an earlier call with the same key did). */
export async function enqueueRender(
  deps: AppDeps,
  request: RenderRequest,
): Promise<{ job: JobRow; created: boolean }> {
  const { projectId } = request;
  const requestHash = await sha256Hex(
    JSON.stringify({ render: request.params, inputs: request.inputs }),
  );
  const earlier = await earlierJob(deps, projectId, request.idempotencyKey, requestHash);
  if (earlier) return { job: earlier, created: false };

  const parsed = cutRenderParamsSchema.safeParse(request.params);
  if (!parsed.success) throw invalidParams(parsed.error.issues);
  const params = parsed.data;
  const misfits = transitionProblems(params.video);
  if (misfits.length > 0) {
    throw invalidParams(misfits.map((p) => {
      const index = params.video.findIndex((c) => p.field === `clips.${c.clipId}.transition`);
      return { path: ["video", index, "transition"], message: p.message };
    }));
  }

  // What each input must be: pictures for the video track, sound for audio clips.
  const wanted = new Map<string, "video" | "audio">();
  for (const clip of params.video) if (clip.input) wanted.set(clip.input, "video");
  for (const clip of params.audio) if (!wanted.has(clip.input)) wanted.set(clip.input, "audio");
  const given = Object.entries(request.inputs);
  for (const [name] of wanted) {
    if (!Object.hasOwn(request.inputs, name)) {
      throw _invalidInput(name, `a clip plays input "${name}" but no take is given for it`);
    }
  }
  for (const [name] of given) {
    if (!wanted.has(name)) throw _invalidInput(name, `no clip plays input "${name}"`);
  }
  const rows = given.length === 0 ? [] : await deps.db.select({
    id: takes.id,
    contentType: takes.contentType,
  }).from(takes).where(and(
    eq(takes.projectId, projectId),
    eq(takes.state, "ready"),
    inArray(takes.id, given.map(([, takeId]) => takeId)),
  ));
  for (const [name, takeId] of given) {
    const row = rows.find((r) => r.id === takeId);
    if (!row) throw _invalidInput(name, `take ${takeId} is not a ready take of this project`);
    const kind = row.contentType.split("/")[0];
    if (wanted.get(name) === "video" ? kind !== "video" : kind !== "audio" && kind !== "video") {
      throw _invalidInput(
        name,
        `take ${takeId} is ${row.contentType}: the ${wanted.get(name)} track needs ${
          wanted.get(name) === "video" ? "a video" : "audio or a video with sound"
        }`,
      );
    }
  }

  const def = JOB_TYPES[CUT_RENDER]!;
  const online = await onlineAgentsForProject(deps, projectId);
  return await insertJob(deps, {
    projectId,
    nodeId: params.cutId,
    nodeType: CUT_RENDER,
    params,
    inputs: given.map(([socket, takeId]) => ({ socket, takeId })),
    graphRevision: params.revision,
    choice: chooseTier(def, "standard", false, online),
    requestedTier: "standard",
    allowDowngrade: false,
    priority: request.priority ?? 0,
    maxAttempts: request.maxAttempts,
    userId: request.userId,
    idempotencyKey: request.idempotencyKey,
    requestHash,
  });
}

function _invalidInput(name: string, message: string): ApiError {
  return new ApiError(422, "invalid_inputs", message, [{ path: `inputs.${name}`, message }]);
}
