/** A pool's agents as its members see them: name, size, online, busy, what runs on them. */
import type { AppDeps } from "../../context.ts";
import { isOnline } from "../agents.ts";
import { gpuClassOf } from "./footprints.ts";

export async function poolAgents(deps: AppDeps, poolId: string) {
  const result = await deps.db.$client.execute({
    sql: `select a.id as id, a.name as name, a.max_vram_mib as maxVramMiB,
        a.healthy_backends as backends, a.last_seen_at as lastSeenAt, a.revoked_at as revokedAt,
        a.concurrency as concurrency,
        (select count(*) from jobs h where h.lease_agent_id = a.id
          and h.state in ('leased', 'running')) as held
      from agents a where a.pool_id = ? and a.revoked_at is null
      order by a.last_seen_at desc limit 500`,
    args: [poolId],
  });
  return (result.rows as unknown as Record<string, string | number | null>[]).map((row) => {
    const agent = { lastSeenAt: Number(row.lastSeenAt), revokedAt: null };
    return {
      id: String(row.id),
      name: String(row.name),
      online: isOnline(deps, agent),
      lastSeenAt: agent.lastSeenAt,
      maxVramMiB: Number(row.maxVramMiB),
      vramClass: gpuClassOf(Number(row.maxVramMiB)),
      backends: JSON.parse(String(row.backends)) as string[],
      jobs: Number(row.held),
      busy: Number(row.held) >= Number(row.concurrency),
    };
  });
}
