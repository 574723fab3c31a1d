/**
 * Agents authenticate with `Authorization: Bearer <agentId>.<secret>`. A revoked agent, an
 * unknown id and a wrong secret all get the same 401. Any call counts as a sign of life, except
 * a credential check (`doctor`), which must leave a running agent's record as it is.
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context.ts";
import { unauthorized } from "../errors.ts";
import { agentForCredential, markSeen } from "../services/agents.ts";

function agentAuth(countsAsSeen: boolean) {
  return createMiddleware<AppEnv>(async function requireAgent(c, next) {
    const credential = c.req.header("authorization")?.match(/^Bearer\s+(\S+)$/i)?.[1];
    const agent = credential ? await agentForCredential(c.get("deps"), credential) : null;
    if (!agent) throw unauthorized("agent credentials are missing, wrong or revoked: enroll again");
    if (countsAsSeen) await markSeen(c.get("deps"), agent);
    c.set("agent", agent);
    await next();
  });
}

export const requireAgent = agentAuth(true);
/** Checks the credentials and changes nothing (not even when the agent was last seen). */
export const checkAgent = agentAuth(false);
