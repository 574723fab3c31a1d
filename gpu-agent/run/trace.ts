/**
 * Moments in a job's life the daemon reports to an optional observer, for the benchmark
 * (bench/agent) and tests; the agent itself never reads them.
 */
import type { JobOutcome } from "./job_runner.ts";

export type TraceEvent =
  | { type: "claimed"; jobId: string }
  | { type: "backend_started"; jobId: string }
  | { type: "backend_finished"; jobId: string }
  | { type: "upload_started"; jobId: string }
  | { type: "upload_finished"; jobId: string }
  | { type: "completed"; jobId: string }
  /** Its video takes' posters and facts reached the edge (after the lease, beside the next job). */
  | { type: "described"; jobId: string }
  | { type: "settled"; jobId: string; outcome: JobOutcome };
