/**
 * `deno run -A scripts/comfyui_classes.ts`: writes protocol/workflows/comfyui_classes.json, the
 * node classes of the ComfyUI servers recorded in test/fakes/comfyui/recordings (0.3.64 and
 * 0.8.0), reduced to what the studio checks a workflow asset against: each class's inputs with
 * their types, its output types, whether it is an output node, and which recorded versions
 * have it. protocol/workflows/catalog_test.ts fails when the file differs from what this makes.
 */
import { buildClassCatalog } from "../protocol/workflows/catalog_build.ts";
import { readRecordedServer } from "../test/fakes/comfyui/recordings.ts";
import { COMFY_VERSIONS } from "../protocol/workflows/catalog.ts";

export async function catalogText(): Promise<string> {
  const recorded = await Promise.all(
    COMFY_VERSIONS.map(async (v) => (await readRecordedServer(v)).objectInfo),
  );
  return JSON.stringify(buildClassCatalog(recorded)) + "\n";
}

export const CATALOG_FILE = new URL("../protocol/workflows/comfyui_classes.json", import.meta.url);

if (import.meta.main) {
  await Deno.writeTextFile(CATALOG_FILE, await catalogText());
  console.log(`wrote ${CATALOG_FILE.pathname}`);
}
