/**
 * What an agent does with a job it holds: progress events (which keep the lease), output
 * upload URLs, completion, failure and release. Each answers 409 `lease_lost` to an agent that
 * no longer holds the job. After completion, the agent that ran it describes its video takes
 * (media facts and poster frame).
 */
import { Hono } from "hono";
import { z } from "zod";
import {
  completeRequestSchema,
  type CompleteResponse,
  failRequestSchema,
  jobEventRequestSchema,
  type JobEventResponse,
  type JobTransitionResponse,
  outputRequestSchema,
  type OutputResponse,
  POSTER_CONTENT_TYPE,
  releaseRequestSchema,
  takeDescriptionRequestSchema,
  type TakeDescriptionResponse,
} from "../../../protocol/jobs.ts";
import type { AppEnv } from "../../context.ts";
import { idSchema } from "../../lib/ids.ts";
import { jsonBody, pathParams } from "../../lib/validate.ts";
import { requireAgent } from "../../middleware/agent_auth.ts";
import { completeJob } from "../../services/jobs/complete.ts";
import { describeTake } from "../../services/jobs/describe.ts";
import { failJob, heldJob, releaseJob, reportProgress } from "../../services/jobs/lifecycle.ts";
import { allocateTake, posterKey, takeKey } from "../../services/jobs/takes.ts";
import type { JobRow } from "../../services/jobs/transitions.ts";
import { optionalJsonBody } from "./optional_body.ts";

const jobPath = pathParams(z.object({ id: idSchema }));
const takePath = pathParams(z.object({ id: idSchema, takeId: idSchema }));

const transition = (job: JobRow): JobTransitionResponse => ({
  state: job.state,
  attempt: job.attempt,
  maxAttempts: job.maxAttempts,
});

export const agentJobRoutes = new Hono<AppEnv>()
  .use("/jobs/*", requireAgent)
  .post("/jobs/:id/events", jobPath, ...jsonBody(jobEventRequestSchema), async (c) => {
    const result = await reportProgress(
      c.get("deps"),
      c.get("agent"),
      c.req.valid("param").id,
      c.req.valid("json"),
    );
    return c.json(result satisfies JobEventResponse);
  })
  .post("/jobs/:id/outputs", jobPath, ...jsonBody(outputRequestSchema), async (c) => {
    const deps = c.get("deps");
    const job = await heldJob(deps, c.get("agent"), c.req.valid("param").id);
    const output = c.req.valid("json");
    const take = await allocateTake(deps, job, c.get("agent").id, output);
    const key = takeKey(take);
    const upload = await deps.storage.presignPut(key, {
      contentType: output.contentType,
      expiresInS: deps.config.UPLOAD_URL_TTL_S,
    });
    // A video gets a slot for its poster frame beside it, described just after completion: the
    // URL lives as long as the take's own, and is used seconds after the take's upload ends.
    const poster = output.contentType.startsWith("video/")
      ? await deps.storage.presignPut(posterKey(take), {
        contentType: POSTER_CONTENT_TYPE,
        expiresInS: deps.config.UPLOAD_URL_TTL_S,
      })
      : null;
    return c.json(
      {
        takeId: take.id,
        take: take.take,
        key,
        uploadUrl: upload.url,
        headers: upload.headers,
        expiresAt: upload.expiresAt,
        ...(poster
          ? {
            poster: { uploadUrl: poster.url, headers: poster.headers, expiresAt: poster.expiresAt },
          }
          : {}),
      } satisfies OutputResponse,
      201,
    );
  })
  .post("/jobs/:id/complete", jobPath, ...jsonBody(completeRequestSchema), async (c) => {
    const takes = await completeJob(
      c.get("deps"),
      c.get("agent"),
      c.req.valid("param").id,
      c.req.valid("json"),
    );
    return c.json({ state: "succeeded", takes } satisfies CompleteResponse);
  })
  .post(
    "/jobs/:id/takes/:takeId/description",
    takePath,
    ...jsonBody(takeDescriptionRequestSchema),
    async (c) => {
      const { id, takeId } = c.req.valid("param");
      const take = await describeTake(
        c.get("deps"),
        c.get("agent"),
        { jobId: id, takeId },
        c.req.valid("json"),
      );
      return c.json({ take } satisfies TakeDescriptionResponse);
    },
  )
  .post("/jobs/:id/fail", jobPath, ...jsonBody(failRequestSchema), async (c) => {
    const job = await failJob(
      c.get("deps"),
      c.get("agent"),
      c.req.valid("param").id,
      c.req.valid("json"),
    );
    return c.json(transition(job));
  })
  .post("/jobs/:id/release", jobPath, optionalJsonBody(releaseRequestSchema), async (c) => {
    const body = c.get("body");
    const job = await releaseJob(
      c.get("deps"),
      c.get("agent"),
      c.req.valid("param").id,
      body.reason,
      {
        cannotRun: body.cannotRun,
      },
    );
    return c.json(transition(job));
  });
