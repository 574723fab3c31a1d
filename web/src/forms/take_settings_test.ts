import assert from "node:assert/strict";
import type { Take } from "../api/types.ts";
import { settingsOfTake } from "./take_settings.ts";

const take = (
  params: Record<string, unknown>,
  seed: number | null,
  ran: Partial<Pick<Take["lineage"], "workflow" | "modelConfig">> = {},
) => ({ lineage: { params, seed, workflow: null, modelConfig: null, ...ran } }) as unknown as Take;

/** What a take made by the agents' own backends says about what runs the node: nothing. */
const BUILT_IN = {
  workflowAssetId: null,
  workflowVersion: null,
  modelConfigAssetId: null,
  modelConfigVersion: null,
};

Deno.test("a take's settings go back to its node with the seed it used, not its naming", () => {
  assert.deepEqual(
    settingsOfTake(
      "shot.generate",
      take({ prompt: "a red door", steps: 30, shot: "SHOT-090", scene: "SC09", seed: 1 }, 42),
    ),
    { ...BUILT_IN, prompt: "a red door", steps: 30, seed: 42 },
  );
});

Deno.test("values today's rules refuse and keys the node does not have are left out", () => {
  assert.deepEqual(
    settingsOfTake("image.generate", take({ prompt: "x", steps: 2.5, frames: 81, cfg: 99 }, null)),
    { ...BUILT_IN, prompt: "x" },
  );
});

Deno.test("a take made by a library asset pins the node to the asset's version that ran", () => {
  const ref = { assetId: "wf1", version: 2, name: "Noir look" };
  assert.deepEqual(
    settingsOfTake("image.generate", take({ prompt: "x" }, 7, { workflow: ref })),
    {
      ...BUILT_IN,
      workflowAssetId: "wf1",
      workflowVersion: 2,
      prompt: "x",
      seed: 7,
    },
  );
  const docker = { assetId: "mc1", version: 3, name: "Voice" };
  assert.deepEqual(
    settingsOfTake("voice.synthesize", take({ text: "hi" }, null, { modelConfig: docker })),
    { modelConfigAssetId: "mc1", modelConfigVersion: 3, text: "hi" },
  );
});
