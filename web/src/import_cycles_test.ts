/**
 * No two modules of the web app import each other, directly or round a loop: a cycle makes the
 * bundle's evaluation order depend on which file is reached first (a component used before its
 * module ran is undefined), and says that a shared piece lives in the wrong file. Type-only
 * imports are erased before anything runs, so they are left out.
 */
import assert from "node:assert/strict";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(fileURLToPath(import.meta.url));
/** A value import or re-export of a relative path (`import type` / `export type` excluded). */
const IMPORT = /^\s*(?:import|export)\s(?!type\s)[^"';]*?from\s+"(\.[^"]+)"/gm;

function modules(dir: string): string[] {
  const found: string[] = [];
  for (const entry of Deno.readDirSync(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) found.push(...modules(path));
    else if (/\.tsx?$/.test(entry.name) && !/_test\.ts$/.test(entry.name)) found.push(path);
  }
  return found;
}

/** Each module's imports of other modules of the app (relative specifiers inside web/src). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of modules(root)) {
    const text = Deno.readTextFileSync(file);
    const deps = [...text.matchAll(IMPORT)]
      .map((m) => join(dirname(file), m[1]!))
      .filter((path) => path.startsWith(root));
    graph.set(file, deps);
  }
  return graph;
}

/** Every cycle found by a depth-first walk, each as the files round it. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, "open");
    stack.push(file);
    for (const dep of graph.get(file) ?? []) {
      if (state.get(dep) === "open") found.push([...stack.slice(stack.indexOf(dep)), dep]);
      else if (!state.has(dep)) visit(dep);
    }
    stack.pop();
    state.set(file, "done");
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return found;
}

Deno.test("no two modules of the web app import each other (no import cycles)", () => {
  const graph = importGraph();
  assert.ok(graph.size > 50, `read ${graph.size} modules: the walk missed web/src`);
  const loops = cycles(graph).map((loop) => loop.map((f) => relative(root, f)).join(" → "));
  assert.deepEqual(loops, []);
});
