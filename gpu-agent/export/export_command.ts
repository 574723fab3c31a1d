/**
 * The `export --project ID DIR` command: who the user is (their session token in `MD_TOKEN`, or
 * `MD_EMAIL` and `MD_PASSWORD` to sign in as the studio's page does), which studio (`--server`,
 * `MD_SERVER_URL`, else the one this machine enrolled with), then the export itself.
 */
import { CliError } from "../cli/cli_error.ts";
import { EXIT } from "../cli/exit_codes.ts";
import type { AgentConfig } from "../config/config.ts";
import { readCredentials } from "../config/credentials.ts";
import type { Env } from "../config/paths.ts";
import { GET_A_TOKEN, signIn } from "./edge_reader.ts";
import { exportProject } from "./export_project.ts";

export const EXPORT_USAGE = "export --project ID DIR";

export async function runExport(
  config: AgentConfig,
  args: { project: string | undefined; operands: string[] },
  io: { env: Env; out: (line: string) => void; fetch?: typeof fetch },
): Promise<void> {
  if (args.project === undefined) {
    throw new CliError(`export needs --project ID (${EXPORT_USAGE})`);
  }
  const [dir, ...extra] = args.operands;
  if (dir === undefined || extra.length > 0) {
    throw new CliError(`export needs exactly one folder to write into (${EXPORT_USAGE})`);
  }
  const serverUrl = config.serverUrl ?? (await readCredentials(config.configDir))?.serverUrl;
  if (!serverUrl) {
    throw new CliError(
      "export needs --server URL (or MD_SERVER_URL): this machine has not enrolled with a studio",
    );
  }
  const { MD_TOKEN: token, MD_EMAIL: email, MD_PASSWORD: password } = io.env;
  let sessionToken = token;
  if (!sessionToken && email && password) {
    sessionToken = await signIn(serverUrl, email, password, io.fetch);
  }
  if (!sessionToken) {
    throw new CliError(
      "export reads the project as you, and no one is signed in",
      EXIT.notEnrolled,
      GET_A_TOKEN,
    );
  }
  await exportProject({
    serverUrl,
    token: sessionToken,
    projectId: args.project,
    dir,
    env: io.env,
    say: io.out,
    ...(io.fetch ? { fetch: io.fetch } : {}),
  });
}
