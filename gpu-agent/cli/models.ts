/**
 * `models`: the Docker model configs, the shipped examples (gpu-agent/models/) and yours
 * (`<config-dir>/models/`), each checked; with `--dry-run ID`, the exact container a job of that
 * model would create (`POST /containers/create` body), for example parameters or `--params JSON`,
 * without touching the engine. Exit code 1 when a config is refused (the line says why).
 *
 * @example
 * ```sh
 * deno task agent models --dry-run realesrgan-video --params '{"factor": 2}'
 * ```
 */
import { NODE_TYPES } from "../../protocol/nodes.ts";
import { JobFailure } from "../backends/backend.ts";
import { API_VERSION } from "../backends/docker/engine.ts";
import { loadModels, SHIPPED_MODELS_DIR } from "../backends/docker/load_models.ts";
import type { CheckedModel } from "../../protocol/docker_models/model_config.ts";
import { defaultUser, planJob } from "../backends/docker/plan.ts";
import { inputFileName } from "../net/download.ts";
import type { AgentConfig } from "../config/config.ts";
import { CliError } from "./cli_error.ts";
import { EXIT, type ExitCode } from "./exit_codes.ts";

/** What a dry run fills in where `--params` says nothing. */
const EXAMPLE_PARAMS: Record<string, unknown> = {
  prompt: "<prompt>",
  text: "<text>",
  seed: 42,
};

export async function runModels(
  config: AgentConfig,
  options: { dryRun: string | null; params: string | null; write: (line: string) => void },
): Promise<ExitCode> {
  const out = options.write;
  const { models, problems } = await loadModels([SHIPPED_MODELS_DIR, config.modelsDir]);
  if (options.dryRun === null) {
    out(`Model configs (examples in ${SHIPPED_MODELS_DIR}; yours in ${config.modelsDir})`);
    for (const model of models) {
      const pairs = model.implements.map((i) => `${i.nodeType} at ${i.tiers.join(", ")}`);
      out(
        `  ${model.id}: ${model.title} (${pairs.join("; ")}); image ${model.image}` +
          `${model.gpu ? `, GPU ${model.vramMiB} MiB` : ", CPU"}${
            model.network ? ", network" : ""
          }`,
      );
    }
    for (const problem of problems) out(`  - ${problem}`);
    return problems.length > 0 ? EXIT.failure : EXIT.ok;
  }
  const model = models.find((m) => m.id === options.dryRun);
  if (!model) {
    throw new CliError(
      `no model config "${options.dryRun}"${
        problems.length ? ` (${problems.length} skipped)` : ""
      }`,
      EXIT.usage,
      `one of: ${models.map((m) => m.id).join(", ")}`,
    );
  }
  out(_dryRun(model, _params(options.params)));
  return EXIT.ok;
}

function _params(text: string | null): Record<string, unknown> {
  if (text === null) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CliError(`--params is not JSON: ${text}`, EXIT.usage, `e.g. --params '{"steps": 8}'`);
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw new CliError("--params must be a JSON object of job parameters", EXIT.usage);
  }
  return value as Record<string, unknown>;
}

/** The create call a job of the model's first (node type, tier) would make, as text. */
function _dryRun(model: CheckedModel, given: Record<string, unknown>): string {
  const { nodeType, tier } = model.pairs[0]!;
  const work = "<work>/docker";
  const inputs = new Map(model.inputs.map((i) => [
    i.socket,
    `${work}/inputs/${
      inputFileName({ socket: i.socket, url: `file://${i.path}`, contentType: "" })
    }`,
  ]));
  const known = Object.keys(NODE_TYPES[nodeType]!.params.shape);
  const example = Object.fromEntries(
    Object.entries(EXAMPLE_PARAMS).filter(([name]) => known.includes(name)),
  );
  let plan;
  try {
    plan = planJob(model, { jobId: "<job id>", nodeType, params: { ...example, ...given } }, {
      inputs,
      outputsDir: `${work}/outputs`,
      gpu: model.gpu ? 0 : null,
      user: model.user ?? defaultUser(),
      agentId: "<agent id>",
    });
  } catch (error) {
    if (error instanceof JobFailure) throw new CliError(error.message, EXIT.usage);
    throw error;
  }
  return [
    `# ${model.id}: ${nodeType} at ${tier}, params ${JSON.stringify(plan.params)}`,
    `# argv: ${JSON.stringify(plan.argv)}`,
    `POST /${API_VERSION}/containers/create?name=md-<job id>-<random>`,
    JSON.stringify(plan.spec, null, 2),
  ].join("\n");
}
