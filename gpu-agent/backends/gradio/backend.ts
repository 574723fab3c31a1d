/**
 * Any local Gradio app as a backend, through declarative templates (template.ts): a probe
 * connects to each app and checks its named endpoint takes as many inputs as the template
 * gives; a job binds its parameters and input files in order, runs the endpoint through
 * @gradio/client (app.ts) and downloads the output the template names.
 *
 * @example
 * ```ts
 * const gradio = await createGradioBackend({ dirs: [templatesDir] });
 * if (gradio) await gradio.probe();
 * ```
 */
import type { Footprint, Tier } from "../../../protocol/tiers.ts";
import { basename } from "node:path";
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
import { parseJobParams, randomSeed } from "../job_params.ts";
import { type EndpointInfo, GradioApp, type GradioTiming } from "./app.ts";
import { bindInputs, type GradioTemplate, loadGradioTemplates, typeMismatch } from "./template.ts";

export interface GradioBackendOptions {
  templates: GradioTemplate[];
  templateProblems?: string[];
  timing?: Partial<GradioTiming>;
}

interface Readiness {
  template: GradioTemplate;
  /** What the app's /info says about the endpoint, when it answered and matches. */
  info: EndpointInfo | null;
  /** Why the template cannot run now. */
  why: string | null;
}

export class GradioBackend implements JobBackend {
  readonly kind = "gradio" as const;
  readonly templates: readonly GradioTemplate[];
  readonly templateProblems: readonly string[];
  readonly #apps = new Map<string, GradioApp>();
  #ready: Readiness[] = [];

  constructor(options: GradioBackendOptions) {
    this.templates = options.templates;
    this.templateProblems = options.templateProblems ?? [];
    for (const t of options.templates) {
      if (!this.#apps.has(t.app)) this.#apps.set(t.app, new GradioApp(t.app, options.timing));
    }
  }

  async probe(): Promise<BackendStatus> {
    this.#ready = await Promise.all(this.templates.map((t) => this.#check(t)));
    const answered = this.#ready.filter((r) => !r.why?.includes("is not answering"));
    const runnable = this.#ready.filter((r) => r.why === null);
    const status: BackendStatus = {
      kind: "gradio",
      version: null,
      healthy: answered.length > 0,
      templates: runnable.map((r) => r.template.name),
      models: [],
      runnable: runnableWork("gradio", (type, tier) => this.canRun(type, tier)),
    };
    if (!status.healthy) {
      status.problem = `no Gradio app of your templates answered: start ${
        [...this.#apps.keys()].join(" and ")
      }, or remove the templates you do not use`;
    }
    return status;
  }

  async #check(template: GradioTemplate): Promise<Readiness> {
    const app = this.#apps.get(template.app)!;
    try {
      const { info } = await app.endpoint(template.apiName);
      if (!info) {
        return {
          template,
          info: null,
          why: `${template.app} has no endpoint /${template.apiName}`,
        };
      }
      if (info.parameters.length !== template.inputs.length) {
        return {
          template,
          info: null,
          why: `${template.app}/${template.apiName} takes ${info.parameters.length} inputs; the ` +
            `template gives ${template.inputs.length}`,
        };
      }
      return { template, info, why: null };
    } catch (error) {
      app.forget();
      return { template, info: null, why: (error as Error).message };
    }
  }

  canRun(nodeType: string, tier: Tier): boolean {
    return this.#ready.some((r) =>
      r.why === null && r.template.nodeType === nodeType && r.template.tier === tier
    );
  }

  /** Lines for `doctor`: each template, its app, and whether it can run. */
  describe(): string[] {
    return this.#ready.map(({ template: t, why }) =>
      `${t.name} (${t.nodeType} at ${t.tier}): ${t.app} /${t.apiName}: ${why ?? "ok"}`
    );
  }

  footprint(job: Pick<BackendJob, "nodeType" | "tier" | "inputs">): Footprint | undefined {
    const t = this.#choose(job, false);
    // The app keeps its model loaded: naming it makes the agent unload others first.
    return t
      ? { vramMiB: t.template.vramMiB, models: [`gradio:${t.template.app}/${t.template.apiName}`] }
      : undefined;
  }

  #choose(job: Pick<BackendJob, "nodeType" | "tier" | "inputs">, strict: true): Readiness;
  #choose(
    job: Pick<BackendJob, "nodeType" | "tier" | "inputs">,
    strict: false,
  ): Readiness | undefined;
  #choose(job: Pick<BackendJob, "nodeType" | "tier" | "inputs">, strict: boolean) {
    const sockets = new Set(job.inputs.map((i) => i.socket));
    const found = this.#ready.find((r) =>
      r.why === null && r.template.nodeType === job.nodeType && r.template.tier === job.tier &&
      r.template.inputs.every((i) => !("file" in i) || !i.required || sockets.has(i.file))
    );
    if (!found && strict) {
      throw new JobFailure(
        `no Gradio template here runs ${job.nodeType} at ${job.tier} with this job's inputs`,
        false,
        "cannot_run",
      );
    }
    return found;
  }

  /** "gradio voice.synthesize.standard": the template `run` would pick (a job's rationale). */
  rationale(job: Pick<BackendJob, "nodeType" | "tier" | "inputs">): string {
    const found = this.#choose(job, false);
    return found ? `gradio ${found.template.name}` : "gradio";
  }

  async run(job: BackendJob, options: RunOptions): Promise<BackendResult> {
    const { signal } = options;
    const params = parseJobParams(job);
    const { template, info } = this.#choose(job, true);
    const bindsSeed = template.inputs.some((i) => "param" in i && i.param === "seed");
    const seed = bindsSeed
      ? (typeof params.seed === "number" ? params.seed : randomSeed())
      : undefined;
    const files = await this.#files(job, template, signal);
    const data = bindInputs(template, seed === undefined ? params : { ...params, seed }, files);
    const mismatch = typeMismatch(template, data, info!);
    if (mismatch) throw new JobFailure(mismatch, false, "validation");
    const app = this.#apps.get(template.app)!;
    const outputs = await app.run(template.apiName, data, options);
    if (template.outputIndex >= outputs.length) {
      throw new JobFailure(
        `the app returned ${outputs.length} outputs; the template takes output ${template.outputIndex}`,
        false,
        "output",
      );
    }
    const output = await app.download(outputs[template.outputIndex], job.workDir, "output", signal);
    return { outputs: [output], template: template.name, ...(seed === undefined ? {} : { seed }) };
  }

  /** The job's input files the template uses, as Files (the client uploads them). */
  async #files(job: BackendJob, template: GradioTemplate, signal: AbortSignal) {
    const wanted = new Set(template.inputs.flatMap((i) => "file" in i ? [i.file] : []));
    const inputs = job.inputs.filter((i) => wanted.has(i.socket));
    const paths = await downloadInputs(inputs, job.workDir, { signal });
    const files = new Map<string, File>();
    for (const input of inputs) {
      const path = paths.get(input.socket)!;
      files.set(
        input.socket,
        new File([await Deno.readFile(path)], basename(path), { type: input.contentType }),
      );
    }
    return files;
  }

  close(): Promise<void> {
    for (const app of this.#apps.values()) app.forget();
    return Promise.resolve();
  }
}

/** A Gradio backend with the templates in `dirs`, or null when there are none (nothing to run). */
export async function createGradioBackend(
  options: { dirs: string[]; timing?: Partial<GradioTiming> },
): Promise<GradioBackend | null> {
  const { templates, problems } = await loadGradioTemplates(options.dirs);
  if (templates.length === 0 && problems.length === 0) return null;
  return new GradioBackend({
    templates,
    templateProblems: problems,
    ...(options.timing ? { timing: options.timing } : {}),
  });
}
