/** The agent's exit codes (documented in gpu-agent/README.md; scripts and services rely on them). */
export const EXIT = {
  ok: 0,
  failure: 1,
  /** Bad command line or settings: the message names the flag or variable. */
  usage: 2,
  /** No credentials, or the edge rejected them: run `enroll` again. */
  notEnrolled: 3,
  /** The edge could not be reached. */
  edgeUnreachable: 4,
  /** Stopped by Ctrl-C / SIGINT / SIGTERM. */
  interrupted: 130,
} as const;

export type ExitCode = typeof EXIT[keyof typeof EXIT];
