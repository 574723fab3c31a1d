/**
 * `POST /enroll` (token → credentials), `POST /heartbeat` (profile, liveness) and `GET /me`
 * (a read-only credential check for `doctor`: a running agent's profile stays as it sent it).
 */
import { Hono } from "hono";
import {
  AGENT_ERROR_CODES,
  enrollRequestSchema,
  type EnrollResponse,
  heartbeatRequestSchema,
  type HeartbeatResponse,
} from "../../../protocol/jobs.ts";
import type { AppEnv } from "../../context.ts";
import { ApiError } from "../../errors.ts";
import { jsonBody } from "../../lib/validate.ts";
import { checkAgent, requireAgent } from "../../middleware/agent_auth.ts";
import { enrollAgent, recordHeartbeat } from "../../services/agents.ts";
import { countAttempt, LIMITS, refuseIfLimited, subjectsFor } from "../../services/rate_limit.ts";

export const enrollRoutes = new Hono<AppEnv>()
  .post("/enroll", ...jsonBody(enrollRequestSchema), async (c) => {
    const deps = c.get("deps");
    const limits = subjectsFor(c, LIMITS.enrollment);
    await refuseIfLimited(deps, limits);
    const enrolled = await enrollAgent(deps, c.req.valid("json"));
    if (!enrolled) {
      await countAttempt(deps, limits);
      throw new ApiError(
        401,
        AGENT_ERROR_CODES.badEnrollmentToken,
        "this enrollment token is unknown, used or expired: create a new one in the studio",
      );
    }
    return c.json(
      {
        agentId: enrolled.agent.id,
        secret: enrolled.secret,
        name: enrolled.agent.name,
        heartbeatIntervalMs: deps.config.HEARTBEAT_INTERVAL_MS,
      } satisfies EnrollResponse,
      201,
    );
  })
  .get("/me", checkAgent, (c) => {
    const deps = c.get("deps");
    const agent = c.get("agent");
    return c.json(
      {
        agentId: agent.id,
        name: agent.name,
        heartbeatIntervalMs: deps.config.HEARTBEAT_INTERVAL_MS,
        serverTime: deps.now(),
      } satisfies HeartbeatResponse,
    );
  })
  .post("/heartbeat", requireAgent, ...jsonBody(heartbeatRequestSchema), async (c) => {
    const deps = c.get("deps");
    const { profile, leaving, draining } = c.req.valid("json");
    const agent = await recordHeartbeat(deps, c.get("agent").id, profile, {
      leaving: leaving ?? false,
      draining: draining ?? false,
    });
    // A new backend or a bigger card may fit jobs that were waiting.
    deps.dispatcher.wake();
    return c.json(
      {
        agentId: agent.id,
        name: agent.name,
        heartbeatIntervalMs: deps.config.HEARTBEAT_INTERVAL_MS,
        serverTime: deps.now(),
      } satisfies HeartbeatResponse,
    );
  });
