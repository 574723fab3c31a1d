/** An error meant for the person at the terminal: a message, a fix, and the exit code to use. */
import { EXIT, type ExitCode } from "./exit_codes.ts";

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.usage,
    /** What to do about it, e.g. "run: deno task agent enroll --server URL --token TOKEN". */
    readonly fix?: string,
  ) {
    super(message);
    this.name = "CliError";
  }
}
