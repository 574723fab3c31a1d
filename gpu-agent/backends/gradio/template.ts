/**
 * Declarative templates for any local Gradio app with a named endpoint (`<name>.gradio.json` in
 * the user's templates folder): which node type and tier it serves, the app's URL and endpoint,
 * the endpoint's inputs in order, each from a job parameter, a constant, or a job input file,
 * and which output is the take. Values go to the app only as typed data, never as text to run.
 *
 * ```json
 * { "nodeType": "voice.synthesize", "tier": "standard", "app": "http://127.0.0.1:7860",
 *   "endpoint": "/predict", "vramMiB": 6144,
 *   "inputs": [{ "param": "text" }, { "value": "en" }, { "param": "seed", "default": 0 }],
 *   "output": { "index": 0 } }
 * ```
 */
import { resolve } from "node:path";
import { z } from "zod";
import { NODE_TYPES } from "../../../protocol/nodes.ts";
import { tierSchema } from "../../../protocol/tiers.ts";
import { JobFailure } from "../backend.ts";
import type { EndpointInfo } from "./app.ts";

const json: z.ZodType<unknown> = z.union([
  z.string().max(10_000),
  z.number(),
  z.boolean(),
  z.null(),
]);

const inputSchema = z.union([
  z.object({ param: z.string().min(1).max(64), default: json.optional() }).strict(),
  z.object({ value: json }).strict(),
  z.object({ file: z.string().min(1).max(64), required: z.boolean().default(true) }).strict(),
]);
export type TemplateInput = z.infer<typeof inputSchema>;

const templateSchema = z.object({
  nodeType: z.string().min(1),
  tier: tierSchema,
  description: z.string().max(1000).default(""),
  app: z.url({ protocol: /^https?$/, error: "app is an http:// or https:// URL" }),
  endpoint: z.string().regex(
    /^\/?[A-Za-z_][A-Za-z0-9_]*$/,
    "endpoint is a named endpoint, e.g. /predict",
  ),
  /** Peak VRAM of a run, in MiB (0: the app works on the CPU). */
  vramMiB: z.number().int().min(0),
  inputs: z.array(inputSchema).max(64),
  output: z.object({ index: z.number().int().min(0).max(63) }).strict().default({ index: 0 }),
}).strict();

export interface GradioTemplate {
  /** The file stem, e.g. "voice.synthesize.standard"; reported as lineage. */
  name: string;
  nodeType: string;
  tier: z.infer<typeof tierSchema>;
  description: string;
  app: string;
  apiName: string;
  vramMiB: number;
  inputs: TemplateInput[];
  outputIndex: number;
}

export class GradioTemplateError extends Error {
  override name = "GradioTemplateError";
}

/** Checks one template against the node catalog; throws naming the file and the field. */
export function parseGradioTemplate(name: string, value: unknown): GradioTemplate {
  const file = `${name}.gradio.json`;
  const parsed = templateSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new GradioTemplateError(`${file}: ${issues.join("; ")}`);
  }
  const t = parsed.data;
  const def = NODE_TYPES[t.nodeType];
  if (!def) throw new GradioTemplateError(`${file}: nodeType "${t.nodeType}" is not a node type`);
  if (!def.backends.includes("gradio")) {
    throw new GradioTemplateError(`${file}: ${t.nodeType} nodes do not run on Gradio apps`);
  }
  if (!def.tiers.includes(t.tier)) {
    throw new GradioTemplateError(`${file}: ${t.nodeType} runs at ${def.tiers.join(", ")}`);
  }
  const params = Object.keys(def.params.shape);
  const sockets = def.inputs.map((s) => s.name);
  t.inputs.forEach((input, i) => {
    if ("param" in input && !params.includes(input.param)) {
      throw new GradioTemplateError(
        `${file}: inputs.${i}.param "${input.param}" is not a ${t.nodeType} parameter ` +
          `(${params.join(", ")})`,
      );
    }
    if ("file" in input && !sockets.includes(input.file)) {
      throw new GradioTemplateError(
        `${file}: inputs.${i}.file "${input.file}" is not a ${t.nodeType} input (${
          sockets.join(", ")
        })`,
      );
    }
  });
  return {
    name,
    nodeType: t.nodeType,
    tier: t.tier,
    description: t.description,
    app: t.app.replace(/\/+$/, ""),
    apiName: t.endpoint.replace(/^\//, ""),
    vramMiB: t.vramMiB,
    inputs: t.inputs,
    outputIndex: t.output.index,
  };
}

/**
 * Every `*.gradio.json` in the folders, sorted by name; a bad one is skipped with one line
 * naming the file and what is wrong, as ComfyUI templates are.
 */
export async function loadGradioTemplates(
  dirs: string[],
): Promise<{ templates: GradioTemplate[]; problems: string[] }> {
  const templates: GradioTemplate[] = [];
  const problems: string[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = (await Array.fromAsync(Deno.readDir(dir)))
        .filter((e) => e.isFile && e.name.endsWith(".gradio.json"))
        .map((e) => e.name.slice(0, -".gradio.json".length)).sort();
    } catch {
      continue; // the templates folder's own problems are told by the ComfyUI backend
    }
    for (const name of names) {
      const path = resolve(dir, `${name}.gradio.json`);
      try {
        let value: unknown;
        try {
          value = JSON.parse(await Deno.readTextFile(path));
        } catch (error) {
          throw new GradioTemplateError(
            `${name}.gradio.json is not valid JSON: ${(error as Error).message}`,
          );
        }
        templates.push(parseGradioTemplate(name, value));
      } catch (error) {
        if (!(error instanceof GradioTemplateError)) throw error;
        problems.push(
          `Gradio template ${name} skipped: ${resolve(dir)}/${error.message}; fix the file ` +
            `(gpu-agent/README.md, "A Gradio app"); everything else runs`,
        );
      }
    }
  }
  return { templates, problems };
}

/** The endpoint's data, in order: parameters, constants, and the job's files. */
export function bindInputs(
  template: GradioTemplate,
  params: Record<string, unknown>,
  files: ReadonlyMap<string, File>,
): unknown[] {
  return template.inputs.map((input) => {
    if ("value" in input) return input.value;
    if ("param" in input) return params[input.param] ?? input.default ?? null;
    const file = files.get(input.file);
    if (!file && input.required) {
      throw new JobFailure(
        `template ${template.name} needs the "${input.file}" input: connect one`,
        false,
        "validation",
      );
    }
    return file ?? null;
  });
}

/** Gradio's python types (blocks.py `get_api_info`) and the JS values that fit them. */
const PYTHON_TYPES: [RegExp, string, (value: unknown) => boolean][] = [
  [/filepath/, "a file", (v) => v instanceof Blob],
  [/^str$/, "a string", (v) => typeof v === "string"],
  [/^int$/, "a whole number", (v) => Number.isInteger(v)],
  [/^float$/, "a number", (v) => typeof v === "number"],
  [/^bool$/, "a boolean", (v) => typeof v === "boolean"],
];

/** What the app's `/info` says it takes, against what the template gives; null when they agree. */
export function typeMismatch(
  template: GradioTemplate,
  data: readonly unknown[],
  info: EndpointInfo,
): string | null {
  if (info.parameters.length !== template.inputs.length) {
    return `the app's /${template.apiName} takes ${info.parameters.length} inputs, the template ` +
      `gives ${template.inputs.length}`;
  }
  for (const [i, parameter] of info.parameters.entries()) {
    const value = data[i];
    if (value === null || value === undefined) continue;
    const wants = parameter.python_type?.type ?? "";
    const check = PYTHON_TYPES.find(([pattern]) => pattern.test(wants));
    if (check && !check[2](value)) {
      const gives = value instanceof Blob ? "a file" : `a ${typeof value}`;
      return `template ${template.name} input ${i + 1} gives ${gives}; the app's ` +
        `"${parameter.label ?? `parameter ${i + 1}`}" takes ${check[1]}`;
    }
  }
  return null;
}
