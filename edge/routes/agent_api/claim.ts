/**
 * `POST /claim`: long-polls for a job that fits the agent. It tries at once, then waits to be
 * woken by a job queued in this process, re-checking the database every CLAIM_RECHECK_MS for
 * jobs queued by other edge instances, until `waitMs` runs out or the agent disconnects.
 * The wait runs on the real clock: the app clock (`deps.now`) may be moved by tests.
 *
 * After each wait the agent is read again: a heartbeat meanwhile (a backend went away) wakes
 * the claim and changes what it may be offered.
 *
 * The request's signal aborts when the agent disconnects, so a dropped long-poll frees its
 * waiter instead of waking later to lease a job nobody will receive. Deno should run with
 * `"unstable": ["no-legacy-abort"]` (deno.json): in its legacy mode the signal also aborts
 * after every answered request, and Deno warns once per process that a handler read it.
 */
import { Hono } from "hono";
import { claimRequestSchema, type ClaimResponse } from "../../../protocol/jobs.ts";
import type { AppEnv } from "../../context.ts";
import { requireAgent } from "../../middleware/agent_auth.ts";
import { type CallingAgent, callingAgent } from "../../services/agents.ts";
import { claimJob } from "../../services/jobs/claim.ts";
import { optionalJsonBody } from "./optional_body.ts";

export const claimRoutes = new Hono<AppEnv>()
  .post("/claim", requireAgent, optionalJsonBody(claimRequestSchema), async (c) => {
    const deps = c.get("deps");
    const signal = c.req.raw.signal;
    const deadline = performance.now() + c.get("body").waitMs;
    let agent: CallingAgent | null = c.get("agent");
    while (true) {
      const seen = deps.dispatcher.generation;
      const job = await claimJob(deps, agent);
      const left = deadline - performance.now();
      if (job || left <= 0 || signal.aborted) return c.json({ job } satisfies ClaimResponse);
      await deps.dispatcher.wait(seen, Math.min(left, deps.config.CLAIM_RECHECK_MS), signal);
      agent = await callingAgent(deps, agent.id);
      if (!agent) return c.json({ job: null } satisfies ClaimResponse);
    }
  });
