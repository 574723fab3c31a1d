/**
 * A job's parameters checked against its node type's schema before anything starts, so every
 * backend refuses bad input the same way: a `validation` failure naming each field.
 *
 * @example
 * ```ts
 * const params = parseJobParams(job); // throws JobFailure("invalid parameters … params.steps: …")
 * ```
 */
import { NODE_TYPES } from "../../protocol/nodes.ts";
import { type BackendJob, JobFailure } from "./backend.ts";

export function parseJobParams(
  job: Pick<BackendJob, "nodeType" | "params">,
): Record<string, unknown> {
  const def = NODE_TYPES[job.nodeType];
  if (!def) throw new JobFailure(`unknown node type "${job.nodeType}"`, false, "validation");
  const parsed = def.params.safeParse(job.params);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `params.${i.path.join(".")}: ${i.message}`);
    throw new JobFailure(
      `invalid parameters for ${job.nodeType}: ${issues.join("; ")}`,
      false,
      "validation",
    );
  }
  return parsed.data as Record<string, unknown>;
}

/** A seed the agent picks when the job has none; reported back as lineage. */
export function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]!;
}
