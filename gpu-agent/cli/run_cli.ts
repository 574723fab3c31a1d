/**
 * The agent's command line: parses argv, resolves settings, runs a command and maps every
 * error to a message with its fix and a documented exit code. I/O is injected so tests can
 * run commands in-process.
 */
import type { JobBackend } from "../backends/backend.ts";
import { FfmpegBackend } from "../backends/ffmpeg/mod.ts";
import { createComfyUIBackend } from "../backends/comfyui/mod.ts";
import { createDockerBackend } from "../backends/docker/mod.ts";
import { createGradioBackend } from "../backends/gradio/mod.ts";
import { Wan2gpBackend } from "../backends/wan2gp/mod.ts";
import { type AgentConfig, resolveConfig } from "../config/config.ts";
import { readCredentials } from "../config/credentials.ts";
import type { Env } from "../config/paths.ts";
import { advertisedProfile } from "../detect/advertise.ts";
import { type Detection, detectMachine } from "../detect/detect.ts";
import { largestVramMiB } from "../detect/profile.ts";
import { consoleLogger, type Logger } from "../log/logger.ts";
import { type ProgressRenderer, terminalRenderer } from "../progress/renderer.ts";
import { type FlagSpec, parseArgs } from "./args.ts";
import { CliError } from "./cli_error.ts";
import { runDoctor } from "./doctor.ts";
import { runModels } from "./models.ts";
import { enroll } from "./enroll.ts";
import { EXIT, type ExitCode } from "./exit_codes.ts";
import { runExport } from "../export/export_command.ts";
import { HELP, MAKE_A_TOKEN } from "./help.ts";
import { processSignals, runAgent, type RunDeps } from "./run.ts";

export const FLAGS: FlagSpec = {
  server: { type: "string", description: "edge URL", valueName: "URL" },
  comfyui: { type: "string", description: "ComfyUI URL", valueName: "URL" },
  vram: { type: "string", description: "VRAM in MiB", valueName: "MIB" },
  concurrency: { type: "string", description: "jobs at once", valueName: "N" },
  "work-dir": { type: "string", description: "job files", valueName: "PATH" },
  "config-dir": { type: "string", description: "credentials", valueName: "PATH" },
  templates: { type: "string", description: "your ComfyUI templates", valueName: "DIR" },
  wan2gp: { type: "string", description: "Wan2GP folder", valueName: "PATH" },
  "wan2gp-python": { type: "string", description: "Wan2GP's python", valueName: "PATH" },
  "wan2gp-bridge": { type: "string", description: "Wan2GP bridge URL", valueName: "URL" },
  "wan2gp-attention": { type: "string", description: "Wan2GP attention", valueName: "MODE" },
  models: { type: "string", description: "your Docker model configs", valueName: "DIR" },
  "docker-pull": { type: "boolean", description: "pull missing Docker images" },
  "dry-run": { type: "string", description: "model to show the container of", valueName: "ID" },
  params: { type: "string", description: "job parameters for --dry-run", valueName: "JSON" },
  "exit-when-idle": { type: "string", description: "exit when idle", valueName: "SECONDS" },
  token: { type: "string", description: "enrollment token", valueName: "TOKEN" },
  name: { type: "string", description: "agent name", valueName: "NAME" },
  project: { type: "string", description: "project to export", valueName: "ID" },
  help: { type: "boolean", description: "help" },
};

export interface CliIo {
  env: Env;
  out: (line: string) => void;
  err: (line: string) => void;
  /** Replaceable for tests (machine detection, backends, the network). */
  detect?: (config: AgentConfig) => Promise<Detection>;
  backends?: (config: AgentConfig) => Promise<JobBackend[]>;
  fetch?: typeof fetch;
  /** `run` only: where log lines and progress go, signals, and the daemon's timings. */
  logger?: Logger;
  renderer?: ProgressRenderer | null;
  onSignal?: RunDeps["onSignal"];
  exitNow?: RunDeps["exitNow"];
  tuning?: RunDeps["tuning"];
  vramQuery?: RunDeps["vramQuery"];
}

/** Runs one command; returns the exit code (never throws). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  try {
    return await _dispatch(argv, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.err(`error: ${error.message}`);
      if (error.fix) io.err(`fix: ${error.fix}`);
      if (error.exitCode === EXIT.usage) io.err("(see --help)");
      return error.exitCode;
    }
    io.err(`error: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    return EXIT.failure;
  }
}

async function _dispatch(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { command, operands, flags } = parseArgs(argv, FLAGS);
  if (flags.help || command === null || command === "help") {
    io.out(HELP);
    return command === null && !flags.help ? EXIT.usage : EXIT.ok;
  }
  const allowed: Record<string, string[]> = {
    enroll: ["token", "name"],
    run: ["token", "name", "exit-when-idle"],
    doctor: [],
    export: ["project"],
    models: ["dry-run", "params"],
  };
  const own = allowed[command];
  if (!own) {
    throw new CliError(
      `unknown command "${command}"`,
      EXIT.usage,
      "use enroll, run, doctor, models or export",
    );
  }
  const ownerOf: Record<string, string> = {
    token: "enroll and run",
    name: "enroll and run",
    "exit-when-idle": "run",
    project: "export",
    "dry-run": "models",
    params: "models",
  };
  for (const [flag, owner] of Object.entries(ownerOf)) {
    if (flags[flag] !== undefined && !own.includes(flag)) {
      throw new CliError(`--${flag} only applies to ${owner}`);
    }
  }
  if (command !== "export" && operands.length > 0) {
    throw new CliError(`unexpected argument "${operands[0]}" (one command at a time)`);
  }
  const config = resolveConfig(flags, io.env);
  const detectOnce = once(
    io.detect ??
      ((c: AgentConfig) => detectMachine(c.vramMiB !== null ? { vramOverrideMiB: c.vramMiB } : {})),
  );
  const detect = detectOnce;
  const backends = io.backends ??
    ((c: AgentConfig) => defaultBackends(c, () => detectOnce(c)));

  switch (command) {
    case "export":
      await runExport(config, {
        project: typeof flags.project === "string" ? flags.project : undefined,
        operands,
      }, { env: io.env, out: io.out, ...(io.fetch ? { fetch: io.fetch } : {}) });
      return EXIT.ok;
    case "models":
      return runModels(config, {
        dryRun: typeof flags["dry-run"] === "string" ? flags["dry-run"] : null,
        params: typeof flags.params === "string" ? flags.params : null,
        write: io.out,
      });
    case "doctor":
      return runDoctor(config, {
        detect: () => detect(config),
        backends: () => backends(config),
        credentials: await readCredentials(config.configDir),
        write: io.out,
        ...(io.fetch ? { fetch: io.fetch } : {}),
      });
    case "enroll": {
      if (typeof flags.token !== "string") {
        throw new CliError(
          "enroll needs --token TOKEN",
          EXIT.usage,
          MAKE_A_TOKEN,
        );
      }
      await enrollWith(flags.token);
      return EXIT.ok;
    }
    default: {
      // `run --token`: enroll first when not enrolled yet (a fresh container of a fleet, with
      // a pool's reusable token); enrolled already, the saved credentials are used.
      let credentials = await readCredentials(config.configDir);
      if (!credentials && typeof flags.token === "string") {
        credentials = await enrollWith(flags.token);
      }
      return runAgent(config, {
        credentials,
        detect: () => detect(config),
        backends: () => backends(config),
        logger: io.logger ?? consoleLogger,
        renderer: io.renderer === undefined ? terminalRenderer() : io.renderer,
        onSignal: io.onSignal ?? processSignals,
        exitNow: io.exitNow ?? ((code) => Deno.exit(code)),
        ...(io.fetch ? { fetch: io.fetch } : {}),
        ...(io.tuning ? { tuning: io.tuning } : {}),
        ...(io.vramQuery ? { vramQuery: io.vramQuery } : {}),
      });
    }
  }

  async function enrollWith(token: string) {
    if (config.serverUrl === null) {
      throw new CliError(
        `${command === "enroll" ? "enroll" : "run --token"} needs --server URL (or MD_SERVER_URL)`,
      );
    }
    const [{ profile }, list] = await Promise.all([detect(config), backends(config)]);
    const statuses = await Promise.all(list.map((b) => b.probe(AbortSignal.timeout(15_000))));
    const { credentials, path } = await enroll({
      serverUrl: config.serverUrl,
      token,
      ...(typeof flags.name === "string" ? { name: flags.name } : {}),
      profile: advertisedProfile(profile, statuses, config.concurrency),
      configDir: config.configDir,
      ...(io.fetch ? { fetch: io.fetch } : {}),
    });
    io.out(
      `enrolled as ${credentials.name} (${credentials.agentId}); credentials saved to ${path}`,
    );
    return credentials;
  }
}

/**
 * ffmpeg always; ComfyUI at the configured URL, with the bundled templates and the user's;
 * Wan2GP when its folder is given; a Gradio backend when the templates folder has
 * `*.gradio.json` templates; Docker models when the models folder has configs.
 */
async function defaultBackends(
  config: AgentConfig,
  detect: () => Promise<Detection>,
): Promise<JobBackend[]> {
  const list: JobBackend[] = [new FfmpegBackend()];
  list.push(
    await createComfyUIBackend({
      url: config.comfyuiUrl,
      userTemplates: { dir: config.templatesDir, required: config.templatesDirGiven },
    }),
  );
  if (config.wan2gp) {
    list.push(
      new Wan2gpBackend({
        ...config.wan2gp,
        // Its memory profile follows this machine's largest GPU and its RAM.
        memory: async () => {
          const { profile } = await detect();
          return { vramMiB: largestVramMiB(profile) || null, ramMiB: profile.memoryMiB };
        },
      }),
    );
  }
  const gradio = await createGradioBackend({ dirs: [config.templatesDir] });
  if (gradio) list.push(gradio);
  const docker = await createDockerBackend({
    modelsDir: config.modelsDir,
    dockerHost: config.dockerHost,
    pull: config.dockerPull,
    // Its containers carry this id: the next start removes what a crash left.
    agentId: (await readCredentials(config.configDir))?.agentId ?? "unenrolled",
  });
  if (docker) list.push(docker);
  return list;
}

/** The first call's promise, for every later call (machine detection runs once per command). */
function once<A, T>(fn: (arg: A) => Promise<T>): (arg: A) => Promise<T> {
  let first: Promise<T> | null = null;
  return (arg) => first ??= fn(arg);
}
