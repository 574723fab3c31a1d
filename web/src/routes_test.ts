import assert from "node:assert/strict";
import { matchRoute, pathFor } from "./routes.ts";

Deno.test("every studio URL maps to its screen and back", () => {
  assert.deepEqual(matchRoute("/"), { name: "dashboard" });
  assert.deepEqual(matchRoute("/signin/"), { name: "signin" });
  assert.deepEqual(matchRoute("/projects/9b1c-22"), { name: "project", projectId: "9b1c-22" });
  assert.deepEqual(matchRoute("/s/abc%2Fdef"), { name: "share", token: "abc/def" });
  assert.equal(pathFor({ name: "share", token: "abc/def" }), "/s/abc%2Fdef");
  assert.equal(pathFor({ name: "project", projectId: "p1" }), "/projects/p1");
  assert.deepEqual(matchRoute("/review/p1/take/t-2"), {
    name: "reviewTake",
    projectId: "p1",
    takeId: "t-2",
  });
  assert.equal(
    pathFor({ name: "reviewTake", projectId: "p1", takeId: "t-2" }),
    "/review/p1/take/t-2",
  );
  assert.deepEqual(matchRoute("/review/p1/main"), {
    name: "reviewCut",
    projectId: "p1",
    cutId: "main",
  });
  assert.equal(pathFor({ name: "reviewCut", projectId: "p1", cutId: "main" }), "/review/p1/main");
});

Deno.test("unknown paths and malformed project ids are not found", () => {
  assert.deepEqual(matchRoute("/projects/../etc"), { name: "notFound", path: "/projects/../etc" });
  assert.deepEqual(matchRoute("/nope"), { name: "notFound", path: "/nope" });
});

Deno.test("the agents page has its own URL", () => {
  assert.deepEqual(matchRoute("/agents"), { name: "agents" });
  assert.equal(pathFor({ name: "agents" }), "/agents");
});

Deno.test("pools and studios have their own URLs", () => {
  assert.deepEqual(matchRoute("/pools"), { name: "pools" });
  assert.deepEqual(matchRoute("/studios/"), { name: "studios" });
  assert.equal(pathFor({ name: "pools" }), "/pools");
  assert.equal(pathFor({ name: "studios" }), "/studios");
});
