/**
 * Prompt ids the agent chooses itself, derived from the job id, so that an agent that crashed
 * and claims the same job again finds its earlier prompt in ComfyUI's queue or history instead
 * of queueing the work twice. `attempt` moves to a fresh id when the earlier prompt failed.
 */

const NAMESPACE = "movie-director/comfyui-prompt/";

/** A UUID (version 5 layout) from SHA-1 of the job id and attempt; the same inputs give the same id. */
export async function promptIdFor(jobId: string, attempt = 0): Promise<string> {
  const data = new TextEncoder().encode(`${NAMESPACE}${jobId}#${attempt}`);
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-1", data)).slice(0, 16);
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = [...hash].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${
    hex.slice(20)
  }`;
}
