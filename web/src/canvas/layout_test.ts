import assert from "node:assert/strict";
import {
  edgePath,
  layoutNode,
  NODE_WIDTH,
  RUN_BODY_HEIGHT,
  socketPosition,
  socketRowY,
} from "./layout.ts";

Deno.test("nodes that can run get a body for progress and takes; others do not", () => {
  const shot = layoutNode({ type: "shot.generate", x: 0, y: 0 });
  const style = layoutNode({ type: "asset.style", x: 0, y: 0 });
  assert.notEqual(shot.runBodyTop, null);
  assert.equal(style.runBodyTop, null);
  assert.equal(shot.rect.h - shot.runBodyTop!, RUN_BODY_HEIGHT);
  assert.ok(shot.rect.h > style.rect.h);
  assert.equal(shot.rect.w, NODE_WIDTH);
});

Deno.test("sockets sit on the card's edges, one row each, in catalog order", () => {
  const at = { type: "shot.generate", x: 100, y: 50 };
  assert.deepEqual(socketPosition(at, "input", "prompt"), { x: 100, y: 50 + socketRowY(0) });
  assert.deepEqual(socketPosition(at, "input", "camera"), { x: 100, y: 50 + socketRowY(3) });
  assert.deepEqual(socketPosition(at, "output", "video"), {
    x: 100 + NODE_WIDTH,
    y: 50 + socketRowY(0),
  });
  assert.equal(socketPosition(at, "input", "video"), null);
  assert.equal(socketPosition({ type: "unknown.type", x: 0, y: 0 }, "input", "a"), null);
});

Deno.test("an edge path leaves the output and enters the input horizontally", () => {
  assert.equal(edgePath({ x: 0, y: 0 }, { x: 200, y: 100 }), "M0,0 C100,0 100,100 200,100");
});
