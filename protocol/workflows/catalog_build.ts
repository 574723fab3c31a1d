/**
 * Reduces recorded `GET /object_info` answers to the class catalogue the studio ships
 * (catalog.ts reads it; scripts/comfyui_classes.ts writes it). Only the facts a workflow asset
 * is checked against are kept: ComfyUI's file lists, defaults and ranges are the recording
 * server's own and say nothing about a user's machine.
 */
import { type ClassCatalog, type ClassEntry, COMFY_VERSIONS } from "./catalog.ts";

/** The part of one `/object_info` class definition the catalogue reads. */
interface RecordedClass {
  input: { required?: Record<string, unknown[]>; optional?: Record<string, unknown[]> };
  output: string[];
  output_node: boolean;
}

/** Recorded custom nodes that exist only for the recordings (recordings/README.md). */
const TEST_ONLY_CLASSES = new Set(["ProbeProgress"]);

/** `["INT", {...}]` → INT; `[[...files]]` (a combo, as 0.3.64 writes it) → COMBO. */
function typeOf(spec: unknown[]): string {
  const [kind] = spec;
  if (Array.isArray(kind)) return "COMBO";
  return typeof kind === "string" ? kind : "*";
}

/** The catalogue of `recorded[i]`, the object info of `COMFY_VERSIONS[i]`. */
export function buildClassCatalog(recorded: Record<string, RecordedClass>[]): ClassCatalog {
  const classes: Record<string, ClassEntry> = {};
  recorded.forEach((info, i) => {
    const version = COMFY_VERSIONS[i]!;
    for (const [name, cls] of Object.entries(info)) {
      if (TEST_ONLY_CLASSES.has(name)) continue;
      const entry = classes[name] ??= { inputs: {}, outputs: [], output: false, versions: [] };
      for (
        const [input, spec] of Object.entries({ ...cls.input.required, ...cls.input.optional })
      ) {
        entry.inputs[input] ??= typeOf(spec);
      }
      if (entry.outputs.length === 0) entry.outputs = [...cls.output];
      entry.output ||= cls.output_node;
      entry.versions.push(version);
    }
  });
  const sorted = Object.keys(classes).sort().map((name) => [name, classes[name]!] as const);
  return { versions: [...COMFY_VERSIONS], classes: Object.fromEntries(sorted) };
}
