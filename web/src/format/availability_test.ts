import assert from "node:assert/strict";
import type { WorkAvailability } from "../../../protocol/jobs.ts";
import { availabilityNote, downgradeNote } from "./availability.ts";

const work = (over: Partial<WorkAvailability>): WorkAvailability => ({
  nodeType: "shot.generate",
  tier: "high",
  agents: 0,
  blocked: null,
  downgrade: null,
  params: null,
  ...over,
});

Deno.test("a node says before Generate whether it runs, where, and why not, in full", () => {
  assert.deepEqual(availabilityNote(work({ agents: 2, tier: "standard" }), "standard"), {
    tone: "ok",
    text: "Ready: 2 agents online can run this at standard.",
  });
  const vram = {
    reason: "not_enough_vram" as const,
    message: "needs 24 GB of VRAM; the largest online GPU has 16 GB",
  };
  assert.deepEqual(
    availabilityNote(
      work({
        blocked: vram,
        downgrade: { tier: "standard", rationale: "high→standard: largest online GPU 16 GB" },
      }),
      "high",
    ),
    {
      tone: "lower",
      text: "Runs at standard, not high: needs 24 GB of VRAM; the largest online GPU has 16 GB.",
    },
  );
  assert.deepEqual(availabilityNote(work({ blocked: vram }), "high"), {
    tone: "waits",
    text: "No online agent can run this at high: needs 24 GB of VRAM; the largest online GPU " +
      "has 16 GB. Generate queues it until one can.",
  });
  assert.equal(availabilityNote(null, "high").tone, "unknown");
});

Deno.test("a take run at a lower tier says so, with the edge's reason", () => {
  assert.equal(
    downgradeNote({
      tier: "standard",
      requestedTier: "high",
      rationale: "high→standard: largest online GPU 16 GB",
    }),
    "Ran at standard, not high (high→standard: largest online GPU 16 GB)",
  );
  assert.equal(downgradeNote({ tier: "high", requestedTier: "high", rationale: null }), null);
});

Deno.test("a node that runs a workflow says, at the workflow's tier, which model file no agent has", () => {
  const workflow = {
    ...work({ tier: "low", params: ["prompt"] }),
    assetId: "w1",
    name: "Wan fox",
    version: 3,
  };
  const missing = {
    reason: "missing_model" as const,
    message: "no online agent has `wan2.2_t2v_high_noise_14B_fp8.safetensors` " +
      `(workflow "Wan fox" v3 needs it): put it in ComfyUI's models/diffusion_models`,
  };
  assert.deepEqual(availabilityNote({ ...workflow, blocked: missing }, "high"), {
    tone: "waits",
    text: 'Your workflow "Wan fox" (low) waits: no online agent ' +
      'has `wan2.2_t2v_high_noise_14B_fp8.safetensors` (workflow "Wan fox" v3 needs it): put ' +
      "it in ComfyUI's models/diffusion_models. Generate queues it until one can.",
  });
  assert.deepEqual(availabilityNote({ ...workflow, agents: 1 }, "high"), {
    tone: "ok",
    text: 'Ready: 1 agent online can run your workflow "Wan fox" (v3, low).',
  });
});

Deno.test("a node running a Docker model config says whether it runs, at the node's tier", () => {
  const config = {
    assetId: "mc1",
    name: "Sketch",
    version: 2,
    pairs: [{ nodeType: "image.generate", tier: "low" as const }],
    vramMiB: 6144,
    network: false,
    agents: 0,
    blocked: {
      reason: "no_agent_online" as const,
      message: "no agent is online for this project: start one with `deno task agent run`",
    },
    params: ["prompt"],
    nodeType: "image.generate",
    tier: "low" as const,
  };
  assert.deepEqual(availabilityNote(config, "low"), {
    tone: "waits",
    text: 'Your Docker model "Sketch" (v2) waits: no agent is online for this project: start ' +
      "one with `deno task agent run`. Generate queues it until one can.",
  });
  assert.deepEqual(availabilityNote({ ...config, agents: 1, blocked: null }, "low"), {
    tone: "ok",
    text: 'Ready: 1 agent online can run your Docker model "Sketch" (v2).',
  });
  // The words the edge refuses the job with (services/model_config_assets.ts).
  assert.deepEqual(availabilityNote({ ...config, agents: 1, tier: "high" }, "high"), {
    tone: "waits",
    text: 'Your Docker model "Sketch" (v2) cannot run this: "Sketch" runs image.generate at ' +
      "low, not high. Choose another tier.",
  });
  assert.match(availabilityNote({ ...config, network: true }, "low").text, /network access/);
});
