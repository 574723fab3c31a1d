/** The agent API, mounted at `/api/agent/v1` (see protocol/jobs.ts for every body). */
import { Hono } from "hono";
import type { AppEnv } from "../../context.ts";
import { claimRoutes } from "./claim.ts";
import { enrollRoutes } from "./enroll.ts";
import { agentJobRoutes } from "./jobs.ts";

export const agentApiRoutes = new Hono<AppEnv>()
  .route("/", enrollRoutes)
  .route("/", claimRoutes)
  .route("/", agentJobRoutes);
