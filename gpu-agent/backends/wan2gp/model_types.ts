/**
 * Which Wan2GP model types a shot runs on, per tier, and which of them this Wan2GP has weights
 * for. Wan2GP describes each model type in `defaults/<type>.json`: `model.URLs` lists the
 * transformer's files (full and quantized variants; any one will do), `model.URLs2` the second
 * transformer of two-stage models (Wan 2.2 14B high/low noise), and a string in their place
 * borrows another type's list. It downloads them by file name into `ckpts/`
 * (shared/utils/files_locator.py), so a type has its weights when each list has a file there.
 * Text encoders and VAEs are shared and downloaded on first use; they are not checked.
 */
import { join } from "node:path";
import type { Tier } from "../../../protocol/tiers.ts";

/** Model types for a shot at each tier, best first: text to video, and from a start image. */
export const SHOT_MODEL_TYPES: Readonly<Record<Tier, { text: string[]; image: string[] }>> = {
  // 12 GB cards: Wan 2.1 1.3B, or Wan 2.2's 5B text/image model with offloading.
  low: { text: ["t2v_1.3B", "ti2v_2_2"], image: ["ti2v_2_2"] },
  // 16 GB: Wan 2.2 5B at 720p, or the Wan 2.1 14B models with offloading.
  standard: { text: ["ti2v_2_2", "t2v"], image: ["ti2v_2_2", "i2v"] },
  // 24 GB: Wan 2.2 14B (two transformers), or Wan 2.1 14B at 720p.
  high: { text: ["t2v_2_2", "t2v"], image: ["i2v_2_2", "i2v_720p"] },
};

/** Every model type some tier may use, in table order. */
export const SHOT_MODEL_TYPE_NAMES: readonly string[] = [
  ...new Set(Object.values(SHOT_MODEL_TYPES).flatMap((t) => [...t.text, ...t.image])),
];

export interface ModelTypeCheck {
  modelType: string;
  /** Wan2GP's own name for it ("Wan2.2 Text2video 14B"); null when its defaults file is missing. */
  name: string | null;
  installed: boolean;
  /** For each weight list with no file in ckpts/, the smallest file that would do. */
  missingFiles: string[];
}

interface DefaultsFile {
  model?: { name?: unknown; URLs?: unknown; URLs2?: unknown };
}

/** The file names of one `URLs` entry: a list of URLs, or another type's name (one hop). */
async function weightList(dir: string, value: unknown, hop = 0): Promise<string[]> {
  if (Array.isArray(value)) {
    return value.filter((u): u is string => typeof u === "string").map((u) => u.split("/").at(-1)!);
  }
  if (typeof value === "string" && hop === 0) {
    const other = await readDefaults(dir, value);
    return weightList(dir, other?.model?.URLs, 1);
  }
  return [];
}

async function readDefaults(dir: string, modelType: string): Promise<DefaultsFile | null> {
  // Model types are our own constants, never job input: no path can be smuggled in here.
  try {
    return JSON.parse(await Deno.readTextFile(join(dir, "defaults", `${modelType}.json`)));
  } catch {
    return null;
  }
}

/** What `ckpts/` holds, as a set of file names (empty when the folder is missing). */
export async function checkpointFiles(dir: string): Promise<Set<string>> {
  const names = new Set<string>();
  try {
    for await (const entry of Deno.readDir(join(dir, "ckpts"))) {
      if (entry.isFile || entry.isSymlink) names.add(entry.name);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return names;
}

/** Checks each model type against `defaults/` and `ckpts/` of the Wan2GP folder `dir`. */
export async function checkModelTypes(
  dir: string,
  modelTypes: readonly string[] = SHOT_MODEL_TYPE_NAMES,
): Promise<ModelTypeCheck[]> {
  const files = await checkpointFiles(dir);
  return await Promise.all(modelTypes.map(async (modelType) => {
    const defaults = await readDefaults(dir, modelType);
    if (!defaults?.model) return { modelType, name: null, installed: false, missingFiles: [] };
    const lists = [
      await weightList(dir, defaults.model.URLs),
      ...(defaults.model.URLs2 === undefined ? [] : [await weightList(dir, defaults.model.URLs2)]),
    ].filter((list) => list.length > 0);
    // The last variant listed is the quantized one, the smallest download.
    const missingFiles = lists.filter((list) => !list.some((f) => files.has(f)))
      .map((list) => list.at(-1)!);
    return {
      modelType,
      name: typeof defaults.model.name === "string" ? defaults.model.name : null,
      installed: lists.length > 0 && missingFiles.length === 0,
      missingFiles,
    };
  }));
}

/** The best installed model type for a shot at `tier`, from a start image or from text. */
export function pickModelType(
  tier: Tier,
  withImage: boolean,
  installed: ReadonlySet<string>,
): { modelType: string; usesImage: boolean } | null {
  const table = SHOT_MODEL_TYPES[tier];
  const image = withImage ? table.image.find((t) => installed.has(t)) : undefined;
  if (image) return { modelType: image, usesImage: true };
  const text = table.text.find((t) => installed.has(t));
  return text ? { modelType: text, usesImage: false } : null;
}
