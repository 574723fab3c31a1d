/**
 * The real `git` (and `git lfs`), spawned with an argv array, never through a shell, in one
 * repository folder with the environment the command was given (so a test can take git or
 * git-lfs off the PATH, and nothing of the caller's shell leaks into the export).
 */
import { CliError } from "../cli/cli_error.ts";
import { EXIT } from "../cli/exit_codes.ts";
import type { Env } from "../config/paths.ts";

export const INSTALL_GIT =
  "install Git: apt-get install git (Debian, Ubuntu), brew install git (macOS), or https://git-scm.com/downloads";

export const INSTALL_GIT_LFS =
  "install Git LFS (apt-get install git-lfs, brew install git-lfs, or https://git-lfs.com), then export again";

/**
 * Without git-lfs, a `filter=lfs` attribute would run whatever `filter.lfs.*` a global config
 * names (`git-lfs clean`, required), and every `git add` of a video would fail. Emptying the
 * driver for our own commands stores the files as plain blobs instead, as the message says.
 */
const NO_LFS_FILTER = [
  "-c",
  "filter.lfs.required=false",
  "-c",
  "filter.lfs.process=",
  "-c",
  "filter.lfs.clean=",
  "-c",
  "filter.lfs.smudge=",
];

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class Git {
  #lfs = true;

  constructor(readonly dir: string, readonly env: Env) {}

  /** Commits store files as LFS pointers only when git-lfs is there. */
  set lfsPresent(present: boolean) {
    this.#lfs = present;
  }

  /** Runs `git <args>` in the folder; the result whatever the exit code. */
  async try(
    args: string[],
    options: { env?: Env; input?: string; outside?: boolean } = {},
  ): Promise<GitResult> {
    let child: Deno.ChildProcess;
    try {
      child = new Deno.Command("git", {
        args: [...(this.#lfs ? [] : NO_LFS_FILTER), ...args],
        // Checks made before the folder exists run where the command was started.
        ...(options.outside ? {} : { cwd: this.dir }),
        clearEnv: true,
        env: definedOnly({ ...this.env, GIT_TERMINAL_PROMPT: "0", ...options.env }),
        stdin: options.input === undefined ? "null" : "piped",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        throw new CliError("git is not installed (no git on the PATH)", EXIT.failure, INSTALL_GIT);
      }
      throw error;
    }
    if (options.input !== undefined) {
      const writer = child.stdin.getWriter();
      await writer.write(new TextEncoder().encode(options.input));
      await writer.close();
    }
    const out = await child.output();
    const decoder = new TextDecoder();
    return {
      code: out.code,
      stdout: decoder.decode(out.stdout),
      stderr: decoder.decode(out.stderr),
    };
  }

  /** Runs `git <args>`; a failure is an error quoting git's own words. */
  async run(args: string[], options: { env?: Env } = {}): Promise<string> {
    const result = await this.try(args, options);
    if (result.code !== 0) {
      throw new CliError(
        `git ${args[0]} failed in ${this.dir}: ${result.stderr.trim() || `exit ${result.code}`}`,
        EXIT.failure,
      );
    }
    return result.stdout;
  }
}

function definedOnly(env: Env): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined),
  );
}

/** Fails with how to install git when it is not on the PATH. */
export async function checkGit(git: Git): Promise<void> {
  await git.try(["--version"], { outside: true });
}

/** Whether `git lfs` runs here (the git-lfs binary on the PATH). */
export async function hasGitLfs(git: Git): Promise<boolean> {
  return (await git.try(["lfs", "version"], { outside: true })).code === 0;
}
