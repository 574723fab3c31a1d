/**
 * The folder an export writes into: a new or empty folder becomes a Git repository; a folder an
 * earlier export of the same project made is continued from the revision its marker names; any
 * other folder, and a repository with uncommitted changes, is refused (never overwritten).
 */
import { CliError } from "../cli/cli_error.ts";
import { EXIT } from "../cli/exit_codes.ts";
import type { Git } from "./git.ts";

/** The marker file at the repository's root: which project, and the last revision exported. */
export const MARKER = ".movie-director.json";

export interface Marker {
  projectId: string;
  revision: number;
}

/** Makes `git.dir` ready; answers the revision already exported there (0 for a new one). */
export async function prepareFolder(git: Git, projectId: string): Promise<number> {
  const dir = git.dir;
  const entries = await listFolder(dir);
  if (entries === null) {
    await Deno.mkdir(dir, { recursive: true });
  } else if (!entries.includes(".git")) {
    if (entries.length > 0) {
      throw new CliError(
        `${dir} is not empty and is not a Git repository an export made`,
        EXIT.usage,
        "export into a new or empty folder, or into the folder an earlier export of this project made",
      );
    }
  } else {
    return await continuedRevision(git, projectId);
  }
  await git.run(["init", "-q"]);
  await git.run(["symbolic-ref", "HEAD", "refs/heads/main"]);
  return 0;
}

async function continuedRevision(git: Git, projectId: string): Promise<number> {
  const changes = (await git.run(["status", "--porcelain", "--untracked-files=all"])).trim();
  if (changes !== "") {
    const lines = changes.split("\n");
    throw new CliError(
      `${git.dir} has uncommitted changes the export would overwrite:\n  ${
        lines.slice(0, 5).join("\n  ")
      }${lines.length > 5 ? `\n  (${lines.length - 5} more)` : ""}`,
      EXIT.usage,
      "commit them (git add -A && git commit) or set them aside (git stash -u), then export again",
    );
  }
  if ((await git.try(["rev-parse", "-q", "--verify", "HEAD"])).code !== 0) return 0;
  const shown = await git.try(["show", `HEAD:${MARKER}`]);
  let marker: Marker | null = null;
  try {
    marker = shown.code === 0 ? JSON.parse(shown.stdout) as Marker : null;
  } catch { /* not ours: refused below */ }
  if (!marker || typeof marker.revision !== "number") {
    throw new CliError(
      `${git.dir} is a Git repository, but not one an export made (no ${MARKER} in its last commit)`,
      EXIT.usage,
      "export into a new or empty folder",
    );
  }
  if (marker.projectId !== projectId) {
    throw new CliError(
      `${git.dir} holds the export of another project (${marker.projectId})`,
      EXIT.usage,
      "export each project into its own folder",
    );
  }
  return marker.revision;
}

/** The folder's entries, or null when it does not exist. */
async function listFolder(dir: string): Promise<string[] | null> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(dir);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  if (!info.isDirectory) {
    throw new CliError(
      `${dir} is a file, not a folder`,
      EXIT.usage,
      "name a folder to export into",
    );
  }
  return (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name);
}
