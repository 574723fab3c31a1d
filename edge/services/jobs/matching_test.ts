import assert from "node:assert/strict";
import { NODE_TYPES } from "../../../protocol/nodes.ts";
import { CUT_RENDER, JOB_TYPES } from "../../../protocol/work.ts";
import { minVramMiB, type Tier } from "../../../protocol/tiers.ts";
import {
  type AgentCapability,
  chooseTier,
  explainWait,
  misfit,
  requirementsFor,
  WORKFLOW_WORK,
  workflowRequirements,
  workKey,
} from "./matching.ts";

const shot = NODE_TYPES["shot.generate"]!;
const upscale = NODE_TYPES["upscale"]!;
// What nvidia-smi reports for cards sold as 8, 12, 16 and 24 GB.
const REPORTED_MIB: Record<number, number> = { 0: 0, 8: 8188, 12: 12282, 16: 16376, 24: 24564 };
const agent = (
  vramGb: number,
  backends: AgentCapability["healthyBackends"] = ["comfyui"],
  models: string[] = [],
): AgentCapability => ({
  maxVramMiB: REPORTED_MIB[vramGb]!,
  healthyBackends: backends,
  models,
  // Older agents, which list no pairs, can run every pair their backends serve.
  runnable: Object.values(NODE_TYPES).flatMap((def) =>
    def.backends.some((b) => backends.includes(b)) ? def.tiers.map((t) => workKey(def.type, t)) : []
  ),
});
const at = (tier: Tier, def = shot) => ({ nodeType: def.type, tier });

Deno.test("a 12 GB agent does not fit a 24 GB job; a 24 GB agent does", () => {
  const high = requirementsFor(shot, "high");
  assert.equal(high.minVramMiB, minVramMiB("high"));
  assert.equal(misfit(agent(12), high, at("high")), "not_enough_vram");
  assert.equal(misfit(agent(24), high, at("high")), null);
});

Deno.test("an agent without the backend, or with it unhealthy, does not fit", () => {
  const req = requirementsFor(shot, "low");
  assert.equal(misfit(agent(24, ["ffmpeg"]), req, at("low")), "no_backend");
  assert.equal(
    misfit(agent(24, ["wan2gp"]), req, at("low")),
    null,
    "Wan2GP is the other candidate for shots",
  );
  assert.equal(
    misfit(agent(0, ["ffmpeg"]), requirementsFor(upscale, "standard"), at("standard", upscale)),
    null,
    "CPU work needs no VRAM",
  );
});

Deno.test("missing models keep an agent from a job", () => {
  const req = {
    backends: ["comfyui" as const],
    minVramMiB: 0,
    models: ["wan2.1_t2v_14B.safetensors"],
  };
  assert.equal(misfit(agent(24), req, at("low")), "missing_model");
  assert.equal(
    misfit(agent(24, ["comfyui"], ["wan2.1_t2v_14B.safetensors"]), req, at("low")),
    null,
  );
});

Deno.test("a waiting job says why, in the order a user can fix it", () => {
  const req = requirementsFor(shot, "high");
  assert.equal(explainWait([], req, at("high")).reason, "no_agent_online");
  assert.equal(explainWait([agent(24, ["ffmpeg"])], req, at("high")).reason, "no_backend");
  const vram = explainWait([agent(12), agent(16)], req, at("high"));
  assert.equal(vram.reason, "not_enough_vram");
  assert.match(vram.message, /needs 24 GB .* largest online GPU has 16 GB/);
  assert.equal(explainWait([agent(24)], req, at("high")).reason, "agents_busy");
});

Deno.test("downgrade picks the best tier an online agent can run and says why", () => {
  const choice = chooseTier(shot, "high", true, [agent(12), agent(16)]);
  assert.equal(choice.tier, "standard");
  assert.equal(choice.requirements.minVramMiB, minVramMiB("standard"));
  assert.equal(choice.rationale, "high→standard: largest online GPU 16 GB");
});

Deno.test("no downgrade when not allowed, when the tier fits, or when nobody is online", () => {
  assert.equal(chooseTier(shot, "high", false, [agent(12)]).tier, "high");
  assert.equal(chooseTier(shot, "high", true, [agent(24)]).rationale, null);
  assert.equal(chooseTier(shot, "high", true, []).tier, "high");
  assert.equal(
    chooseTier(shot, "high", true, [agent(8)]).tier,
    "high",
    "no lower tier helps an 8 GB card",
  );
});

const image = NODE_TYPES["image.generate"]!;

Deno.test("an agent that cannot run the pair says what to install and where", () => {
  const req = requirementsFor(image, "low");
  const work = at("low", image);
  const lacking: AgentCapability = {
    ...agent(24),
    runnable: [],
    blocked: [{
      backend: "comfyui",
      nodeType: "image.generate",
      tier: "low",
      template: "image.generate.low",
      missingModels: [{ folder: "checkpoints", file: "sd_xl_base_1.0.safetensors" }],
      missingClasses: [],
    }],
  };
  assert.equal(misfit(lacking, req, work), "missing_model");
  assert.deepEqual(explainWait([lacking], req, work), {
    reason: "missing_model",
    message:
      "no online agent has `sd_xl_base_1.0.safetensors` for image.generate at low; put it in ComfyUI's models/checkpoints",
  });
  const noNode: AgentCapability = {
    ...lacking,
    blocked: [{ ...lacking.blocked![0]!, missingModels: [], missingClasses: ["SDXLSampler"] }],
  };
  assert.equal(explainWait([noNode], req, work).reason, "missing_node");
  assert.match(explainWait([noNode], req, work).message, /has the node `SDXLSampler` for image/);
  const none = explainWait([{ ...lacking, blocked: [] }], req, work);
  assert.equal(none.reason, "no_template");
  assert.match(none.message, /no online agent has a template for image.generate at low/);
  assert.equal(
    explainWait([lacking, agent(24)], req, work).reason,
    "agents_busy",
    "one agent that can run it is enough",
  );
});

Deno.test("a Wan2GP lacking a model's weights says to put them in its ckpts folder", () => {
  const shot = NODE_TYPES["shot.generate"]!;
  const req = requirementsFor(shot, "standard");
  const work = at("standard", shot);
  const lacking: AgentCapability = {
    ...agent(16, ["wan2gp"]),
    runnable: [],
    blocked: [{
      backend: "wan2gp",
      nodeType: "shot.generate",
      tier: "standard",
      template: "wan2gp ti2v_2_2",
      missingModels: [{
        folder: "ckpts",
        file: "wan2.2_text2video_5B_quanto_mbf16_int8.safetensors",
      }],
      missingClasses: [],
    }],
  };
  assert.equal(
    explainWait([lacking], req, work).message,
    "no online agent has `wan2.2_text2video_5B_quanto_mbf16_int8.safetensors` for shot.generate " +
      "at standard; put it in Wan2GP's ckpts",
  );
});

Deno.test("a workflow job needs an agent that runs workflows and has its model files, and says so", () => {
  const models = [
    { folder: "diffusion_models", file: "wan2.2_t2v_high_noise_14B_fp8_scaled.safetensors" },
    { folder: "vae", file: "wan_2.1_vae.safetensors" },
  ];
  const workflow = { name: "Fox", version: 3, models };
  const work = { ...at("high"), workflow };
  const req = workflowRequirements("high", models);
  assert.deepEqual(req.backends, ["comfyui"]);
  const runsWorkflows = (files: string[]) => ({
    ...agent(24, ["comfyui"], files),
    runnable: [WORKFLOW_WORK],
  });
  const lacking = explainWait([runsWorkflows(["wan_2.1_vae.safetensors"])], req, work);
  assert.equal(lacking.reason, "missing_model");
  assert.equal(
    lacking.message,
    'no online agent has `wan2.2_t2v_high_noise_14B_fp8_scaled.safetensors` (workflow "Fox" v3 ' +
      "needs it): put it in ComfyUI's models/diffusion_models",
  );
  const all = models.map((m) => m.file);
  // An agent with the files but without workflow support (older agents) cannot take it.
  const old = { ...agent(24, ["comfyui"], all), runnable: [workKey("shot.generate", "high")] };
  assert.equal(misfit(old, req, work), "no_template");
  assert.match(explainWait([old], req, work).message, /no online agent runs workflow assets/);
  assert.equal(misfit(runsWorkflows(all), req, work), null);
  assert.equal(explainWait([runsWorkflows(all)], req, work).reason, "agents_busy");
});

Deno.test("a cut render waiting on agents too old to render cuts says to update the agent", () => {
  const render = JOB_TYPES[CUT_RENDER]!;
  const req = requirementsFor(render, "standard");
  const work = { nodeType: CUT_RENDER, tier: "standard" as const };
  // An agent from before the cut: ffmpeg healthy, every node pair it serves, no `cut.render`.
  const old = agent(0, ["ffmpeg"]);
  assert.equal(old.runnable.includes(workKey(CUT_RENDER, "standard")), false);
  const why = explainWait([old], req, work);
  assert.doesNotMatch(why.message, /template/, "cut.render has no template to add");
  assert.equal(
    why.message,
    "no online agent can render cuts (cut.render): update the agent; an agent with ffmpeg " +
      "from this release runs them",
  );
  const current = { ...old, runnable: [...old.runnable, workKey(CUT_RENDER, "standard")] };
  assert.equal(explainWait([old, current], req, work).reason, "agents_busy");
});
