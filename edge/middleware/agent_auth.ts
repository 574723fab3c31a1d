/**
 * Agents authenticate with `Authorization: Bearer <agentId>.<secret>`. A revoked agent, an
 * unknown id and a wrong secret all get the same 401, and any call counts as a sign of life.
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context.ts";
import { unauthorized } from "../errors.ts";
import { agentForCredential, markSeen } from "../services/agents.ts";

export const requireAgent = createMiddleware<AppEnv>(async function requireAgent(c, next) {
  const credential = c.req.header("authorization")?.match(/^Bearer\s+(\S+)$/i)?.[1];
  const agent = credential ? await agentForCredential(c.get("deps"), credential) : null;
  if (!agent) throw unauthorized("agent credentials are missing, wrong or revoked: enroll again");
  await markSeen(c.get("deps"), agent);
  c.set("agent", agent);
  await next();
});
