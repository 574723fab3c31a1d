/**
 * The scaling answer's hold: within the pool's scale-down idle time after work, the agents
 * online are kept, also while some of them still run jobs. Letting the count fall to the jobs
 * running and then rise to the agents online once they end made an autoscaler stop an agent
 * (one that may have been running a job: Kubernetes picks) and start a new one a moment later.
 */
import assert from "node:assert/strict";
import type { FleetState } from "./fleet_state.ts";
import { desiredAgents } from "./scaling.ts";

const POOL = { id: "p", name: "Render Farm" };
const POLICY = { minAgents: 0, maxAgents: 3, targetWaitS: 5, scaleDownIdleS: 10 };
const NOW = 1_000_000;
const HIGH = 24 * 1024;

function state(busy: boolean[], running: number): FleetState {
  return {
    pools: [{ ...POOL, kind: "studio" }],
    queued: [],
    held: running > 0
      ? [{ poolId: "p", tier: "high", sizeTier: "high", state: "running", count: running }]
      : [],
    online: busy.map((b) => ({ poolId: "p", maxVramMiB: HIGH, busy: b })),
  };
}

const desired = (s: FleetState, lastWorkAgoMs: number) =>
  desiredAgents(POOL, POLICY, s, new Map(), NOW - lastWorkAgoMs, NOW).tiers.high;

Deno.test("a burst's agents are kept while the last jobs run, within the idle time after work", () => {
  // Three agents, one still running the burst's last job, one finished just now.
  const lastJob = desired(state([true, false, false], 1), 200);
  assert.equal(lastJob.desired, 3, lastJob.reason);
  assert.match(lastJob.reason, /1 running; keeping the 3 online until 10 s after the last work/);
  // It ends: still 3, as before; never 1 in between.
  const ended = desired(state([false, false, false], 0), 100);
  assert.equal(ended.desired, 3, ended.reason);
  // After the idle time with a job still running: the running jobs' agents only.
  const later = desired(state([true, false, false], 1), 10_500);
  assert.equal(later.desired, 1, later.reason);
  assert.equal(desired(state([false, false, false], 0), 10_500).desired, 0);
});
