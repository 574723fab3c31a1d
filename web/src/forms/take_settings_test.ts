import assert from "node:assert/strict";
import type { Take } from "../api/types.ts";
import { settingsOfTake } from "./take_settings.ts";

const take = (params: Record<string, unknown>, seed: number | null) =>
  ({ lineage: { params, seed } }) as unknown as Take;

Deno.test("a take's settings go back to its node with the seed it used, not its naming", () => {
  assert.deepEqual(
    settingsOfTake(
      "shot.generate",
      take({ prompt: "a red door", steps: 30, shot: "SHOT-090", scene: "SC09", seed: 1 }, 42),
    ),
    { prompt: "a red door", steps: 30, seed: 42 },
  );
});

Deno.test("values today's rules refuse and keys the node does not have are left out", () => {
  assert.deepEqual(
    settingsOfTake("image.generate", take({ prompt: "x", steps: 2.5, frames: 81, cfg: 99 }, null)),
    { prompt: "x" },
  );
});
