import assert from "node:assert/strict";
import { checkConnection } from "./connect.ts";
import { graphOf, node } from "./test_graph.ts";

const g = graphOf(
  [
    node("shot", "shot.generate"),
    node("up", "upscale"),
    node("style", "asset.style"),
    node("char", "asset.character"),
    node("pipe", "control.pipeline"),
  ],
  [["e1", "shot", "video", "up", "video"]],
);

Deno.test("an output joins an input of the same type, from either end of the drag", () => {
  const fromOutput = checkConnection(g, { node: "style", side: "output", socket: "style" }, {
    node: "shot",
    side: "input",
    socket: "style",
  });
  assert.deepEqual(fromOutput, {
    ok: true,
    from: { node: "style", socket: "style" },
    to: { node: "shot", socket: "style" },
    replaces: null,
  });
  const fromInput = checkConnection(g, { node: "shot", side: "input", socket: "style" }, {
    node: "style",
    side: "output",
    socket: "style",
  });
  assert.deepEqual(fromInput, fromOutput);
});

Deno.test("an incompatible socket type is refused with a reason naming both types", () => {
  const result = checkConnection(g, { node: "style", side: "output", socket: "style" }, {
    node: "shot",
    side: "input",
    socket: "reference",
  });
  assert.equal(result.ok, false);
  assert.match(
    !result.ok ? result.reason : "",
    /style output cannot feed the image input "reference"/,
  );
});

Deno.test("an any-typed socket accepts every type", () => {
  const result = checkConnection(g, { node: "char", side: "output", socket: "image" }, {
    node: "pipe",
    side: "input",
    socket: "in",
  });
  assert.equal(result.ok, true);
});

Deno.test("two inputs, a node feeding itself and a loop are refused", () => {
  const twoInputs = checkConnection(g, { node: "up", side: "input", socket: "video" }, {
    node: "shot",
    side: "input",
    socket: "style",
  });
  assert.match(!twoInputs.ok ? twoInputs.reason : "", /not two inputs/);
  const self = checkConnection(g, { node: "pipe", side: "output", socket: "out" }, {
    node: "pipe",
    side: "input",
    socket: "in",
  });
  assert.match(!self.ok ? self.reason : "", /cannot feed itself/);
  const loop = graphOf([node("p1", "control.pipeline"), node("p2", "control.pipeline")], [[
    "e",
    "p1",
    "out",
    "p2",
    "in",
  ]]);
  const cycle = checkConnection(loop, { node: "p2", side: "output", socket: "out" }, {
    node: "p1",
    side: "input",
    socket: "in",
  });
  assert.match(!cycle.ok ? cycle.reason : "", /loop/);
});

Deno.test("connecting to an occupied input replaces its edge; the same edge twice is refused", () => {
  const g2 = graphOf([...Object.values(g.nodes), node("shot2", "shot.generate")], [[
    "e1",
    "shot",
    "video",
    "up",
    "video",
  ]]);
  const replace = checkConnection(g2, { node: "shot2", side: "output", socket: "video" }, {
    node: "up",
    side: "input",
    socket: "video",
  });
  assert.equal(replace.ok && replace.replaces, "e1");
  const again = checkConnection(g2, { node: "shot", side: "output", socket: "video" }, {
    node: "up",
    side: "input",
    socket: "video",
  });
  assert.match(!again.ok ? again.reason : "", /already connected/);
});

Deno.test("an unknown socket is refused with its name", () => {
  const result = checkConnection(g, { node: "shot", side: "output", socket: "nope" }, {
    node: "up",
    side: "input",
    socket: "video",
  });
  assert.match(!result.ok ? result.reason : "", /no output "nope"/);
});
