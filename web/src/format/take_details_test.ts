import assert from "node:assert/strict";
import { durationWords, inputWords, runnerWords, timingWords } from "./take_details.ts";

Deno.test("durations read as people say them", () => {
  assert.equal(durationWords(400), "0.4 s");
  assert.equal(durationWords(12_300), "12 s");
  assert.equal(durationWords(125_000), "2 min 5 s");
  assert.equal(durationWords(3_780_000), "1 h 3 min");
});

Deno.test("a take says how long it waited and ran, and what it read", () => {
  const t = timingWords({ queuedAt: 1_000, startedAt: 4_000, finishedAt: 16_000 });
  assert.equal(t.waited, "3.0 s");
  assert.equal(t.ran, "12 s");
  assert.equal(timingWords({ queuedAt: 1, startedAt: null, finishedAt: null }).ran, "—");
  assert.equal(
    inputWords({
      kind: "asset",
      socket: "reference",
      assetId: "a",
      assetType: "character",
      version: 2,
      name: "Rey",
      image: true,
    }),
    "Character Rey, version 2 (its reference image)",
  );
  assert.equal(
    inputWords({
      kind: "take",
      socket: "video",
      takeId: "t",
      nodeId: "n",
      name: "SHOT-010_v01_take01.mp4",
    }),
    "SHOT-010_v01_take01.mp4",
  );
  assert.equal(
    inputWords({ kind: "take", socket: "video", takeId: "0123456789", nodeId: null, name: null }),
    "take 01234567",
  );
});

Deno.test("a take names the library asset that ran it, at the version that ran", () => {
  const ref = { assetId: "a", version: 2, name: "Noir look" };
  assert.equal(
    runnerWords({ workflow: ref, modelConfig: null }),
    'Workflow "Noir look", version 2',
  );
  assert.equal(
    runnerWords({ workflow: null, modelConfig: { ...ref, name: "Sketch", version: 1 } }),
    'Docker model "Sketch", version 1',
  );
  assert.equal(runnerWords({ workflow: null, modelConfig: null }), null);
});
