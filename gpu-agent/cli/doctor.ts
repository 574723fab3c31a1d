/**
 * `doctor`: everything the agent would find and advertise, and every problem with its fix.
 * Exit code 0 when all is well, 4 when the edge cannot be reached, 3 when it refuses the saved
 * credentials, 1 for other problems.
 */
import type { BackendStatus, JobBackend } from "../backends/backend.ts";
import type { Credentials } from "../config/credentials.ts";
import type { AgentConfig } from "../config/config.ts";
import type { AgentProfile } from "../../protocol/jobs.ts";
import { advertisedProfile, eligibleWork, gpuTiers } from "../detect/advertise.ts";
import { AgentRejected, EdgeClient } from "../run/edge_client.ts";
import type { Detection } from "../detect/detect.ts";
import { EXIT, type ExitCode } from "./exit_codes.ts";

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
  for (const backend of await deps.backends()) {
    const status = await backend.probe(AbortSignal.timeout(15_000));
    statuses.push(status);
    const version = status.version ? ` ${status.version}` : "";
    const state = status.healthy
      ? `ok (${status.templates.join(", ") || "no templates"})`
      : "not available";
    out(`  ${status.kind}${version}: ${state}`);
    if (status.problem) problems.push(`${status.kind}: ${status.problem}`);
  }

  const tiers = gpuTiers(profile);
  out(`Advertises  GPU tiers: ${tiers.join(", ") || "none"}; concurrency ${config.concurrency}`);
  for (const [type, typeTiers] of Object.entries(eligibleWork(profile, statuses))) {
    out(`  ${type}: ${typeTiers.join(", ")}`);
  }

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
    out("Enrolled  no: run `deno task agent enroll --server URL --token TOKEN`");
  } else if (server === null || unreachable) {
    out(`Enrolled  as ${deps.credentials.name} (${deps.credentials.agentId}); not checked`);
  } else {
    // A heartbeat is the one harmless call that proves the credentials still work.
    const check = await _checkCredentials(
      server,
      deps.credentials,
      advertisedProfile(profile, statuses, config.concurrency),
      deps.fetch,
    );
    out(
      `Enrolled  as ${deps.credentials.name} (${deps.credentials.agentId}): ${check ?? "accepted"}`,
    );
    if (check) {
      rejected = check.startsWith("rejected");
      problems.push(
        rejected
          ? `the edge ${check}: create a new token in the studio and enroll again`
          : `credential check failed (${check})`,
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
  profile: AgentProfile,
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
    await client.heartbeat(profile);
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

function _gb(mib: number): string {
  return `${Math.round(mib / 1024)} GB`;
}
