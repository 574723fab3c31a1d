/**
 * Builds the fake's `GET /object_info`: the recorded class definitions, limited to the classes a
 * test installs, with model and input-file combos filled from the fake's folders, as ComfyUI does
 * (it lists the files of a model folder as the options of the loader's input). Which loader
 * input lists which folder is the studio's own table (protocol/workflows/known_nodes.ts).
 */
import { MODEL_INPUTS } from "../../../protocol/workflows/known_nodes.ts";
import type { NodeClassInfo, ObjectInfo } from "./types.ts";

/** Options of a combo input, in either recorded form: `[[...]]` or `["COMBO", {options}]`. */
export function comboOptions(spec: unknown[] | undefined): string[] | null {
  if (!spec) return null;
  const [kind, config] = spec;
  if (Array.isArray(kind)) return kind.map(String);
  if (kind === "COMBO" && config && typeof config === "object" && "options" in config) {
    const options = (config as { options: unknown }).options;
    return Array.isArray(options) ? options.map(String) : null;
  }
  return null;
}

function withOptions(spec: unknown[], options: string[]): unknown[] {
  const [kind, ...rest] = spec;
  if (Array.isArray(kind)) return [options, ...rest];
  const config = (rest[0] ?? {}) as Record<string, unknown>;
  return [kind, { ...config, options }, ...rest.slice(1)];
}

function fillCombos(
  name: string,
  info: NodeClassInfo,
  models: (folder: string) => string[],
  inputFiles: string[],
): NodeClassInfo {
  const folders = MODEL_INPUTS[name];
  const isLoadImage = name === "LoadImage";
  if (!folders && !isLoadImage) return info;
  const required = { ...(info.input.required ?? {}) };
  for (const [input, spec] of Object.entries(required)) {
    const folder = folders?.[input];
    if (folder) {
      // VAELoader also offers built-in choices ("pixel_space"): keep them after the files.
      const builtIn = (comboOptions(spec) ?? []).filter((o) => !o.includes("."));
      required[input] = withOptions(spec, [...models(folder), ...builtIn]);
    } else if (isLoadImage && input === "image") {
      required[input] = withOptions(spec, inputFiles);
    }
  }
  return { ...info, input: { ...info.input, required } };
}

export interface ObjectInfoSource {
  recorded: ObjectInfo;
  /** Installed classes; null means every recorded class. */
  classes: ReadonlySet<string> | null;
  models: (folder: string) => string[];
  inputFiles: () => string[];
}

/** The object info the fake serves now. */
export function buildObjectInfo(source: ObjectInfoSource): ObjectInfo {
  const out: ObjectInfo = {};
  const inputFiles = source.inputFiles();
  for (const [name, info] of Object.entries(source.recorded)) {
    if (source.classes && !source.classes.has(name)) continue;
    out[name] = fillCombos(name, info, source.models, inputFiles);
  }
  return out;
}
