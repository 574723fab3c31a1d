/**
 * "Why isn't my job running", per pool: the general reason (jobs/matching.ts `explainWait`),
 * followed, where the answer is about GPUs, by what each pool serving the project has online
 * ("no agent of pool Render Farm with 24 GB online; 3 with 16 GB idle").
 */
import type { Requirements, WaitReason } from "../../../protocol/jobs.ts";
import { type AgentCapability, explainWait, gb, type JobWork, misfit } from "../jobs/matching.ts";

/** A pool serving the project, by name (agents may be none). */
export interface ServingPool {
  id: string;
  name: string;
}

const ABOUT_GPUS: WaitReason[] = ["no_agent_online", "not_enough_vram", "agents_busy"];

export function explainWaitByPool(
  online: AgentCapability[],
  pools: ServingPool[],
  req: Requirements,
  work: JobWork,
): { reason: WaitReason; message: string } {
  const why = explainWait(online, req, work);
  if (!ABOUT_GPUS.includes(why.reason) || pools.length === 0) return why;
  const details = pools.map((pool) => poolDetail(pool, online, req, work));
  return { reason: why.reason, message: `${why.message}: ${details.join("; ")}` };
}

function poolDetail(
  pool: ServingPool,
  online: AgentCapability[],
  req: Requirements,
  work: JobWork,
): string {
  const mine = online.filter((a) => a.pool?.id === pool.id);
  const needs = req.minVramMiB > 0 ? ` with ${gb(req.minVramMiB)}` : "";
  if (mine.length === 0) return `no agent of pool ${pool.name} is online`;
  const able = mine.filter((a) => misfit(a, req, work) === null);
  if (able.length > 0) {
    const busy = able.filter((a) => a.busy).length;
    return `pool ${pool.name} has ${count(able.length, "agent")}${needs}, ${
      busy === able.length ? (busy === 1 ? "busy" : "all busy") : `${able.length - busy} idle`
    }`;
  }
  // None can run it: say what the pool has instead, by size and whether it is free.
  const others = [...Map.groupBy(mine, (a) => `${gb(a.maxVramMiB)} ${a.busy ? "busy" : "idle"}`)]
    .map(([what, list]) => `${list.length} with ${what}`);
  return `no agent of pool ${pool.name}${needs} online; ${others.join(", ")}`;
}

const count = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
