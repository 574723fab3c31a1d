/**
 * Generation jobs of a project: queue one for a node, list, read (with its history), cancel
 * and retry. Editors and owners act; reviewers may watch.
 */
import { and, desc, eq } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { jobPreviews, jobs } from "../../db/schema/mod.ts";
import { graphIdSchema } from "../../protocol/graph.ts";
import { generateRequestSchema, JOB_STATES } from "../../protocol/jobs.ts";
import type { AppEnv } from "../context.ts";
import { notFound } from "../errors.ts";
import { idempotencyKeyOf } from "../lib/idempotency_key.ts";
import { idSchema } from "../lib/ids.ts";
import { decimal, jsonBody, pathParams, queryParams } from "../lib/validate.ts";
import { currentUser } from "../middleware/authenticate.ts";
import { requireRole } from "../middleware/project_access.ts";
import { recordActivity } from "../services/activity.ts";
import { enqueueJob } from "../services/jobs/enqueue.ts";
import { cancelJob, retryJob } from "../services/jobs/lifecycle.ts";
import { jobHistory, jobViews } from "../services/jobs/view.ts";

const jobPath = pathParams(z.object({ id: idSchema, jobId: idSchema }));

type Deps = AppEnv["Variables"]["deps"];

/** Where the studio loads a job's latest preview frame; `at` tells frames apart. */
export const previewUrl = (job: { projectId: string; id: string }, at: number) =>
  `/api/projects/${job.projectId}/jobs/${job.id}/preview?at=${at}`;

async function loadJob(deps: Deps, projectId: string, jobId: string) {
  const [job] = await deps.db.select().from(jobs)
    .where(and(eq(jobs.id, jobId), eq(jobs.projectId, projectId))).limit(1);
  if (!job) throw notFound("job");
  return job;
}

export const jobRoutes = new Hono<AppEnv>()
  .post(
    "/:id/nodes/:nodeId/generate",
    requireRole("editor"),
    pathParams(z.object({ id: idSchema, nodeId: graphIdSchema })),
    ...jsonBody(generateRequestSchema),
    async (c) => {
      const deps = c.get("deps");
      const user = currentUser(c);
      const key = idempotencyKeyOf(c);
      const { projectId } = c.get("access");
      const { nodeId } = c.req.valid("param");
      const { job, created } = await enqueueJob(deps, {
        projectId,
        nodeId,
        userId: user.id,
        body: c.req.valid("json"),
        idempotencyKey: key,
      });
      if (created) {
        await recordActivity(deps, {
          projectId,
          actorId: user.id,
          action: "job.queue",
          subject: `${job.nodeType} ${nodeId}`,
        });
      }
      const [view] = await jobViews(deps, projectId, [job]);
      return c.json({ job: view }, created ? 201 : 200);
    },
  )
  .get(
    "/:id/jobs",
    requireRole("reviewer"),
    queryParams(z.object({
      state: z.enum(JOB_STATES).optional(),
      nodeId: graphIdSchema.optional(),
      limit: decimal().pipe(z.number().min(1).max(500)).default(100),
    })),
    async (c) => {
      const deps = c.get("deps");
      const { projectId } = c.get("access");
      const query = c.req.valid("query");
      const rows = await deps.db.select().from(jobs).where(and(
        eq(jobs.projectId, projectId),
        query.state ? eq(jobs.state, query.state) : undefined,
        query.nodeId ? eq(jobs.nodeId, query.nodeId) : undefined,
      )).orderBy(desc(jobs.createdAt), desc(jobs.id)).limit(query.limit);
      return c.json({ jobs: await jobViews(deps, projectId, rows) });
    },
  )
  .get("/:id/jobs/:jobId", requireRole("reviewer"), jobPath, async (c) => {
    const deps = c.get("deps");
    const job = await loadJob(deps, c.get("access").projectId, c.req.valid("param").jobId);
    const [view] = await jobViews(deps, job.projectId, [job]);
    const [preview] = await deps.db.select().from(jobPreviews).where(eq(jobPreviews.jobId, job.id));
    return c.json({
      job: view,
      events: await jobHistory(deps, job.id),
      // The latest preview frame the agent sent, served by the route below: the page's CSP
      // allows images from our own origin, not `data:` URLs (which would let any injected
      // markup draw images that no request ever shows).
      preview: preview ? { url: previewUrl(job, preview.at), at: preview.at } : null,
    });
  })
  .get("/:id/jobs/:jobId/preview", requireRole("reviewer"), jobPath, async (c) => {
    const deps = c.get("deps");
    const job = await loadJob(deps, c.get("access").projectId, c.req.valid("param").jobId);
    const [preview] = await deps.db.select().from(jobPreviews).where(eq(jobPreviews.jobId, job.id));
    if (!preview) throw notFound("preview");
    const bytes = Uint8Array.from(atob(preview.base64), (ch) => ch.charCodeAt(0));
    return c.body(bytes, 200, {
      "content-type": preview.contentType,
      // A newer frame replaces it under the same path: never keep one.
      "cache-control": "private, no-store",
    });
  })
  .post("/:id/jobs/:jobId/cancel", requireRole("editor"), jobPath, async (c) => {
    const deps = c.get("deps");
    const user = currentUser(c);
    const job = await cancelJob(deps, c.get("access").projectId, c.req.valid("param").jobId, user);
    await recordActivity(deps, {
      projectId: job.projectId,
      actorId: user.id,
      action: "job.cancel",
      subject: job.id,
    });
    const [view] = await jobViews(deps, job.projectId, [job]);
    return c.json({ job: view });
  })
  .post("/:id/jobs/:jobId/retry", requireRole("editor"), jobPath, async (c) => {
    const deps = c.get("deps");
    const user = currentUser(c);
    const job = await retryJob(deps, c.get("access").projectId, c.req.valid("param").jobId, user);
    await recordActivity(deps, {
      projectId: job.projectId,
      actorId: user.id,
      action: "job.retry",
      subject: job.id,
    });
    const [view] = await jobViews(deps, job.projectId, [job]);
    return c.json({ job: view });
  });
