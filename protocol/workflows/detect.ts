/**
 * Reads a workflow for what a node can feed it, by node class (known_nodes.ts): prompt and
 * negative prompt (a `CLIPTextEncode` is the negative one when it reaches a sampler's
 * `negative` input, and not its `positive`), sampler seed/steps/cfg, latent width/height/
 * length, frame rate, `LoadImage` as the node's image input, the `Save*` nodes whose files are
 * the take, and the model files its loaders name (any value naming a model file on a loader it
 * does not know, with its folder by the input's name or guessed, and a note). The result is a proposal the studio shows for
 * people to adjust; check.ts says whether a mapping is valid.
 *
 * @example
 * ```ts
 * import { detectBinding } from "./detect.ts";
 * const { binding, notes } = detectBinding(workflow, "shot.generate");
 * binding.params.prompt; // [["6", "inputs", "text"]]
 * ```
 */
import { nodeType } from "../nodes.ts";
import { footprintFor, type Tier } from "../tiers.ts";
import type { InputPath, ModelRef, WorkflowBinding } from "./binding.ts";
import { classInfo } from "./catalog.ts";
import { type ApiWorkflow, isLink } from "./format.ts";
import {
  IMAGE_LOADERS,
  modelInputsOf,
  paramInputsOf,
  SAVE_NODES,
  TEXT_INPUTS,
} from "./known_nodes.ts";

export interface Detection {
  binding: WorkflowBinding & { vramMiB: number };
  /** What people should know about the proposal, one sentence each. */
  notes: string[];
}

/** Node ids in a stable order: numeric ids by value ("3" before "10"), then the rest. */
export function nodeOrder(workflow: ApiWorkflow): string[] {
  return Object.keys(workflow).sort((a, b) => {
    const [x, y] = [Number(a), Number(b)];
    if (Number.isFinite(x) && Number.isFinite(y)) return x - y;
    return Number.isFinite(x) ? -1 : Number.isFinite(y) ? 1 : a.localeCompare(b);
  });
}

const label = (workflow: ApiWorkflow, id: string) => `node ${id} (${workflow[id]!.class_type})`;

/**
 * The text encoders whose conditioning reaches some node's `polarity` input ("positive" or
 * "negative"). Walking up from that input, a node that has an input of the same name is
 * followed through it alone (WanImageToVideo carries both), any other through its
 * conditioning inputs (all its links when the class is unknown).
 */
function encodersFeeding(workflow: ApiWorkflow, polarity: "positive" | "negative"): Set<string> {
  const found = new Set<string>();
  const seen = new Set<string>();
  const walk = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    const node = workflow[id];
    if (!node) return;
    if (TEXT_INPUTS[node.class_type]) {
      found.add(id);
      return;
    }
    const own = node.inputs[polarity];
    if (isLink(own)) return walk(own[0]);
    const info = classInfo(node.class_type);
    for (const [name, value] of Object.entries(node.inputs)) {
      if (!isLink(value)) continue;
      if (info && info.inputs[name] !== "CONDITIONING") continue;
      walk(value[0]);
    }
  };
  for (const node of Object.values(workflow)) {
    const start = node.inputs[polarity];
    if (isLink(start)) walk(start[0]);
  }
  return found;
}

/** The mapping proposed for `workflow` as a `nodeType` node at `tier`. */
export function detectBinding(workflow: ApiWorkflow, type: string, tier: Tier): Detection {
  const def = nodeType(type);
  const accepts = new Set(def ? Object.keys(def.params.shape) : []);
  const params: Record<string, InputPath[]> = {};
  const inputs: WorkflowBinding["inputs"] = {};
  const outputs: string[] = [];
  const models: ModelRef[] = [];
  const notes: string[] = [];
  const bind = (param: string, path: InputPath) => {
    if (!accepts.has(param)) return;
    (params[param] ??= []).push(path);
  };
  const ids = nodeOrder(workflow);
  const positive = encodersFeeding(workflow, "positive");
  const negative = encodersFeeding(workflow, "negative");
  const imageSocket = def?.inputs.find((s) => s.type === "image")?.name;
  const saves = def?.output ? SAVE_NODES[def.output] : [];
  const loaders: string[] = [];

  for (const id of ids) {
    const node = workflow[id]!;
    const value = (name: string) => name in node.inputs && !isLink(node.inputs[name]);
    for (const name of TEXT_INPUTS[node.class_type] ?? []) {
      if (!value(name)) continue;
      // Reaching both (a negative made by zeroing the positive) makes it the prompt.
      bind(negative.has(id) && !positive.has(id) ? "negativePrompt" : "prompt", [
        id,
        "inputs",
        name,
      ]);
    }
    for (const [name, param] of Object.entries(paramInputsOf(node.class_type))) {
      if (value(name)) bind(param, [id, "inputs", name]);
    }
    const image = IMAGE_LOADERS[node.class_type];
    if (image && value(image)) {
      if (imageSocket) {
        (inputs[imageSocket] ??= { paths: [], required: true }).paths.push([id, "inputs", image]);
      } else {
        loaders.push(label(workflow, id));
      }
    }
    if (saves.includes(node.class_type)) outputs.push(id);
    for (const { input, folder, guessed } of modelInputsOf(node.class_type, node.inputs)) {
      const file = node.inputs[input];
      // Built-in choices ("pixel_space", "taesd") name no file.
      if (typeof file !== "string" || !file.includes(".")) continue;
      if (!models.some((m) => m.folder === folder && m.file === file)) {
        models.push({ folder, file });
      }
      if (guessed) {
        notes.push(
          `${label(workflow, id)} loads ${file} from a folder the studio does not know: ` +
            `taken as models/${folder}; change the folder under the model files if the ` +
            `agent's ComfyUI keeps it elsewhere`,
        );
      }
    }
  }
  if (outputs.length === 0) {
    const other = ids.filter((id) => workflow[id]!.class_type.startsWith("Save"));
    outputs.push(...other);
    notes.push(
      other.length > 0
        ? `no stock ${def?.output ?? ""} save node: ${
          other.map((id) => label(workflow, id)).join(", ")
        } chosen as the output; check it saves what the node makes`
        : `the workflow saves nothing the studio recognises: choose the node whose files are the take`,
    );
  }
  if (loaders.length > 0) {
    notes.push(
      `${def?.title ?? type} nodes have no image input: ${
        loaders.join(", ")
      } keeps its own file, ` +
        `which the agent's ComfyUI must have in its input folder`,
    );
  }
  const binding = {
    params,
    inputs,
    outputs,
    models,
    vramMiB: footprintFor(type, tier).vramMiB,
  };
  return { binding, notes };
}
