/**
 * Research models packaged as Docker images, run as ordinary jobs (the "function runner"): each
 * model config (protocol/docker_models/model_config.ts) says which (node type, tier) pairs it implements, its image, its
 * argv template, its inputs and outputs and what it needs. A probe asks the engine (engine.ts) for
 * its version, whether it runs rootless, whether the NVIDIA runtime is there, and which configs
 * have their image and volumes: those are advertised. A job downloads its inputs, runs one
 * hardened container (container_spec.ts, run_container.ts) on the GPU the agent's VRAM budget
 * gave it, streams its log lines as progress (log_watch.ts) and hands back the files its config
 * names (outputs.ts).
 *
 * @example
 * ```ts
 * const docker = new DockerBackend({ engine: new DockerEngine(), models, agentId });
 * await docker.start(logger); // removes containers a crashed run of this agent left
 * await docker.probe();
 * ```
 */
import { join } from "node:path";
import type { BlockedWork, ClaimedModelConfig } from "../../../protocol/jobs.ts";
import type { Footprint, Tier } from "../../../protocol/tiers.ts";
import type { Logger } from "../../log/logger.ts";
import { downloadInputs } from "../../net/download.ts";
import {
  type BackendJob,
  type BackendResult,
  type BackendStatus,
  type JobBackend,
  JobFailure,
  runnableWork,
  type RunOptions,
} from "../backend.ts";
import { LABELS } from "./container_spec.ts";
import { DockerEngine, EngineUnreachable } from "./engine.ts";
import { loadModels } from "./load_models.ts";
import { LogWatch } from "./log_watch.ts";
import {
  type CheckedModel,
  ModelConfigError,
  parseModelConfig,
} from "../../../protocol/docker_models/model_config.ts";
import { collectOutputs } from "./outputs.ts";
import { defaultUser, planJob } from "./plan.ts";
import { parseJobParams } from "../job_params.ts";
import { runContainer } from "./run_container.ts";

/** How long a health check or the start-up clean-up may wait for the engine. */
const ENGINE_TIMEOUT_MS = 10_000;

export interface DockerBackendOptions {
  engine: DockerEngine;
  models: CheckedModel[];
  /** Configs that could not be loaded, one line each with its fix. */
  modelProblems?: string[];
  /** This agent's id: the label its containers carry, so a crashed run's are found. */
  agentId: string;
  /** Pull a missing image when a job needs it (else the config waits until it is built). */
  pull?: boolean;
  /** `uid:gid` containers run as unless their config says; default the agent's own. */
  user?: string;
  /** Between SIGTERM and SIGKILL on cancel and timeout; default 10 s. */
  graceSeconds?: number;
  /** How often log lines become a progress report; default 100 ms. */
  reportIntervalMs?: number;
}

/** What the last probe found about one model. */
interface Readiness {
  model: CheckedModel;
  image: boolean;
  missingVolumes: string[];
  /** Why it cannot run now; null when it can. */
  why: string | null;
}

interface EngineState {
  version: string;
  rootless: boolean;
  nvidia: boolean;
}

export class DockerBackend implements JobBackend {
  readonly kind = "docker" as const;
  readonly models: readonly CheckedModel[];
  readonly templateProblems: readonly string[];
  readonly engine: DockerEngine;
  readonly #options: DockerBackendOptions;
  #engine: EngineState | null = null;
  #ready: Readiness[] = [];
  /** Set by `start`: remove a crashed run's containers once the engine answers. */
  #leftovers: { logger: Logger } | null = null;
  /** Removals of containers that exited by themselves, still under way. */
  readonly #removals = new Set<Promise<void>>();

  constructor(options: DockerBackendOptions) {
    this.#options = options;
    this.engine = options.engine;
    this.models = options.models;
    this.templateProblems = options.modelProblems ?? [];
  }

  /**
   * At the agent's start-up (`run` only, never `doctor`): removes the containers labelled with
   * this agent's id, which a run that crashed or was killed mid-job left behind. When the engine
   * does not answer yet, the first probe that reaches it does it.
   */
  async start(logger: Logger): Promise<void> {
    this.#leftovers = { logger };
    await this.#removeLeftovers().catch(() => {});
  }

  async #removeLeftovers(): Promise<void> {
    if (!this.#leftovers) return;
    const { logger } = this.#leftovers;
    const found = await this.engine.containers(
      { [LABELS.agent]: this.#options.agentId },
      AbortSignal.timeout(ENGINE_TIMEOUT_MS),
    );
    this.#leftovers = null;
    for (const container of found) {
      const name = container.Names[0]?.replace(/^\//, "") ?? container.Id;
      const job = container.Labels[LABELS.job] ?? "?";
      try {
        await this.engine.remove(container.Id, AbortSignal.timeout(ENGINE_TIMEOUT_MS));
        logger.warn(
          `docker: removed container ${name} (${container.State}) that an earlier run of this ` +
            `agent left for job ${job}`,
        );
      } catch (error) {
        logger.warn(`docker: could not remove container ${name}: ${(error as Error).message}`);
      }
    }
  }

  async probe(outer?: AbortSignal): Promise<BackendStatus> {
    // An engine that hangs must not hang the health checks.
    const timeout = AbortSignal.timeout(ENGINE_TIMEOUT_MS);
    const signal = outer ? AbortSignal.any([outer, timeout]) : timeout;
    let engine: EngineState;
    try {
      const [version, info] = await Promise.all([
        this.engine.version(signal),
        this.engine.info(signal),
      ]);
      engine = {
        version: version.Version,
        rootless: (info.SecurityOptions ?? []).some((o) => o.includes("name=rootless")),
        nvidia: Object.hasOwn(info.Runtimes ?? {}, "nvidia"),
      };
      await this.#removeLeftovers().catch(() => {}); // tried again at the next probe
      this.#ready = await Promise.all(this.models.map((m) => this.#check(m, engine, signal)));
    } catch (error) {
      this.#engine = null;
      this.#ready = [];
      return {
        kind: "docker",
        version: null,
        healthy: false,
        templates: [],
        models: [],
        problem: error instanceof EngineUnreachable
          ? `${error.message}: start Docker (e.g. \`sudo systemctl start docker\`), or set ` +
            `DOCKER_HOST=unix:///path/to/docker.sock`
          : `the Docker Engine at ${this.engine.socket} failed: ${(error as Error).message}`,
      };
    }
    this.#engine = engine;
    const ready = this.#ready.filter((r) => r.why === null);
    return {
      kind: "docker",
      version: engine.version,
      healthy: true,
      templates: ready.map((r) => r.model.id),
      models: [],
      runnable: runnableWork(
        "docker",
        (type, tier) => this.canRun(type, tier),
        (type, tier) =>
          this.#ready.find((r) => r.why === null && _implements(r.model, type, tier))?.model
            .params ??
            [],
      ),
      blocked: this.#blocked(),
      modelConfigs: true,
    };
  }

  async #check(model: CheckedModel, engine: EngineState, signal?: AbortSignal): Promise<Readiness> {
    const [image, volumes] = await Promise.all([
      this.engine.image(model.image, signal),
      Promise.all(model.volumes.map((v) => this.engine.volume(v.volume, signal))),
    ]);
    const missingVolumes = model.volumes.filter((_, i) => !volumes[i]).map((v) => v.volume);
    const reasons: string[] = [];
    if (!image && !this.#options.pull) {
      reasons.push(
        `image ${model.image} is not present: \`docker pull ${model.image}\` or build it ` +
          `(see the config's description)`,
      );
    }
    for (const volume of missingVolumes) {
      reasons.push(
        `volume ${volume} is missing: \`docker volume create ${volume}\`, then copy the weights in`,
      );
    }
    if (model.gpu && !engine.nvidia) {
      reasons.push(
        "it needs a GPU and the engine has no NVIDIA runtime: install the NVIDIA Container " +
          "Toolkit, run `nvidia-ctk runtime configure --runtime=docker` and restart Docker",
      );
    }
    return { model, image: image !== null, missingVolumes, why: reasons.join("; ") || null };
  }

  /** Pairs of configs that lack their image or volumes (what the studio says a job waits for). */
  #blocked(): BlockedWork[] {
    return this.#ready.filter((r) => r.why !== null && (!r.image || r.missingVolumes.length > 0))
      .flatMap((r) =>
        r.model.pairs.map((pair) => ({
          ...pair,
          template: r.model.id,
          missingModels: [
            ...(r.image ? [] : [{ folder: "images", file: r.model.image }]),
            ...r.missingVolumes.map((file) => ({ folder: "volumes", file })),
          ],
          missingClasses: [],
        }))
      );
  }

  /** Resolves once every container of a finished job is removed (the agent's stop, tests). */
  async settled(): Promise<void> {
    while (this.#removals.size > 0) await Promise.all(this.#removals);
  }

  /** At the agent's stop: the containers of finished jobs are removed before it exits. */
  async close(): Promise<void> {
    await this.settled();
  }

  /** A healthy engine runs the studio's model config assets (each checked when a job comes). */
  runsModelConfigs(): boolean {
    return this.#engine !== null;
  }

  canRun(nodeType: string, tier: Tier): boolean {
    return this.#ready.some((r) => r.why === null && _implements(r.model, nodeType, tier));
  }

  /** Lines for `doctor`: the engine, rootless or not, the NVIDIA runtime, and each config. */
  describe(): string[] {
    const engine = this.#engine;
    if (!engine) return [];
    return [
      `engine: Docker ${engine.version} at ${this.engine.socket}, ${
        engine.rootless
          ? "rootless (containers cannot gain more than your user has)"
          : "rootful (containers run by the root daemon; the agent hardens each one)"
      }`,
      engine.nvidia
        ? "NVIDIA container runtime: present (GPU models get the GPU the agent gives them)"
        : "NVIDIA container runtime: not found (GPU models cannot run; CPU models can)",
      ...this.#ready.map(({ model, why }) => {
        const pairs = model.implements.map((i) => `${i.nodeType} at ${i.tiers.join(", ")}`);
        const network = model.network ? "; asks for network access" : "";
        return `${model.id} (${pairs.join("; ")}): ${model.image}: ${why ?? "ok"}${network}`;
      }),
    ];
  }

  footprint(job: ChoosingJob): Footprint | undefined {
    const model = this.#choose(job, false);
    // Named so the agent unloads other backends' models from the GPU before the container.
    return model ? { vramMiB: model.vramMiB, models: [`docker:${model.id}`] } : undefined;
  }

  /** "docker flexiact: FlexiAct …": the config `run` would pick (a job's rationale). */
  rationale(job: ChoosingJob): string {
    const model = this.#choose(job, false);
    if (!model) return "docker";
    const from = job.modelConfig
      ? ` (model config "${job.modelConfig.name}" v${job.modelConfig.version})`
      : "";
    return `docker ${model.id}: ${model.title}${from}${
      model.network ? " (with network access)" : ""
    }`;
  }

  /**
   * The runnable config for the job: the first whose required inputs the job has; when the job
   * lacks an input every candidate needs, a validation failure naming it.
   */
  #choose(job: ChoosingJob, strict: true): CheckedModel;
  #choose(job: ChoosingJob, strict: false): CheckedModel | undefined;
  #choose(job: ChoosingJob, strict: boolean) {
    if (job.modelConfig) {
      try {
        return _assetModel(job.modelConfig);
      } catch (error) {
        if (strict) throw error;
        return undefined;
      }
    }
    const sockets = new Set(job.inputs.map((i) => i.socket));
    const candidates = this.#ready.filter((r) =>
      r.why === null && _implements(r.model, job.nodeType, job.tier)
    ).map((r) => r.model);
    const fits = candidates.find((m) =>
      m.inputs.every((i) => !i.required || sockets.has(i.socket))
    );
    if (fits || !strict) return fits ?? candidates[0];
    if (candidates.length === 0) {
      throw new JobFailure(
        `no Docker model here runs ${job.nodeType} at ${job.tier} now`,
        false,
        "cannot_run",
      );
    }
    // Like a Gradio template: this agent cannot run the job, another (or a new input) may.
    const missing = candidates[0]!.inputs.filter((i) => i.required && !sockets.has(i.socket));
    throw new JobFailure(
      `${candidates[0]!.id} needs the ${missing.map((i) => `"${i.socket}"`).join(" and ")} ` +
        `input: connect one to the node`,
      false,
      "cannot_run",
    );
  }

  async run(job: BackendJob, options: RunOptions): Promise<BackendResult> {
    const { signal, onProgress } = options;
    const model = this.#choose(job, true);
    if (job.modelConfig) await this.#mustRun(model, signal);
    const dir = join(job.workDir, "docker");
    const inputsDir = join(dir, "inputs");
    const outputsDir = join(dir, "outputs");
    await Deno.mkdir(inputsDir, { recursive: true });
    await Deno.chmod(dir, 0o700);
    await Deno.mkdir(outputsDir);
    const user = model.user ?? this.#options.user ?? defaultUser();
    await this.#letWrite(outputsDir, user);
    // Bad parameters fail before anything is fetched (#choose checked the inputs).
    parseJobParams(job);
    const wanted = job.inputs.filter((i) => model.inputs.some((m) => m.socket === i.socket));
    onProgress({ percent: 0, message: `${model.id}: fetching ${wanted.length} input(s)` });
    const paths = await downloadInputs(wanted, inputsDir, { signal });
    for (const path of paths.values()) await Deno.chmod(path, 0o644);
    const { spec, seed, params } = planJob(model, job, {
      inputs: paths,
      outputsDir,
      gpu: options.gpu ?? null,
      user,
      agentId: this.#options.agentId,
    });
    await this.#ensureImage(model, onProgress, signal);
    onProgress({ percent: 0, message: `${model.id}: starting its container` });
    const watch = new LogWatch(
      model.progress ? new RegExp(model.progress.pattern) : null,
      onProgress,
      this.#options.reportIntervalMs,
    );
    let exit;
    try {
      exit = await runContainer(this.engine, {
        name: `md-${job.jobId.slice(0, 8)}-${crypto.randomUUID().slice(0, 8)}`,
        spec,
        timeoutSeconds: model.timeoutSeconds,
        graceSeconds: this.#options.graceSeconds ?? 10,
        signal,
        onLine: (stream, line) => watch.line(stream, line),
        // Not waited for: the job ends (and uploads) while the engine deletes the container.
        onRemoval: (removal) => {
          this.#removals.add(removal);
          removal.finally(() => this.#removals.delete(removal));
        },
      });
    } finally {
      watch.close();
    }
    if (exit.oomKilled) {
      throw new JobFailure(
        `${model.id} ran out of memory (its limit is ${model.memoryMiB} MiB: raise memoryMiB in ` +
          `its config if the machine has more)`,
        false,
        "runtime",
      );
    }
    if (exit.code !== 0) {
      const tail = watch.tail();
      throw new JobFailure(
        `${model.id} exited with code ${exit.code}${tail ? `:\n${tail}` : " (it printed nothing)"}`,
        false,
        "runtime",
      );
    }
    const outputs = await collectOutputs(model.outputs, outputsDir);
    return { outputs, template: model.id, params, ...(seed === undefined ? {} : { seed }) };
  }

  /**
   * A model config asset's model must find here what the agent's own configs are checked for
   * at each probe (its image unless pulls are allowed, its volumes, the NVIDIA runtime for a
   * GPU): else this agent cannot run the job, another may. Someone else wrote it, so it gets
   * less than the owner's own configs: no network, only the volumes the owner's own configs
   * mount (a volume of anything else could be copied out as a take), and no pull (the image
   * must be there already, whatever `--docker-pull` says).
   */
  async #mustRun(model: CheckedModel, signal: AbortSignal): Promise<void> {
    if (!this.#engine) {
      throw new JobFailure("the Docker Engine is not reachable now", true, "backend_down");
    }
    if (model.network) {
      throw new JobFailure(
        `${model.id} asks for network access, which a model config from the studio never gets ` +
          `on this agent: copy it into your models folder to allow it`,
        false,
        "cannot_run",
      );
    }
    const own = new Set(this.models.flatMap((m) => m.volumes.map((v) => v.volume)));
    const foreign = model.volumes.filter((v) => !own.has(v.volume)).map((v) => v.volume);
    if (foreign.length > 0) {
      throw new JobFailure(
        `${model.id} mounts volume ${foreign.join(", ")}, which none of your own model configs ` +
          `mounts: a model config from the studio may read only those; copy it into your models ` +
          `folder to allow it`,
        false,
        "cannot_run",
      );
    }
    if (!await this.engine.image(model.image, signal)) {
      throw new JobFailure(
        `${model.id}: image ${model.image} is not present, and a model config from the studio ` +
          `never pulls one: \`docker pull ${model.image}\` or build it`,
        false,
        "cannot_run",
      );
    }
    const { why } = await this.#check(model, this.#engine, signal);
    if (why) throw new JobFailure(`${model.id}: ${why}`, false, "cannot_run");
  }

  /**
   * Lets the container's user write the job's output folder: an agent running as root hands it
   * over; otherwise, when the user differs from the agent's (or rootless Docker maps it to
   * another), the folder is opened to all: the private folder around it (0700) keeps others out.
   */
  async #letWrite(outputsDir: string, user: string): Promise<void> {
    const [uid, gid] = user.split(":").map(Number) as [number, number | undefined];
    const self = Deno.uid();
    if (self === 0 && !this.#engine?.rootless) await Deno.chown(outputsDir, uid, gid ?? uid);
    else if (uid !== self || this.#engine?.rootless) await Deno.chmod(outputsDir, 0o777);
  }

  /**
   * With pulls allowed, a missing image is pulled now. (Without, creating the container says
   * the image is missing, and the job goes back: run_container.ts.)
   */
  async #ensureImage(
    model: CheckedModel,
    onProgress: RunOptions["onProgress"],
    signal: AbortSignal,
  ): Promise<void> {
    if (!this.#options.pull) return;
    if (await this.engine.image(model.image, signal).catch(() => null)) return;
    onProgress({ percent: 0, message: `pulling ${model.image}` });
    try {
      await this.engine.pull(model.image, (line) => {
        const { current, total } = line.progressDetail ?? {};
        if (line.status && current && total) {
          onProgress({
            percent: 0,
            message: `pulling ${model.image}: ${line.status} ${
              Math.round((100 * current) / total)
            }%`,
          });
        }
      }, signal);
    } catch (error) {
      if (signal.aborted) throw new JobFailure("canceled", false, "canceled");
      throw new JobFailure(
        `could not pull ${model.image}: ${(error as Error).message}`,
        true,
        "unavailable",
      );
    }
  }
}

/** What picking a job's model looks at. */
type ChoosingJob = Pick<BackendJob, "nodeType" | "tier" | "inputs" | "modelConfig">;

/**
 * A model config asset's config, checked again with the same rules (the edge checked it on
 * upload; an agent trusts no config it did not check): a bad one fails the job for good.
 */
function _assetModel(asset: ClaimedModelConfig): CheckedModel {
  try {
    return parseModelConfig(`model config "${asset.name}" v${asset.version}`, asset.config);
  } catch (error) {
    if (!(error instanceof ModelConfigError)) throw error;
    throw new JobFailure(`${error.message}; fix it in the library`, false, "validation");
  }
}

function _implements(model: CheckedModel, nodeType: string, tier: Tier): boolean {
  return model.pairs.some((p) => p.nodeType === nodeType && p.tier === tier);
}

export interface DockerSetup {
  /** The user's model configs (`<config-dir>/models`). */
  modelsDir: string;
  /** `DOCKER_HOST`, when set. */
  dockerHost: string | null;
  pull: boolean;
  agentId: string;
}

/**
 * The Docker backend with the configs in the user's models folder, or null when there is no
 * such folder (the shipped examples in gpu-agent/models/ run once copied there and their image
 * is built). An empty folder is enough to run the model config assets of the studio's projects.
 */
export async function createDockerBackend(setup: DockerSetup): Promise<DockerBackend | null> {
  const { models, problems } = await loadModels([setup.modelsDir]);
  if (models.length === 0 && problems.length === 0 && !(await _isFolder(setup.modelsDir))) {
    return null;
  }
  return new DockerBackend({
    engine: DockerEngine.fromHost(setup.dockerHost),
    models,
    modelProblems: problems,
    agentId: setup.agentId,
    pull: setup.pull,
  });
}

async function _isFolder(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
