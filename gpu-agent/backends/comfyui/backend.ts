/**
 * The ComfyUI backend: advertises the templates its ComfyUI can run (node classes and models
 * present), and runs a job by binding a template, uploading reference images, queueing the
 * prompt under an id derived from the job id, following it over `/ws`, and streaming the saved
 * files into the job's folder.
 *
 * @example
 * ```ts
 * const comfy = await createComfyUIBackend({ url: "http://127.0.0.1:8188" });
 * const status = await comfy.probe();
 * if (comfy.canRun("image.generate", "standard")) await comfy.run(job, { signal, onProgress });
 * ```
 */
import { NAMING_PARAMS } from "../../../protocol/nodes.ts";
import type { Footprint, Tier } from "../../../protocol/tiers.ts";
import {
  type BackendJob,
  type BackendResult,
  type BackendStatus,
  type JobBackend,
  JobFailure,
  runnableWork,
  type RunOptions,
  type TemplateReport,
} from "../backend.ts";
import { parseJobParams, randomSeed } from "../job_params.ts";
import {
  ComfyClient,
  ComfyUnreachable,
  type FileRef,
  PromptRejected,
  type SystemStats,
} from "./client.ts";
import { canceled, unreachable, validationFailure } from "./failures.ts";
import { downloadOutputs } from "./outputs.ts";
import { promptIdFor } from "./prompt_id.ts";
import { ComfyConnection } from "./socket.ts";
import {
  blockedWork,
  checkTemplates,
  chooseTemplate,
  readParams,
  type TemplateCheck,
} from "./support.ts";
import {
  bindTemplate,
  DEFAULT_TEMPLATE_DIR,
  loadTemplateFolders,
  type Template,
  type TemplateFolder,
} from "./templates.ts";
import { DEFAULT_TIMING, watchPrompt, type WatchTiming } from "./watch.ts";
import { workflowLabel, workflowTemplate } from "./workflow_asset.ts";

/** What choosing a template needs of a job; a job with a workflow asset runs that instead. */
type JobChoice = Pick<BackendJob, "nodeType" | "tier" | "inputs" | "workflow">;

export const DEFAULT_COMFYUI_URL = "http://127.0.0.1:8188";
/** Earlier prompts of one job that failed are skipped; this bounds how many are looked at. */
const MAX_PROMPT_ATTEMPTS = 16;

export interface ComfyUIBackendOptions {
  /** ComfyUI's base URL; default `http://127.0.0.1:8188`. */
  url?: string;
  /** The `clientId` used on `/ws` and in prompts; default a fresh `movie-director-…` id. */
  clientId?: string;
  templates: Template[];
  /** Templates that could not be loaded, one line each (logged by `run`, listed by `doctor`). */
  templateProblems?: string[];
  timing?: Partial<WatchTiming>;
}

export class ComfyUIBackend implements JobBackend {
  readonly kind = "comfyui" as const;
  readonly client: ComfyClient;
  readonly clientId: string;
  readonly templates: readonly Template[];
  readonly templateProblems: readonly string[];
  readonly #timing: WatchTiming;
  readonly #connection: ComfyConnection;
  #checks: TemplateCheck[] = [];
  /** The last probe reached ComfyUI: it can run the studio's workflow assets. */
  #healthy = false;
  /** The last `/system_stats` answer (devices, VRAM), for `doctor` and heartbeats. */
  lastStats: SystemStats | null = null;

  constructor(options: ComfyUIBackendOptions) {
    this.client = new ComfyClient((options.url ?? DEFAULT_COMFYUI_URL).replace(/\/+$/, ""));
    this.clientId = options.clientId ?? `movie-director-${crypto.randomUUID()}`;
    this.templates = options.templates;
    this.templateProblems = options.templateProblems ?? [];
    this.#timing = { ...DEFAULT_TIMING, ...options.timing };
    this.#connection = new ComfyConnection(this.client.wsUrl, this.clientId);
  }

  /** What the last probe found for each template: runnable, or what is missing. */
  templateChecks(): readonly TemplateCheck[] {
    return this.#checks;
  }

  templateReport(): TemplateReport[] {
    return this.#checks.map((c) => ({
      name: c.template.name,
      nodeType: c.template.binding.nodeType,
      tier: c.template.binding.tier,
      missingClasses: c.missingClasses,
      missingModels: c.missingModels,
    }));
  }

  async probe(signal?: AbortSignal): Promise<BackendStatus> {
    try {
      const stats = await this.client.systemStats(signal);
      const info = await this.client.objectInfo(signal);
      const { checks, models } = await checkTemplates(this.client, this.templates, info, signal);
      this.lastStats = stats;
      this.#checks = checks;
      this.#healthy = true;
      return {
        kind: "comfyui",
        workflows: true,
        version: stats.system.comfyui_version ?? null,
        healthy: true,
        templates: checks.filter((c) => c.missing.length === 0).map((c) => c.template.name),
        models,
        runnable: runnableWork(
          "comfyui",
          (type, tier) => this.canRun(type, tier),
          (type, tier) => readParams(checks, type, tier),
        ),
        blocked: blockedWork(checks),
      };
    } catch (error) {
      this.#checks = [];
      this.#healthy = false;
      const reason = error instanceof Error ? error.message : String(error);
      return {
        kind: "comfyui",
        version: null,
        healthy: false,
        templates: [],
        models: [],
        // The client's error already names the URL; add only the fix.
        problem: `${reason}: start it with "python main.py --listen 127.0.0.1 --port 8188", ` +
          `or give the agent its URL (--comfyui URL or MD_COMFYUI_URL)`,
      };
    }
  }

  canRun(nodeType: string, tier: Tier): boolean {
    return this.#checks.some((c) =>
      c.missing.length === 0 && c.template.binding.nodeType === nodeType &&
      c.template.binding.tier === tier
    );
  }

  runsWorkflows(): boolean {
    return this.#healthy;
  }

  /** The footprint (models and VRAM) of the template or workflow `run` would run for this job. */
  footprint(job: JobChoice): Footprint | undefined {
    if (job.workflow) {
      const { vramMiB, models } = job.workflow.binding;
      return { vramMiB, models: models.map((m) => m.file) };
    }
    try {
      return chooseTemplate(this.#checks, job).footprint;
    } catch {
      return undefined; // run() will say why it cannot run the job
    }
  }

  /** "comfyui shot.generate.low": the template `run` would pick (a job's rationale). */
  rationale(job: JobChoice): string {
    if (job.workflow) return `comfyui ${workflowLabel(job.workflow)}`;
    try {
      return `comfyui ${chooseTemplate(this.#checks, job).name}`;
    } catch {
      return "comfyui";
    }
  }

  async run(job: BackendJob, options: RunOptions): Promise<BackendResult> {
    const { signal } = options;
    if (signal.aborted) throw canceled();
    const template = job.workflow
      ? await workflowTemplate(job.workflow, job.nodeType, job.tier, signal)
      : chooseTemplate(this.#checks, job);
    const checked = parseJobParams(job);
    // A workflow keeps its own values where the node sets none: no catalog defaults written in.
    const params = job.workflow
      ? Object.fromEntries(
        Object.entries(checked).filter(([key]) => Object.hasOwn(job.params, key)),
      )
      : checked;
    const seed = typeof params.seed === "number" ? params.seed : randomSeed();
    try {
      // Both only read; the socket is usually open already (kept from the previous job).
      const [{ promptId, resumed }] = await Promise.all([
        this.#promptId(job.jobId),
        this.#connection.socket(),
      ]);
      const files = resumed ? {} : await this.#uploadInputs(job, template, promptId, signal);
      const prompt = bindTemplate(template, { ...params, seed }, files);
      if (resumed) options.onProgress({ percent: 0, message: "resuming the earlier prompt" });
      const refs = await watchPrompt({
        client: this.client,
        promptId,
        prompt,
        connection: this.#connection,
        ...(resumed ? {} : {
          submit: async () => {
            try {
              await this.client.queuePrompt(prompt, this.clientId, promptId);
            } catch (error) {
              if (error instanceof PromptRejected) throw validationFailure(error.body, prompt);
              throw error;
            }
          },
        }),
        signal,
        onProgress: options.onProgress,
        ...(options.onPreview ? { onPreview: options.onPreview } : {}),
        timing: this.#timing,
        resumed,
      });
      const wanted = template.binding.outputs.map((
        node,
      ): [string, FileRef[]] => [node, refs.get(node) ?? []]);
      if (wanted.every(([, list]) => list.length === 0)) {
        throw new JobFailure(
          `ComfyUI finished but node ${template.binding.outputs.join(", ")} saved no file`,
          false,
          "output",
        );
      }
      const outputs = await downloadOutputs(this.client, wanted, job.workDir, signal);
      return { outputs, template: template.name, seed, params: usedParams(template, params, seed) };
    } catch (error) {
      if (error instanceof JobFailure) throw error;
      if (signal.aborted) throw canceled();
      if (error instanceof ComfyUnreachable) throw unreachable(error.message);
      throw new JobFailure(`ComfyUI run failed: ${(error as Error).message}`, true, "unavailable");
    }
  }

  async free(): Promise<void> {
    await this.client.free();
  }

  /** Closes the `/ws` connection kept open between jobs. */
  async close(): Promise<void> {
    await this.#connection.close();
  }

  /**
   * The prompt id for this job: an earlier prompt that succeeded or is still queued is reused
   * (a resubmit after a crash does not run the work twice); one that failed is skipped.
   */
  async #promptId(jobId: string): Promise<{ promptId: string; resumed: boolean }> {
    // The queue first, then history: ComfyUI moves a finished prompt from one to the other at
    // once, so read in this order a prompt cannot slip between them (read together, it could).
    const queued = await this.client.queuedIds();
    for (let attempt = 0; attempt < MAX_PROMPT_ATTEMPTS; attempt++) {
      const promptId = promptIdFor(jobId, attempt);
      if (queued.includes(promptId)) return { promptId, resumed: true };
      const entry = await this.client.history(promptId);
      if (!entry) return { promptId, resumed: false };
      if (entry.status?.status_str !== "error") return { promptId, resumed: true };
    }
    throw new JobFailure(
      `job ${jobId} already failed ${MAX_PROMPT_ATTEMPTS} times in this ComfyUI`,
      false,
      "runtime",
    );
  }

  async #uploadInputs(job: BackendJob, template: Template, promptId: string, signal: AbortSignal) {
    const files: Record<string, string> = {};
    for (const socket of Object.keys(template.binding.inputs)) {
      const input = job.inputs.find((i) => i.socket === socket);
      if (!input) continue; // bindTemplate reports a missing required input
      const response = await fetch(input.url, { signal });
      if (!response.ok) {
        await response.body?.cancel();
        throw new JobFailure(
          `could not fetch the "${socket}" input: HTTP ${response.status}`,
          true,
          "unavailable",
        );
      }
      const ext = input.contentType.split("/")[1]?.replace("jpeg", "jpg") ?? "png";
      files[socket] = await this.client.uploadImage(
        await response.blob(),
        `${promptId}_${socket}.${ext}`,
        signal,
      );
    }
    return files;
  }
}

/**
 * The job's parameters this template wrote into the workflow (its binding's), with the seed
 * used: the lineage of what ran. Filing parameters (scene, shot, version) are kept: they name
 * the take, whatever ran.
 */
function usedParams(template: Template, params: Record<string, unknown>, seed: number) {
  const used: Record<string, unknown> = {};
  for (const [key, value] of Object.entries({ ...params, seed })) {
    if (Object.hasOwn(template.binding.params, key) || NAMING_PARAMS.includes(key)) {
      used[key] = value;
    }
  }
  return used;
}

/**
 * A backend with the templates bundled in gpu-agent/templates/comfyui, then the user's folder
 * (its templates replace bundled ones of the same name); a bad template is skipped, not fatal.
 */
export async function createComfyUIBackend(
  options: Omit<ComfyUIBackendOptions, "templates" | "templateProblems"> & {
    userTemplates?: TemplateFolder;
  } = {},
): Promise<ComfyUIBackend> {
  const { userTemplates, ...rest } = options;
  const { templates, problems } = await loadTemplateFolders([
    { dir: DEFAULT_TEMPLATE_DIR, required: true },
    ...(userTemplates ? [userTemplates] : []),
  ]);
  return new ComfyUIBackend({ ...rest, templates, templateProblems: problems });
}
