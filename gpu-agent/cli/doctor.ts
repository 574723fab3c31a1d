/**
 * `doctor`: everything the agent would find and advertise, and every problem with its fix: the
 * GPUs; each backend, and for ComfyUI each template it cannot run with the model files to put
 * where and the node classes to install; for Wan2GP the mode it will use and why, its memory
 * profile and the model types it has weights for; for Gradio apps each template's app; for
 * Docker the engine, rootless or not, the NVIDIA runtime and each model config's image; the
 * (node type, tier) pairs this machine can run; the
 * edge; and the saved credentials, checked read-only (`GET /me`), so an agent running on this
 * machine keeps the profile it advertised. Exit code 0 when all is well, 4 when the edge cannot
 * be reached, 3 when it refuses the saved credentials, 1 for other problems (among them a
 * backend that is up but can run nothing here).
 */
import type { BackendStatus, JobBackend, TemplateReport } from "../backends/backend.ts";
import type { Credentials } from "../config/credentials.ts";
import type { AgentConfig } from "../config/config.ts";
import { minVramMiB } from "../../protocol/tiers.ts";
import { eligibleWork, gpuTiers } from "../detect/advertise.ts";
import { AgentRejected, EdgeClient } from "../run/edge_client.ts";
import type { Detection } from "../detect/detect.ts";
import { EXIT, type ExitCode } from "./exit_codes.ts";
import { MAKE_A_TOKEN } from "./help.ts";

export interface DoctorDeps {
  detect: () => Promise<Detection>;
  backends: () => Promise<JobBackend[]>;
  credentials: Credentials | null;
  fetch?: typeof fetch;
  write: (line: string) => void;
}

export async function runDoctor(config: AgentConfig, deps: DoctorDeps): Promise<ExitCode> {
  const problems: string[] = [];
  const out = deps.write;
  const { profile, problems: detectProblems } = await deps.detect();
  problems.push(...detectProblems);

  out(
    `Machine   ${profile.hostname} (${profile.os}), ${profile.cpus} CPUs, ${
      _gb(profile.memoryMiB)
    } RAM`,
  );
  out("GPUs");
  if (profile.gpus.length === 0) out("  none found: CPU-only, runs ffmpeg processing jobs");
  for (const gpu of profile.gpus) {
    const total = gpu.vramTotalMiB === null ? "VRAM unknown" : `${gpu.vramTotalMiB} MiB`;
    const free = gpu.vramFreeMiB === null ? "" : ` (${gpu.vramFreeMiB} MiB free)`;
    out(
      `  ${gpu.index}  ${gpu.name}: ${total}${free}${
        config.vramMiB !== null ? " [MD_VRAM_MIB]" : ""
      }`,
    );
  }

  out("Backends");
  const statuses: BackendStatus[] = [];
  const gpu = gpuTiers(profile);
  const backends = await deps.backends();
  for (const backend of backends) {
    const status = await backend.probe(AbortSignal.timeout(15_000));
    statuses.push(status);
    problems.push(...backend.templateProblems ?? []);
    const name = `${status.kind}${status.version ? ` ${status.version}` : ""}`;
    if (!status.healthy) {
      out(`  ${name}: not available`);
      if (status.problem) problems.push(`${status.kind}: ${status.problem}`);
      continue;
    }
    const runs = eligibleWork(profile, [status]);
    const templates = backend.templateReport?.() ?? null;
    if (templates === null) {
      out(`  ${name}: ok (${status.templates.join(", ") || "nothing"})`);
    } else {
      const runnable = templates.filter((t) => _missing(t).length === 0 && gpu.includes(t.tier));
      out(`  ${name}: ok, ${runnable.length} of ${templates.length} templates runnable here`);
      for (const t of templates) {
        const missing = _missing(t);
        if (missing.length === 0 && gpu.includes(t.tier)) continue;
        const why = missing.length > 0
          ? missing.join("; ")
          : `needs ${_gb(minVramMiB(t.tier))} of VRAM for the ${t.tier} tier`;
        out(`    ${t.name} (${t.nodeType} at ${t.tier}): cannot run: ${why}`);
      }
    }
    for (const line of backend.describe?.() ?? []) out(`    ${line}`);
    if (Object.keys(runs).length === 0) {
      const why = templates === null
        ? backend.describe ? ": see what it lacks above" : ""
        : templates.length === 0
        ? ": it has no templates (add some: --templates DIR)"
        : templates.some((t) => _missing(t).length > 0)
        ? ": put the model files and install the node classes listed above"
        : ": its templates need more VRAM than this machine's GPUs have (--vram MIB if detection is wrong)";
      problems.push(`${name} is up but this machine can run nothing with it${why}`);
    }
  }

  if (config.wan2gp === null) {
    out("  wan2gp: not set up (to run shots on it: --wan2gp PATH or MD_WAN2GP_DIR)");
  }
  if (!backends.some((b) => b.kind === "docker")) {
    out(
      `  docker: not set up (to run models in Docker: put a model config in ${config.modelsDir}; ` +
        `examples in gpu-agent/models/, \`models\` lists them)`,
    );
  }

  out(`Can run  (GPU tiers: ${gpu.join(", ") || "none"}; concurrency ${config.concurrency})`);
  const work = Object.entries(eligibleWork(profile, statuses));
  if (work.length === 0) out("  nothing");
  for (const [type, typeTiers] of work) out(`  ${type}: ${typeTiers.join(", ")}`);

  const server = config.serverUrl ?? deps.credentials?.serverUrl ?? null;
  let unreachable = false;
  if (server === null) {
    problems.push("no server URL: pass --server URL or set MD_SERVER_URL (or enroll)");
  } else {
    const reach = await _healthz(server, deps.fetch ?? fetch);
    out(`Edge      ${server}: ${reach ?? "reachable"}`);
    if (reach) {
      unreachable = true;
      problems.push(`edge ${server} ${reach}: check the URL and your network`);
    }
  }
  let rejected = false;
  if (!deps.credentials) {
    out(`Enrolled  no: ${MAKE_A_TOKEN}`);
  } else if (server === null || unreachable) {
    out(`Enrolled  as ${deps.credentials.name} (${deps.credentials.agentId}); not checked`);
  } else {
    // A read-only check: a heartbeat would replace the profile of an agent running here.
    const check = await _checkCredentials(server, deps.credentials, deps.fetch);
    out(
      `Enrolled  as ${deps.credentials.name} (${deps.credentials.agentId}): ${check ?? "accepted"}`,
    );
    if (check) {
      rejected = check.startsWith("rejected");
      problems.push(
        rejected ? `the edge ${check}: ${MAKE_A_TOKEN}` : `credential check failed (${check})`,
      );
    }
  }

  if (problems.length === 0) {
    out("No problems found.");
    return EXIT.ok;
  }
  out("Problems");
  for (const problem of problems) out(`  - ${problem}`);
  if (unreachable) return EXIT.edgeUnreachable;
  return rejected ? EXIT.notEnrolled : EXIT.failure;
}

/** null when the edge accepts the agent's credentials, else what went wrong. */
async function _checkCredentials(
  server: string,
  credentials: Credentials,
  fetchImpl: typeof fetch | undefined,
): Promise<string | null> {
  const client = new EdgeClient({
    serverUrl: server,
    agentId: credentials.agentId,
    secret: credentials.secret,
    requestTimeoutMs: 10_000,
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
  try {
    await client.me();
    return null;
  } catch (error) {
    if (error instanceof AgentRejected) return "rejected these credentials (agent revoked?)";
    return error instanceof Error ? error.message : String(error);
  }
}

/** null when GET /healthz answers 2xx, else what went wrong. */
async function _healthz(server: string, fetchImpl: typeof fetch): Promise<string | null> {
  try {
    const response = await fetchImpl(`${server}/healthz`, { signal: AbortSignal.timeout(5000) });
    await response.body?.cancel();
    return response.ok ? null : `answered HTTP ${response.status} on /healthz`;
  } catch (error) {
    return `is unreachable (${error instanceof Error ? error.message : String(error)})`;
  }
}

/** What a template lacks, each with where to put it or how to get it. */
function _missing(t: TemplateReport): string[] {
  return [
    ...t.missingModels.map((m) => `put ${m.file} in ComfyUI's models/${m.folder}`),
    ...t.missingClasses.map((c) =>
      `node class ${c} is missing: install the custom node that provides it, restart ComfyUI`
    ),
  ];
}

function _gb(mib: number): string {
  return `${Math.round(mib / 1024)} GB`;
}
