/**
 * Prompt ids the agent chooses itself, derived from the job id, so that an agent that crashed
 * and claims the same job again finds its earlier prompt in ComfyUI's queue or history instead
 * of queueing the work twice. `attempt` moves to a fresh id when the earlier prompt failed.
 */
import { createHash } from "node:crypto";

const NAMESPACE = "movie-director/comfyui-prompt/";

/**
 * A UUID (version 5 layout) from SHA-1 of the job id and attempt; the same inputs give the same
 * id, in every agent version. Hashed in place (node:crypto): WebCrypto's digest is async, a
 * thread-pool turn before every prompt for a few microseconds of work.
 */
export function promptIdFor(jobId: string, attempt = 0): string {
  const hash = createHash("sha1").update(`${NAMESPACE}${jobId}#${attempt}`).digest()
    .subarray(0, 16);
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${
    hex.slice(20)
  }`;
}
