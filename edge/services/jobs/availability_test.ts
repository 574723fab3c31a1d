import assert from "node:assert/strict";
import { NODE_TYPES } from "../../../protocol/nodes.ts";
import { parseModelConfig } from "../../../protocol/docker_models/model_config.ts";
import { availability, modelConfigAvailability } from "./availability.ts";
import { type AgentCapability, MODEL_CONFIG_WORK, workKey } from "./matching.ts";

const comfy16: AgentCapability = {
  maxVramMiB: 16376,
  healthyBackends: ["comfyui"],
  models: [],
  runnable: Object.values(NODE_TYPES).flatMap((def) =>
    def.backends.includes("comfyui") ? def.tiers.map((t) => workKey(def.type, t)) : []
  ),
  params: { [workKey("shot.generate", "standard")]: ["prompt", "seed"] },
};
const find = (list: ReturnType<typeof availability>, nodeType: string, tier: string) =>
  list.find((w) => w.nodeType === nodeType && w.tier === tier)!;

Deno.test("with no agent online every pair says so, and nothing is downgraded", () => {
  const shot = find(availability([]), "shot.generate", "standard");
  assert.equal(shot.agents, 0);
  assert.equal(shot.blocked?.reason, "no_agent_online");
  assert.equal(shot.downgrade, null);
  assert.equal(find(availability([]), "upscale", "standard").blocked?.reason, "no_agent_online");
});

Deno.test("a 16 GB agent runs standard; high says why not and that it would run at standard", () => {
  const list = availability([comfy16]);
  assert.deepEqual(find(list, "shot.generate", "standard"), {
    nodeType: "shot.generate",
    tier: "standard",
    agents: 1,
    blocked: null,
    downgrade: null,
    params: ["prompt", "seed"],
  });
  const high = find(list, "shot.generate", "high");
  assert.equal(high.agents, 0);
  assert.deepEqual(high.blocked, {
    reason: "not_enough_vram",
    message: "needs 24 GB of VRAM; the largest online GPU has 16 GB",
  });
  assert.deepEqual(high.downgrade, {
    tier: "standard",
    rationale: "high→standard: largest online GPU 16 GB",
  });
  assert.deepEqual(high.params, ["prompt", "seed"], "the parameters of where it would run");
  assert.equal(find(list, "image.generate", "low").params, null, "not told: every one counts");
  assert.equal(find(list, "upscale", "standard").blocked?.reason, "no_backend");
});

Deno.test("a model config asset says whether an online agent's Docker runs it, in the queue's words", () => {
  const checked = parseModelConfig("config", {
    id: "sketch",
    title: "Sketch",
    implements: [{ nodeType: "image.generate", tiers: ["low", "standard"] }],
    image: "example/sketch:1.0",
    command: ["run", "--prompt={prompt}", "--out", "{outputs}"],
    outputs: [{ glob: "*.png", kind: "image" }],
    gpu: true,
    vramMiB: 20_000,
  });
  const configs = [{ id: "mc1", name: "Sketch", version: 3, checked }];
  const docker = (maxVramMiB: number, runnable: string[]): AgentCapability => ({
    maxVramMiB,
    healthyBackends: ["docker"],
    models: [],
    runnable,
  });
  assert.equal(modelConfigAvailability([], configs)[0]!.blocked?.reason, "no_agent_online");
  assert.deepEqual(modelConfigAvailability([comfy16], configs)[0]!.blocked, {
    reason: "no_backend",
    message: "no online agent has Docker running",
  });
  assert.deepEqual(
    modelConfigAvailability([docker(16376, [MODEL_CONFIG_WORK])], configs)[0]!.blocked,
    { reason: "not_enough_vram", message: "needs 20 GB of VRAM; the largest online GPU has 16 GB" },
  );
  assert.match(
    modelConfigAvailability([docker(24564, [])], configs)[0]!.blocked!.message,
    /^no online agent runs model config assets \(model config "Sketch" v3\)/,
  );
  assert.deepEqual(modelConfigAvailability([docker(24564, [MODEL_CONFIG_WORK])], configs), [{
    assetId: "mc1",
    name: "Sketch",
    version: 3,
    pairs: [{ nodeType: "image.generate", tier: "low" }, {
      nodeType: "image.generate",
      tier: "standard",
    }],
    vramMiB: 20_000,
    network: false,
    agents: 1,
    blocked: null,
    params: ["prompt"],
  }]);
});
