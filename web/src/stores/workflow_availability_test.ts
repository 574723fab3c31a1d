import assert from "node:assert/strict";
import type { WorkflowAvailability } from "../../../protocol/jobs.ts";
import { readinessOf, workflowReadiness } from "./workflow_availability.ts";

const version = (n: number, blocked: string | null): WorkflowAvailability => ({
  assetId: "wf",
  name: `SDXL v${n}`,
  version: n,
  nodeType: "image.generate",
  tier: "low",
  agents: blocked ? 0 : 1,
  blocked: blocked ? { reason: "missing_model", message: blocked } : null,
  downgrade: null,
  params: ["prompt"],
});

Deno.test("a node pinned to an older workflow version is judged by that version, not the newest", () => {
  const newest = version(2, "no online agent has `refiner.safetensors`");
  const older = version(1, null);
  const readiness = workflowReadiness([newest], [older]);
  assert.equal(readinessOf(readiness, "wf", 1), older, "pinned: its version's note");
  assert.equal(readinessOf(readiness, "wf", 2), newest, "pinned to the newest: the newest's");
  assert.equal(readinessOf(readiness, "wf", undefined), newest, "unpinned: the newest");
  assert.equal(readinessOf(readiness, "wf", null), newest, "a cleared pin: the newest");
  assert.equal(readinessOf(readiness, "wf", 7), undefined, "no such version: unknown");
  assert.equal(readinessOf(workflowReadiness([newest]), "wf", 1), undefined, "an older edge");
});
