import assert from "node:assert/strict";
import { mediaIndex } from "./media.ts";

const take = {
  nodeId: "node-1",
  takeId: "take-3",
  url: "https://studio.example/api/blobs/t3?expires=1&sig=abc",
  relativePath: "renders/SC01/SHOT-010/v01/SHOT-010_v01_take03.mp4",
};
const other = {
  nodeId: "node-2",
  takeId: "take-9",
  url: "https://studio.example/api/blobs/t9?sig=def",
  relativePath: "renders/SC02/SHOT-010/v01/SHOT-010_v01_take03.mp4",
};
const lookup = mediaIndex([take, other]);

Deno.test("a take is found by its download URL, whatever the signature on it", () => {
  assert.deepEqual(lookup(take.url), { nodeId: "node-1", takeId: "take-3" });
  assert.deepEqual(lookup("https://studio.example/api/blobs/t3?expires=9&sig=zzz"), {
    nodeId: "node-1",
    takeId: "take-3",
  });
});

Deno.test("a take is found by its production path, also under a folder it was copied to", () => {
  assert.equal(lookup(take.relativePath)?.takeId, "take-3");
  assert.equal(lookup(`./${other.relativePath}`)?.takeId, "take-9");
  assert.equal(lookup(`file:///Volumes/Edit/Film/${take.relativePath}`)?.takeId, "take-3");
  assert.equal(lookup(`file:///Volumes/My%20Film/${other.relativePath}`)?.takeId, "take-9");
  assert.equal(
    lookup(`C:\\Edit\\Film\\${other.relativePath.replaceAll("/", "\\")}`)?.takeId,
    "take-9",
  );
});

Deno.test("a bare file name or an unknown path matches nothing: two scenes share file names", () => {
  assert.equal(lookup("SHOT-010_v01_take03.mp4"), null);
  assert.equal(lookup("file:///Volumes/Edit/SHOT-010/v01/SHOT-010_v01_take03.mp4"), null);
  assert.equal(lookup("https://elsewhere.example/api/blobs/t4"), null);
  assert.equal(lookup(""), null);
});
