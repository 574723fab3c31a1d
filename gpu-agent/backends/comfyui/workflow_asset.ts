/**
 * The studio's workflow assets as templates: a job that runs the user's own ComfyUI workflow
 * carries a signed URL of the file, its SHA-256 and the mapping. The file is fetched (bounded by
 * its stated size), checked against the hash and joined with the mapping into a `Template`, so
 * it binds and runs exactly like a bundled one. Files are kept by hash: a workflow run again
 * (every take of a node) is fetched once per agent run.
 *
 * @example
 * ```ts
 * const template = await workflowTemplate(job.workflow, job.nodeType, job.tier, signal);
 * bindTemplate(template, { prompt: "a red door", seed: 7 }, {});
 * ```
 */
import type { ClaimedWorkflow } from "../../../protocol/jobs.ts";
import type { Tier } from "../../../protocol/tiers.ts";
import { JobFailure } from "../backend.ts";
import { parseTemplate, type Template, TemplateError } from "./templates.ts";

/** Distinct workflow files kept between jobs; they are small (at most 2 MB, mostly a few kB). */
const KEPT = 32;
const kept = new Map<string, unknown>();

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The workflow file's JSON, fetched once and checked against its hash. */
async function fetchWorkflow(workflow: ClaimedWorkflow, signal: AbortSignal): Promise<unknown> {
  const known = kept.get(workflow.sha256);
  if (known) return known;
  const response = await fetch(workflow.url, { signal });
  if (!response.ok) {
    await response.body?.cancel();
    throw new JobFailure(
      `could not fetch workflow "${workflow.name}": HTTP ${response.status}`,
      true,
      "unavailable",
    );
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.byteLength !== workflow.bytes || await sha256Hex(bytes) !== workflow.sha256) {
    throw new JobFailure(
      `workflow "${workflow.name}" v${workflow.version} arrived changed (its SHA-256 differs ` +
        `from the studio's): upload the workflow again`,
      false,
      "runtime",
    );
  }
  const json = JSON.parse(new TextDecoder().decode(bytes));
  if (kept.size >= KEPT) kept.delete(kept.keys().next().value!);
  kept.set(workflow.sha256, json);
  return json;
}

/** The job's workflow asset as a template named `workflow "<name>" v<N>` (the take's lineage). */
export async function workflowTemplate(
  workflow: ClaimedWorkflow,
  nodeType: string,
  tier: Tier,
  signal: AbortSignal,
): Promise<Template> {
  const json = await fetchWorkflow(workflow, signal);
  const { binding } = workflow;
  try {
    return parseTemplate(workflowLabel(workflow), {
      nodeType,
      tier,
      vramMiB: binding.vramMiB,
      models: binding.models,
      params: binding.params,
      inputs: binding.inputs,
      outputs: binding.outputs,
    }, json);
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    // The studio checked the mapping against the file; only a bug or a tampered file lands here.
    throw new JobFailure(
      `the mapping does not fit the workflow: ${error.message}`,
      false,
      "runtime",
    );
  }
}

/** `workflow "Wan 2.2 t2v" v3`: how the job's rationale and the take's lineage name it. */
export function workflowLabel(workflow: Pick<ClaimedWorkflow, "name" | "version">): string {
  return `workflow "${workflow.name}" v${workflow.version}`;
}
