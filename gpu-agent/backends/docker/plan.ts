/**
 * One job of a model, planned: its parameters checked, a seed picked when the command takes one
 * and the job has none, the argv rendered, and the exact container spec. Used by the run and by
 * the dry run (`models --dry-run`), so what a dry run prints is what a job creates.
 *
 * @example
 * ```ts
 * const plan = planJob(model, job, { inputs, outputsDir, gpu: 0, user: "1000:1000", agentId });
 * console.log(JSON.stringify(plan.spec, null, 2));
 * ```
 */
import { type BackendJob, JobFailure } from "../backend.ts";
import { parseJobParams, randomSeed } from "../job_params.ts";
import { argText, OUTPUTS_DIR, renderCommand } from "../../../protocol/docker_models/command.ts";
import { type ContainerSpec, containerSpec, LABELS } from "./container_spec.ts";
import type { CheckedModel } from "../../../protocol/docker_models/model_config.ts";

export interface HostSide {
  /** Host file of each input the job has, by socket. */
  inputs: ReadonlyMap<string, string>;
  outputsDir: string;
  gpu: number | null;
  user: string;
  agentId: string;
}

export interface Plan {
  argv: string[];
  spec: ContainerSpec;
  /** The seed the command got, when it takes one (lineage). */
  seed?: number;
  /** The parameters the command read (lineage). */
  params: Record<string, unknown>;
}

export function planJob(
  model: CheckedModel,
  job: Pick<BackendJob, "jobId" | "nodeType" | "params">,
  host: HostSide,
): Plan {
  const params = parseJobParams(job);
  let seed: number | undefined;
  if (model.params.includes("seed")) {
    seed = typeof params.seed === "number" ? params.seed : randomSeed();
    params.seed = seed;
  }
  for (const input of model.inputs) {
    if (input.required && !host.inputs.has(input.socket)) {
      throw new JobFailure(
        `${model.id} needs the "${input.socket}" input: connect one to the node`,
        false,
        "validation",
      );
    }
  }
  const values = new Map<string, string>([["outputs", OUTPUTS_DIR]]);
  for (const input of model.inputs) values.set(`inputs.${input.socket}`, input.path);
  const used: Record<string, unknown> = {};
  for (const name of model.params) {
    const text = argText(params[name]);
    if (text === undefined) {
      throw new JobFailure(
        `params.${name}: ${model.id} puts it on its command line, and the job has no value for it`,
        false,
        "validation",
      );
    }
    values.set(name, text);
    used[name] = params[name];
  }
  if (model.gpu && host.gpu === null) {
    throw new JobFailure(`${model.id} needs a GPU and none was given to it`, false, "cannot_run");
  }
  const argv = renderCommand(model.command, values);
  const spec = containerSpec({
    model,
    argv,
    inputs: host.inputs,
    outputsDir: host.outputsDir,
    gpu: model.gpu ? host.gpu : null,
    user: host.user,
    labels: { [LABELS.agent]: host.agentId, [LABELS.job]: job.jobId },
  });
  return { argv, spec, params: used, ...(seed === undefined ? {} : { seed }) };
}

/** The user containers run as: the agent's own uid:gid, or nobody's when the agent is root. */
export function defaultUser(): string {
  const uid = Deno.uid();
  const gid = Deno.gid();
  return uid && gid !== null ? `${uid}:${gid}` : "65534:65534";
}
