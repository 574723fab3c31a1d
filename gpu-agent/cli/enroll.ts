/**
 * `enroll`: trades a single-use token from the studio for this agent's id and secret, and
 * saves them (0600). The profile sent is what doctor shows under "Advertises".
 */
import { AGENT_API_PREFIX, type AgentProfile, enrollResponseSchema } from "../../protocol/jobs.ts";
import { type Credentials, writeCredentials } from "../config/credentials.ts";
import { CliError } from "./cli_error.ts";
import { EXIT } from "./exit_codes.ts";
import { MAKE_A_TOKEN } from "./help.ts";

export interface EnrollInput {
  serverUrl: string;
  token: string;
  name?: string;
  profile: AgentProfile;
  configDir: string;
  fetch?: typeof fetch;
  now?: () => number;
}

export async function enroll(
  input: EnrollInput,
): Promise<{ credentials: Credentials; path: string }> {
  let response: Response;
  try {
    response = await (input.fetch ?? fetch)(`${input.serverUrl}${AGENT_API_PREFIX}/enroll`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        token: input.token,
        ...(input.name ? { name: input.name } : {}),
        profile: input.profile,
      }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new CliError(
      `cannot reach ${input.serverUrl}: ${error instanceof Error ? error.message : String(error)}`,
      EXIT.edgeUnreachable,
      "check --server and your network",
    );
  }
  const body = await response.json().catch(() => null) as Record<string, unknown> | null;
  if (response.status === 401 || response.status === 403) {
    throw new CliError(
      "the enrollment token is unknown, used or expired",
      EXIT.notEnrolled,
      MAKE_A_TOKEN,
    );
  }
  if (!response.ok) {
    const error = (body?.error ?? {}) as { message?: string };
    throw new CliError(
      `enroll failed: HTTP ${response.status}${error.message ? ` (${error.message})` : ""}`,
      response.status >= 500 ? EXIT.edgeUnreachable : EXIT.failure,
    );
  }
  const parsed = enrollResponseSchema.safeParse(body);
  if (!parsed.success) {
    throw new CliError(
      `enroll: the server's answer is not an enrollment (${input.serverUrl})`,
      EXIT.failure,
    );
  }
  const credentials: Credentials = {
    serverUrl: input.serverUrl,
    agentId: parsed.data.agentId,
    secret: parsed.data.secret,
    name: parsed.data.name,
    heartbeatIntervalMs: parsed.data.heartbeatIntervalMs,
    enrolledAt: (input.now ?? Date.now)(),
  };
  const path = await writeCredentials(input.configDir, credentials);
  return { credentials, path };
}
