import assert from "node:assert/strict";
import type { ScalingAnswer, TierScaling } from "../../../protocol/fleet.ts";
import { duration, footprintLine, policyBody, policyLine, scalingLines } from "./fleet.ts";

Deno.test("a pool's policy reads as limits and times", () => {
  assert.equal(
    policyLine({ minAgents: 0, maxAgents: 10, targetWaitS: 120, scaleDownIdleS: 5400 }),
    "0–10 agents per tier · jobs wait at most 2 min · scale down after 1 h 30 min idle",
  );
  assert.equal(duration(45), "45 s");
  assert.equal(duration(7200), "2 h");
});

Deno.test("scaling lines name only tiers with work or wanted agents, with the edge's reason", () => {
  const idle: TierScaling = {
    desired: 0,
    queued: 0,
    running: 0,
    agents: { online: 0, busy: 0, idle: 0 },
    durationS: null,
    reason: "nothing queued",
  };
  const answer: ScalingAnswer = {
    pool: { id: "p", name: "Farm" },
    policy: { minAgents: 0, maxAgents: 4, targetWaitS: 60, scaleDownIdleS: 60 },
    at: 0,
    desired: 3,
    tiers: {
      low: idle,
      standard: {
        ...idle,
        desired: 3,
        queued: 4,
        reason: "4 queued × ~45 s over a 60 s target wait → 3: 3",
      },
      high: idle,
    },
  };
  assert.deepEqual(scalingLines(answer), [
    "standard: wants 3 (4 queued × ~45 s over a 60 s target wait → 3)",
  ]);
});

Deno.test("a job's VRAM figure says whether it was learned or declared", () => {
  assert.equal(
    footprintLine({
      source: "learned",
      vramMiB: 14_336,
      declaredMiB: 24_576,
      p95PeakMiB: 13_312,
      samples: 7,
      marginMiB: 1024,
    }),
    "14 GB learned: p95 peak 13 GB over 7 runs + 1.0 GB (declared 24 GB)",
  );
  assert.match(
    footprintLine({ source: "declared", vramMiB: 12_288, declaredMiB: 12_288 }),
    /^12 GB declared/,
  );
});

Deno.test("a policy form sends what was typed as numbers and leaves empty fields out", () => {
  assert.deepEqual(policyBody({ minAgents: "2", maxAgents: "", targetWaitS: " 0 " }), {
    minAgents: 2,
    targetWaitS: 0,
  });
});
