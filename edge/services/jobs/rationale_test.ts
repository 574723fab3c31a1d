import assert from "node:assert/strict";
import { withBackendChoice } from "./rationale.ts";

Deno.test("the agent's backend choice follows the tier's rationale and replaces an earlier attempt's", () => {
  const wan2gp = "wan2gp profile 4: 12 GB VRAM, 32 GB RAM";
  assert.equal(withBackendChoice(null, wan2gp), wan2gp);
  const lowered = "high→standard: largest online GPU 16 GB";
  const first = withBackendChoice(lowered, wan2gp);
  assert.equal(first, `${lowered} · ${wan2gp}`);
  assert.equal(
    withBackendChoice(first, "comfyui shot.generate.standard"),
    `${lowered} · comfyui shot.generate.standard`,
  );
  assert.equal(withBackendChoice(wan2gp, "comfyui shot.generate.low"), "comfyui shot.generate.low");
});
