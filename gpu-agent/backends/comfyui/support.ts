/**
 * Which templates a ComfyUI can run (every node class in `/object_info`, every model in its
 * folder) and which one a job gets.
 */
import { type BlockedWork, JobFailure } from "../backend.ts";
import type { BackendJob } from "../backend.ts";
import { MAX_MODEL_FILES, type ModelFile } from "../../../protocol/jobs.ts";
import { MODEL_FOLDERS } from "../../../protocol/workflows/known_nodes.ts";
import type { ComfyClient, ObjectInfoClass } from "./client.ts";
import type { Template } from "./templates.ts";

export interface TemplateCheck {
  template: Template;
  /** What stops it from running ("node class WanImageToVideo", "model vae/wan_2.1_vae.safetensors"); empty when runnable. */
  missing: string[];
  missingClasses: string[];
  missingModels: ModelFile[];
}

/**
 * Folders ComfyUI lists that hold no files a loader input names: code, whole diffusers
 * folders (many files each), prompt embeddings.
 */
const NOT_LOADER_FOLDERS = new Set(["custom_nodes", "diffusers", "embeddings"]);

/**
 * Model folders listed in the heartbeat besides the ones templates use: every folder a known
 * loader reads, then every other folder this ComfyUI reports (`GET /models`: a custom node's
 * own folder too, where a workflow asset's custom loader reads its file).
 */
async function reportedFolders(client: ComfyClient, signal?: AbortSignal): Promise<string[]> {
  const listed = await client.modelFolders(signal).catch((error) => {
    if (signal?.aborted) throw error;
    return [] as string[];
  });
  return [...MODEL_FOLDERS, ...listed.filter((f) => !NOT_LOADER_FOLDERS.has(f))];
}

export async function checkTemplates(
  client: ComfyClient,
  templates: readonly Template[],
  info: Record<string, ObjectInfoClass>,
  signal?: AbortSignal,
): Promise<{ checks: TemplateCheck[]; models: string[] }> {
  // Templates' folders first: when there are more files than a heartbeat carries, theirs stay.
  const folders = new Set(templates.flatMap((t) => t.binding.models.map((m) => m.folder)));
  for (const folder of await reportedFolders(client, signal)) folders.add(folder);
  const files = new Map<string, Set<string>>();
  for (const folder of folders) files.set(folder, new Set(await client.models(folder, signal)));
  const checks = templates.map((template) => {
    const missingClasses = template.classes.filter((c) => !info[c]);
    const missingModels = template.binding.models.filter((m) => !files.get(m.folder)?.has(m.file));
    return {
      template,
      missing: [
        ...missingClasses.map((c) => `node class ${c}`),
        ...missingModels.map((m) => `model ${m.folder}/${m.file}`),
      ],
      missingClasses,
      missingModels: missingModels.map((m) => ({ folder: m.folder, file: m.file })),
    };
  });
  const models = [...new Set([...files.values()].flatMap((set) => [...set]))]
    .slice(0, MAX_MODEL_FILES).sort();
  return { checks, models };
}

/**
 * The pairs that have templates but none runnable, each with the template closest to running
 * (the fewest things missing) and what it lacks.
 */
export function blockedWork(checks: readonly TemplateCheck[]): BlockedWork[] {
  const best = new Map<string, TemplateCheck>();
  const runnable = new Set<string>();
  for (const check of checks) {
    const key = `${check.template.binding.nodeType}:${check.template.binding.tier}`;
    if (check.missing.length === 0) runnable.add(key);
    const seen = best.get(key);
    if (!seen || check.missing.length < seen.missing.length) best.set(key, check);
  }
  return [...best].filter(([key]) => !runnable.has(key)).map(([, check]) => ({
    nodeType: check.template.binding.nodeType,
    tier: check.template.binding.tier,
    params: Object.keys(check.template.binding.params).sort(),
    template: check.template.name,
    missingModels: check.missingModels,
    missingClasses: check.missingClasses,
  }));
}

/** The job parameters the runnable templates for a pair read (their bindings), together. */
export function readParams(
  checks: readonly TemplateCheck[],
  nodeType: string,
  tier: string,
): string[] {
  const keys = checks.filter((c) =>
    c.missing.length === 0 && c.template.binding.nodeType === nodeType &&
    c.template.binding.tier === tier
  ).flatMap((c) => Object.keys(c.template.binding.params));
  return [...new Set(keys)].sort();
}

/**
 * The runnable template for the job's node type and tier that uses the most of the job's input
 * files (an image-to-video variant when a reference is given), skipping any that needs an input
 * the job lacks.
 */
export function chooseTemplate(
  checks: readonly TemplateCheck[],
  job: Pick<BackendJob, "nodeType" | "tier" | "inputs">,
): Template {
  const sockets = new Set(job.inputs.map((i) => i.socket));
  const candidates = checks.filter((c) =>
    c.missing.length === 0 && c.template.binding.nodeType === job.nodeType &&
    c.template.binding.tier === job.tier
  );
  if (candidates.length === 0) {
    const why = checks.filter((c) =>
      c.template.binding.nodeType === job.nodeType && c.template.binding.tier === job.tier
    )
      .map((c) => `${c.template.name} lacks ${c.missing.join(", ")}`);
    throw new JobFailure(
      `this ComfyUI cannot run ${job.nodeType} at tier ${job.tier}${
        why.length ? `: ${why.join("; ")}` : ""
      }`,
      false,
      "cannot_run",
    );
  }
  const usable = candidates.filter((c) =>
    Object.entries(c.template.binding.inputs).every(([socket, input]) =>
      !input.required || sockets.has(socket)
    )
  );
  const used = (t: Template) => Object.keys(t.binding.inputs).filter((s) => sockets.has(s)).length;
  const best =
    usable.map((c) => c.template).sort((a, b) =>
      used(b) - used(a) || a.name.localeCompare(b.name)
    )[0];
  if (!best) {
    const needs = candidates.map((c) =>
      `${c.template.name} needs ${Object.keys(c.template.binding.inputs).join(", ")}`
    );
    throw new JobFailure(
      `no ${job.nodeType} template fits the job's inputs: ${needs.join("; ")}`,
      false,
      "validation",
    );
  }
  return best;
}
