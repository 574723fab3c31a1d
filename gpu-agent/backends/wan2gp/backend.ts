/**
 * The Wan2GP backend: shots on the low-VRAM video app most 12–16 GB users have. Two modes,
 * chosen by what the machine has at each probe:
 * - gradio: the bridge (wan2gp_bridge.py, started by the user in Wan2GP's python) answers at
 *   its URL; jobs go to its one named endpoint through @gradio/client and the model stays
 *   loaded between jobs: the mode for back-to-back work;
 * - process: otherwise, `python wgp.py --process` per job (process_mode.ts), loading the model
 *   each time.
 * Both get the same settings file (settings.ts) for the best model type of the tier that has
 * its weights in `ckpts/` (model_types.ts), with the memory profile this machine's VRAM and
 * RAM call for (memory_profile.ts).
 *
 * @example
 * ```ts
 * const wan2gp = new Wan2gpBackend({ dir: "/opt/Wan2GP", memory: async () => ({ vramMiB: 12282, ramMiB: 32000 }) });
 * await wan2gp.probe();
 * wan2gp.describe(); // mode, profile, model types with and without weights
 * ```
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BlockedWork } from "../../../protocol/jobs.ts";
import { type Tier, TIERS } from "../../../protocol/tiers.ts";
import { downloadInputs } from "../../net/download.ts";
import {
  type BackendJob,
  type BackendOutput,
  type BackendResult,
  type BackendStatus,
  type JobBackend,
  JobFailure,
  type RunOptions,
} from "../backend.ts";
import { GradioApp, type GradioTiming } from "../gradio/app.ts";
import { parseJobParams, randomSeed } from "../job_params.ts";
import { contentTypeFor, extensionOf } from "../media_types.ts";
import { findPython, hasWgp, wan2gpVersion } from "./locate.ts";
import { chooseMemoryProfile, type MachineMemory, type ProfileChoice } from "./memory_profile.ts";
import {
  checkModelTypes,
  type ModelTypeCheck,
  pickModelType,
  SHOT_MODEL_TYPES,
} from "./model_types.ts";
import { type Attention, runWgpProcess } from "./process_mode.ts";
import { type ShotParams, type Wan2gpSettings, wan2gpSettings } from "./settings.ts";

export { DEFAULT_WAN2GP_BRIDGE_URL as DEFAULT_BRIDGE_URL } from "../../config/config.ts";
import { DEFAULT_WAN2GP_BRIDGE_URL } from "../../config/config.ts";
export const BRIDGE_SCRIPT = fileURLToPath(new URL("./wan2gp_bridge.py", import.meta.url));
const BRIDGE_API = JSON.parse(
  await Deno.readTextFile(new URL("./bridge_api.json", import.meta.url)),
) as { title: string; api_name: string };

export interface Wan2gpBackendOptions {
  /** The Wan2GP folder (holds wgp.py, defaults/, ckpts/). */
  dir: string;
  /** The python to run wgp.py with; default its venv's, else python3 / python. */
  python?: string | null;
  /** Where the bridge answers when it runs; default http://127.0.0.1:7899. */
  bridgeUrl?: string;
  attention?: Attention;
  /** This machine's VRAM (largest GPU) and RAM, for the memory profile. */
  memory: () => Promise<MachineMemory>;
  /** Process mode: how long Wan2GP gets after Ctrl-C before it is killed; default 10 s. */
  graceMs?: number;
  gradioTiming?: Partial<GradioTiming>;
  /** Process mode: told when wgp.py starts and exits (the benchmark's clock). */
  onProcess?: (event: "spawned" | "exited") => void;
}

type Mode =
  | { kind: "gradio"; profile: string | null }
  | { kind: "process"; python: string; why: string };

interface ProbeState {
  mode: Mode;
  profile: ProfileChoice;
  checks: ModelTypeCheck[];
  installed: Set<string>;
}

export class Wan2gpBackend implements JobBackend {
  readonly kind = "wan2gp" as const;
  readonly dir: string;
  readonly bridge: GradioApp;
  readonly #options: Wan2gpBackendOptions;
  #state: ProbeState | null = null;
  #lines: string[] = [];

  constructor(options: Wan2gpBackendOptions) {
    this.#options = options;
    this.dir = options.dir;
    this.bridge = new GradioApp(options.bridgeUrl ?? DEFAULT_WAN2GP_BRIDGE_URL, {
      connectTimeoutMs: 3_000,
      ...options.gradioTiming,
    });
  }

  async probe(): Promise<BackendStatus> {
    const down = (problem: string): BackendStatus => {
      this.#state = null;
      this.#lines = [];
      return { kind: "wan2gp", version: null, healthy: false, templates: [], models: [], problem };
    };
    if (!(await hasWgp(this.dir))) {
      return down(
        `no wgp.py in ${this.dir}: give the folder you cloned Wan2GP into ` +
          `(--wan2gp PATH or MD_WAN2GP_DIR)`,
      );
    }
    const [profile, checks, version, bridge] = await Promise.all([
      this.#options.memory().then(chooseMemoryProfile),
      checkModelTypes(this.dir),
      wan2gpVersion(this.dir),
      this.#bridgeProfile(),
    ]);
    let mode: Mode;
    if (bridge.answered) {
      mode = { kind: "gradio", profile: bridge.profile };
    } else {
      const { python, tried } = await findPython(this.dir, this.#options.python ?? null);
      if (!python) {
        return down(
          `no python runs here to start Wan2GP (tried ${tried.join(", ")}): give its venv's ` +
            `python with --wan2gp-python PATH (MD_WAN2GP_PYTHON)`,
        );
      }
      mode = { kind: "process", python, why: bridge.why };
    }
    const installed = new Set(checks.filter((c) => c.installed).map((c) => c.modelType));
    this.#state = { mode, profile, checks, installed };
    this.#lines = this.#describe(this.#state);
    return {
      kind: "wan2gp",
      version,
      healthy: true,
      templates: [...installed],
      models: [],
      runnable: TIERS.filter((tier) => this.canRun("shot.generate", tier)).map((tier) => ({
        nodeType: "shot.generate",
        tier,
      })),
      blocked: this.#blocked(checks),
    };
  }

  /** Whether the bridge answers with its endpoint, and the profile its title reports. */
  async #bridgeProfile(): Promise<{ answered: boolean; profile: string | null; why: string }> {
    try {
      const { title, info } = await this.bridge.endpoint(BRIDGE_API.api_name);
      if (!title.startsWith(BRIDGE_API.title) || !info) {
        this.bridge.forget();
        return {
          answered: false,
          profile: null,
          why: `${this.bridge.url} answers but is not the Wan2GP bridge ("${title}")`,
        };
      }
      return { answered: true, profile: /profile ([\d.]+)/.exec(title)?.[1] ?? null, why: "" };
    } catch {
      this.bridge.forget();
      return { answered: false, profile: null, why: `no bridge answered at ${this.bridge.url}` };
    }
  }

  /** Tiers with no model type of their own: what to download for each. */
  #blocked(checks: ModelTypeCheck[]): BlockedWork[] {
    const by = new Map(checks.map((c) => [c.modelType, c]));
    return TIERS.filter((tier) => !this.canRun("shot.generate", tier)).map((tier) => {
      const best = by.get(SHOT_MODEL_TYPES[tier].text[0]!);
      return {
        nodeType: "shot.generate",
        tier,
        template: `wan2gp ${best?.modelType ?? SHOT_MODEL_TYPES[tier].text[0]}`,
        missingModels: (best?.missingFiles ?? []).map((file) => ({ folder: "ckpts", file })),
        missingClasses: [],
      };
    });
  }

  canRun(nodeType: string, tier: Tier): boolean {
    const state = this.#state;
    return !!state && nodeType === "shot.generate" &&
      pickModelType(tier, false, state.installed) !== null;
  }

  describe(): string[] {
    return this.#lines;
  }

  #describe(state: ProbeState): string[] {
    const { mode, profile, checks } = state;
    const bridgeCommand = `${
      mode.kind === "process" ? mode.python : "python"
    } ${BRIDGE_SCRIPT} --wan2gp ${this.dir} --profile ${profile.profile} --port ${
      new URL(this.bridge.url).port || 80
    }`;
    const lines = mode.kind === "gradio"
      ? [
        `mode: gradio: the bridge at ${this.bridge.url} answers (profile ${
          mode.profile ?? "?"
        }); the model stays loaded between jobs`,
      ]
      : [
        `mode: process: ${mode.why}; each job runs \`${mode.python} wgp.py --process\` and ` +
        `loads its model`,
        `  for back-to-back jobs start the bridge in Wan2GP's python: ${bridgeCommand}`,
      ];
    lines.push(`memory profile ${profile.summary.slice("profile ".length)}`);
    if (profile.warning) lines.push(`  ${profile.warning}`);
    const named = (c: ModelTypeCheck) => c.name ? `${c.modelType} (${c.name})` : c.modelType;
    const have = checks.filter((c) => c.installed);
    lines.push(`model types with weights: ${have.map(named).join(", ") || "none"}`);
    const missing = checks.filter((c) => !c.installed && c.name !== null);
    if (missing.length > 0) {
      lines.push(
        `without weights: ${
          missing.map((c) => `${c.modelType} (needs ${c.missingFiles.join(" and ")})`).join(", ")
        }: put them in ${join(this.dir, "ckpts")}, or pick the model once in Wan2GP to download it`,
      );
    }
    return lines;
  }

  /** "wan2gp profile 4: 12 GB VRAM, 32 GB RAM" (the bridge's own profile in gradio mode). */
  rationale(): string {
    const state = this.#state;
    if (!state) return "wan2gp";
    if (state.mode.kind === "gradio") {
      const rest = state.profile.summary.replace(/^profile [\d.]+/, "");
      return `wan2gp (bridge) profile ${state.mode.profile ?? "?"}${rest}`;
    }
    return `wan2gp ${state.profile.summary}`;
  }

  async run(job: BackendJob, options: RunOptions): Promise<BackendResult> {
    const { signal } = options;
    const state = this.#state;
    if (!state || job.nodeType !== "shot.generate") {
      throw new JobFailure(`Wan2GP here cannot run ${job.nodeType}`, false, "cannot_run");
    }
    const params = parseJobParams(job) as unknown as ShotParams & { seed?: number };
    const seed = params.seed ?? randomSeed();
    const reference = job.inputs.find((i) => i.socket === "reference");
    const choice = pickModelType(job.tier, reference !== undefined, state.installed);
    if (!choice) {
      throw new JobFailure(
        `Wan2GP here has no model for shots at ${job.tier}`,
        false,
        "cannot_run",
      );
    }
    const image = choice.usesImage && reference
      ? (await downloadInputs([reference], job.workDir, { signal })).get("reference")!
      : undefined;
    const lineage = `wan2gp ${choice.modelType}`;
    options.onProgress({ percent: 0, message: `Wan2GP: ${choice.modelType}` });
    const settings = wan2gpSettings(choice.modelType, params, seed, image);
    const output = state.mode.kind === "gradio"
      ? await this.#runBridge(job, settings, image, options)
      : await this.#runProcess(job, state, settings, options);
    return { outputs: [output], template: lineage, seed };
  }

  async #runBridge(
    job: BackendJob,
    { image_start: _path, ...settings }: Wan2gpSettings,
    image: string | undefined,
    options: RunOptions,
  ): Promise<BackendOutput> {
    // The bridge puts the uploaded image in `image_start` itself: settings name no paths.
    const file = image
      ? new File([await Deno.readFile(image)], `start.${extensionOf(image) || "png"}`)
      : null;
    const data = await this.bridge.run(
      BRIDGE_API.api_name,
      [JSON.stringify(settings), file],
      options,
    );
    return await this.bridge.download(data[0], job.workDir, "output", options.signal);
  }

  async #runProcess(
    job: BackendJob,
    state: ProbeState,
    settings: Wan2gpSettings,
    options: RunOptions,
  ): Promise<BackendOutput> {
    if (state.mode.kind !== "process") throw new Error("not in process mode");
    const settingsPath = join(job.workDir, "wan2gp_settings.json");
    await Deno.writeTextFile(settingsPath, JSON.stringify(settings, null, 2));
    const path = await runWgpProcess({
      python: state.mode.python,
      dir: this.dir,
      settingsPath,
      outputDir: join(job.workDir, "wan2gp_out"),
      profile: state.profile.profile,
      attention: this.#options.attention ?? "sdpa",
      signal: options.signal,
      onProgress: options.onProgress,
      ...(this.#options.graceMs ? { graceMs: this.#options.graceMs } : {}),
      ...(this.#options.onProcess
        ? {
          onSpawned: () => this.#options.onProcess!("spawned"),
          onExited: () => this.#options.onProcess!("exited"),
        }
        : {}),
    });
    const ext = extensionOf(path) || "mp4";
    return { path, ext, contentType: contentTypeFor(ext) ?? "video/mp4" };
  }

  close(): Promise<void> {
    this.bridge.forget();
    return Promise.resolve();
  }
}
