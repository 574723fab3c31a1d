import assert from "node:assert/strict";
import type { EdgeReader } from "./edge_reader.ts";
import { projectFiles, safeName } from "./project_files.ts";

Deno.test("a name users typed stays one segment inside its folder: no slashes, no dot folders, no .git", () => {
  assert.equal(safeName("Captain Mara"), "Captain Mara");
  assert.equal(safeName("../../etc/passwd"), "_.._.._etc_passwd");
  assert.equal(safeName(".."), "_");
  assert.equal(safeName(".git"), "_.git");
  assert.equal(safeName("a\\b:c\u0000d"), "a_b_c_d");
  assert.equal(safeName("   "), "_");
});

/** An edge that answers from a table of paths (404 for the rest), for the cut step alone. */
function tableEdge(table: Record<string, unknown>): EdgeReader {
  return {
    json: <T>(path: string) => Promise.resolve((table[path] ?? null) as T | null),
    text: (path: string) => Promise.resolve((table[path] as string | undefined) ?? null),
    download: () => Promise.reject(new Error("no downloads here")),
  };
}

const EMPTY = {
  "/api/projects/p/structure": { tree: { name: "Film", kind: "folder", children: [] } },
  "/api/projects/p/takes": { takes: [] },
};

Deno.test("cuts: each cut's OTIO and EDL under cuts/{name}/ when the studio serves them; skipped with a note when it does not", async () => {
  const notes: string[] = [];
  const files = await projectFiles(
    tableEdge({
      ...EMPTY,
      "/api/projects/p/cuts": { cuts: [{ id: "c1", name: "Main/cut" }] },
      "/api/projects/p/cuts/c1/otio?relative=1": '{"OTIO_SCHEMA": "Timeline.1"}',
      "/api/projects/p/cuts/c1/edl": "TITLE: Main cut\n",
    }),
    "p",
    (line) => notes.push(line),
  );
  assert.deepEqual(files, [
    { path: "cuts/Main_cut/Main_cut.otio", text: '{"OTIO_SCHEMA": "Timeline.1"}' },
    { path: "cuts/Main_cut/Main_cut.edl", text: "TITLE: Main cut\n" },
  ]);
  assert.equal(notes.length, 0);

  assert.deepEqual(await projectFiles(tableEdge(EMPTY), "p", (line) => notes.push(line)), []);
  assert.deepEqual(notes, ["cuts skipped: this studio has no cut routes (GET /cuts answered 404)"]);
});
