/**
 * The agent's credentials (from `enroll`), kept in `<configDir>/agent.json`, readable by the
 * user only (0600, folder 0700): the secret lets anyone run jobs as this agent.
 */
import { z } from "zod";
import { CliError } from "../cli/cli_error.ts";
import { EXIT } from "../cli/exit_codes.ts";

export const credentialsSchema = z.object({
  serverUrl: z.string().url(),
  agentId: z.string().min(1),
  secret: z.string().min(1),
  name: z.string(),
  heartbeatIntervalMs: z.number().int().positive(),
  enrolledAt: z.number().int(),
});
export type Credentials = z.infer<typeof credentialsSchema>;

export function credentialsPath(configDir: string): string {
  return `${configDir}/agent.json`;
}

/** Writes atomically (temp file then rename) so a crash never leaves half a file. */
export async function writeCredentials(
  configDir: string,
  credentials: Credentials,
): Promise<string> {
  await Deno.mkdir(configDir, { recursive: true, mode: 0o700 });
  const path = credentialsPath(configDir);
  const temp = `${path}.${crypto.randomUUID()}.tmp`;
  try {
    await Deno.writeTextFile(temp, JSON.stringify(credentials, null, 2) + "\n", { mode: 0o600 });
    // mode applies only when creating; chmod makes sure a umask did not widen it.
    if (Deno.build.os !== "windows") await Deno.chmod(temp, 0o600);
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
  return path;
}

/** The saved credentials, or null when the agent was never enrolled. */
export async function readCredentials(configDir: string): Promise<Credentials | null> {
  const path = credentialsPath(configDir);
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new CliError(`${path} is not valid JSON`, EXIT.notEnrolled, "delete it and enroll again");
  }
  const parsed = credentialsSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CliError(
      `${path}: ${issue.path.join(".") || "file"}: ${issue.message}`,
      EXIT.notEnrolled,
      "delete it and enroll again",
    );
  }
  return parsed.data;
}
