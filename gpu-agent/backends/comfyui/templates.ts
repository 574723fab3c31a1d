/**
 * ComfyUI workflow templates: an API-format workflow (`<name>.workflow.json`) and a declarative
 * binding (`<name>.binding.json`) that says which node inputs each job parameter and input file
 * goes to, which nodes' files are the job's outputs, and what the template needs (node classes
 * come from the workflow; models and VRAM are declared).
 *
 * @example
 * ```ts
 * const templates = await loadTemplates();
 * const prompt = bindTemplate(templates[0], { prompt: "a red door", seed: 7 }, {});
 * ```
 */
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { z } from "zod";
import type { Footprint } from "../../../protocol/tiers.ts";
import { tierSchema } from "../../../protocol/tiers.ts";
import type { ApiPrompt } from "./client.ts";

export const DEFAULT_TEMPLATE_DIR = new URL("../../templates/comfyui/", import.meta.url);

/** `[nodeId, "inputs", inputName]`: where a value goes in the workflow. */
const pathSchema = z.tuple([z.string().min(1), z.literal("inputs"), z.string().min(1)]);
export type InputPath = z.infer<typeof pathSchema>;

const bindingSchema = z.object({
  nodeType: z.string().min(1),
  tier: tierSchema,
  description: z.string().default(""),
  /** Peak VRAM in MiB; wins over the tier default of protocol/tiers.ts. */
  vramMiB: z.number().int().positive(),
  models: z.array(z.object({ folder: z.string().min(1), file: z.string().min(1) }).strict()),
  params: z.record(z.string(), z.array(pathSchema).min(1)),
  /** Job input sockets (e.g. "reference") fed to LoadImage nodes. */
  inputs: z.record(
    z.string(),
    z.object({ paths: z.array(pathSchema).min(1), required: z.boolean().default(true) }).strict(),
  )
    .default({}),
  /** Nodes whose saved files are the job's outputs. */
  outputs: z.array(z.string().min(1)).min(1),
}).strict();
export type Binding = z.infer<typeof bindingSchema>;

export interface Template {
  /** The file stem, e.g. "shot.generate.standard.i2v"; reported as lineage. */
  name: string;
  binding: Binding;
  workflow: ApiPrompt;
  /** Node classes the workflow uses. */
  classes: string[];
  footprint: Footprint;
}

export class TemplateError extends Error {
  override name = "TemplateError";
}

const workflowSchema = z.record(
  z.string(),
  z.object({
    class_type: z.string().min(1),
    inputs: z.record(z.string(), z.unknown()),
    _meta: z.object({ title: z.string() }).optional(),
  }),
);

function issues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
}

/** Checks and assembles one template; throws `TemplateError` naming the file and the field. */
export function parseTemplate(name: string, bindingJson: unknown, workflowJson: unknown): Template {
  const binding = bindingSchema.safeParse(bindingJson);
  if (!binding.success) throw new TemplateError(`${name}.binding.json: ${issues(binding.error)}`);
  const workflow = workflowSchema.safeParse(workflowJson);
  if (!workflow.success) {
    throw new TemplateError(`${name}.workflow.json: ${issues(workflow.error)}`);
  }
  const nodes = workflow.data as ApiPrompt;
  const paths: [string, InputPath][] = [
    ...Object.entries(binding.data.params).flatMap(([key, list]) =>
      list.map((p) => [`params.${key}`, p] as [string, InputPath])
    ),
    ...Object.entries(binding.data.inputs).flatMap(([key, input]) =>
      input.paths.map((p) => [`inputs.${key}`, p] as [string, InputPath])
    ),
  ];
  for (const [field, [node, , input]] of paths) {
    if (!nodes[node]) {
      throw new TemplateError(
        `${name}.binding.json: ${field} points at node ${node}, which the workflow lacks`,
      );
    }
    if (!(input in nodes[node].inputs)) {
      throw new TemplateError(
        `${name}.binding.json: ${field} points at ${
          nodes[node].class_type
        } (node ${node}) input "${input}", which it lacks`,
      );
    }
  }
  for (const id of binding.data.outputs) {
    if (!nodes[id]) {
      throw new TemplateError(
        `${name}.binding.json: outputs names node ${id}, which the workflow lacks`,
      );
    }
  }
  return {
    name,
    binding: binding.data,
    workflow: nodes,
    classes: [...new Set(Object.values(nodes).map((n) => n.class_type))].sort(),
    footprint: { vramMiB: binding.data.vramMiB, models: binding.data.models.map((m) => m.file) },
  };
}

/** A folder of templates; `required`: its absence is a problem (given with `--templates`). */
export interface TemplateFolder {
  dir: string | URL;
  required: boolean;
}

export interface LoadedTemplates {
  templates: Template[];
  /** One line per template skipped (file, what is wrong, the fix) or folder missing. */
  problems: string[];
}

const FIX = `fix the file (gpu-agent/README.md, "Adding a template"); everything else runs`;

/**
 * Loads every `*.binding.json` (with its workflow) of each folder in turn, sorted by name; a
 * template in a later folder (the user's) replaces a bundled one of the same name. A template
 * that cannot be read or is inconsistent is skipped with one line saying so: one bad file must
 * not stop the agent.
 */
export async function loadTemplateFolders(folders: TemplateFolder[]): Promise<LoadedTemplates> {
  const byName = new Map<string, Template>();
  const problems: string[] = [];
  for (const folder of folders) {
    const dir = _dirUrl(folder.dir);
    const where = fileURLToPath(dir);
    const shown = where.replace(/[\\/]$/, "");
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(dir));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound && !folder.required) continue;
      problems.push(
        `templates folder ${shown} cannot be read (${(error as Error).message}): ` +
          `check --templates / MD_TEMPLATES_DIR`,
      );
      continue;
    }
    const names = entries.filter((e) => e.isFile && e.name.endsWith(".binding.json"))
      .map((e) => e.name.slice(0, -".binding.json".length)).sort();
    for (const name of names) {
      try {
        const template = parseTemplate(
          name,
          await _readJson(dir, `${name}.binding.json`),
          await _readJson(dir, `${name}.workflow.json`),
        );
        byName.set(name, template);
      } catch (error) {
        if (!(error instanceof TemplateError)) throw error;
        // `where` ends with the separator: the message starts with the file name.
        problems.push(`template ${name} skipped: ${where}${error.message}; ${FIX}`);
      }
    }
  }
  const templates = [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  return { templates, problems };
}

/** The templates of one folder, all or nothing (the bundled ones, in tests). */
export async function loadTemplates(dir: URL = DEFAULT_TEMPLATE_DIR): Promise<Template[]> {
  const { templates, problems } = await loadTemplateFolders([{ dir, required: true }]);
  if (problems.length > 0) throw new TemplateError(problems.join("\n"));
  return templates;
}

function _dirUrl(dir: string | URL): URL {
  const url = dir instanceof URL ? dir : pathToFileURL(resolve(dir));
  return url.href.endsWith("/") ? url : new URL(`${url.href}/`);
}

async function _readJson(dir: URL, file: string): Promise<unknown> {
  let text: string;
  try {
    text = await Deno.readTextFile(new URL(file, dir));
  } catch (error) {
    throw new TemplateError(
      error instanceof Deno.errors.NotFound
        ? `${file} is missing (each binding needs its workflow, saved with "Export (API)")`
        : `${file}: ${(error as Error).message}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TemplateError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * The workflow with the job's values written in: `values` by parameter name (params the template
 * does not bind are ignored), `files` by input socket (uploaded names for LoadImage).
 */
export function bindTemplate(
  template: Template,
  values: Record<string, unknown>,
  files: Record<string, string>,
): ApiPrompt {
  // Only the nodes written into are copied; the rest are shared with the template, which stays
  // untouched, as the prompt is only sent and read. Cloning a 300-node workflow whole was about
  // 40 % of a job's bind (bench/backends, BENCHMARKS.md).
  const prompt: ApiPrompt = { ...template.workflow };
  const copied = new Set<string>();
  const write = ([node, , input]: InputPath, value: unknown) => {
    if (!copied.has(node)) {
      const own = template.workflow[node]!;
      prompt[node] = { ...own, inputs: { ...own.inputs } };
      copied.add(node);
    }
    prompt[node]!.inputs[input] = value;
  };
  for (const [key, paths] of Object.entries(template.binding.params)) {
    if (values[key] === undefined) continue; // the workflow's own value stays
    for (const path of paths) write(path, values[key]);
  }
  for (const [socket, input] of Object.entries(template.binding.inputs)) {
    const file = files[socket];
    if (file === undefined) {
      if (input.required) {
        throw new TemplateError(`template ${template.name} needs the "${socket}" input`);
      }
      continue;
    }
    for (const path of input.paths) write(path, file);
  }
  return prompt;
}
