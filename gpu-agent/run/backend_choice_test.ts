import assert from "node:assert/strict";
import type { Backend } from "../../protocol/nodes.ts";
import { type JobBackend, JobFailure } from "../backends/backend.ts";
import { chooseBackend } from "./backend_choice.ts";

function stub(kind: Backend, options: { runs?: boolean; vramMiB?: number; why?: string } = {}) {
  return {
    kind,
    probe: () => Promise.reject(new Error("not probed in this test")),
    canRun: () => options.runs ?? true,
    run: () => Promise.reject(new Error("not run in this test")),
    footprint: () =>
      options.vramMiB === undefined ? undefined : { vramMiB: options.vramMiB, models: [] },
    rationale: () => options.why ?? kind,
  } as JobBackend;
}

const shot = {
  nodeType: "shot.generate",
  tier: "low" as const,
  inputs: [],
  requirements: { backends: ["comfyui", "wan2gp", "gradio"] },
};
const healthy = () => true;

Deno.test("one backend for the node type: no choice, no rationale", () => {
  const comfy = stub("comfyui", { vramMiB: 10240 });
  assert.deepEqual(chooseBackend(shot, [comfy], healthy, 12282), {
    backend: comfy,
    rationale: null,
  });
});

Deno.test("a tight fit for the preferred template sends the shot to Wan2GP, saying why", () => {
  const comfy = stub("comfyui", { vramMiB: 10240, why: "comfyui shot.generate.low" });
  const wan2gp = stub("wan2gp", { why: "wan2gp profile 4: 12 GB VRAM, 32 GB RAM" });
  assert.deepEqual(chooseBackend(shot, [comfy, wan2gp], healthy, 12282), {
    backend: wan2gp,
    rationale: "wan2gp profile 4: 12 GB VRAM, 32 GB RAM; chosen over ComfyUI: its " +
      "shot.generate.low template needs 10 of 12 GB",
  });
});

Deno.test("only one backend able: it runs, and the rationale says why not the others", () => {
  const comfy = stub("comfyui", { runs: false });
  const wan2gp = stub("wan2gp", { why: "wan2gp profile 5: 10 GB VRAM, 24 GB RAM" });
  const gradio = stub("gradio");
  const choice = chooseBackend(shot, [comfy, wan2gp, gradio], (b) => b !== gradio, 10240);
  assert.deepEqual(choice, {
    backend: wan2gp,
    rationale: "wan2gp profile 5: 10 GB VRAM, 24 GB RAM; ComfyUI has nothing for " +
      "shot.generate at low; a Gradio app is not running",
  });
});

Deno.test("none healthy: handed back with a reason; none able at all: cannot_run", () => {
  const comfy = stub("comfyui");
  assert.equal(
    chooseBackend(shot, [comfy], () => false, 12282),
    "comfyui is not available on this agent now",
  );
  assert.throws(
    () => chooseBackend(shot, [stub("comfyui", { runs: false })], healthy, 12282),
    (e: JobFailure) => e.code === "cannot_run" && /shot\.generate at low/.test(e.message),
  );
});
