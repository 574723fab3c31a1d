/**
 * What `deno task dev` waits for before it says the studio is running: each server answering
 * its health check. Pure of the processes themselves, so it is tested on its own.
 */

export interface HealthCheck {
  /** "the edge", "the room server". */
  name: string;
  url: string;
  /** The variable that sets its port, for the message when it does not answer. */
  setting: string;
  /**
   * `2xx` (default): a health route that says it is ready; `any`: any HTTP answer (the room
   * server has no health route; its port was checked free before it started, so it is ours).
   */
  expect?: "2xx" | "any";
}

/** Resolves once every check answers 2xx; throws naming the ones that did not in `timeoutMs`. */
export async function waitUntilHealthy(
  checks: HealthCheck[],
  timeoutMs: number,
  pollMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let waiting = checks;
  while (true) {
    const answers = await Promise.all(waiting.map((c) => _healthy(c)));
    waiting = waiting.filter((_, i) => !answers[i]);
    if (waiting.length === 0) return;
    if (Date.now() >= deadline) {
      throw new Error(
        waiting.map((c) => `${c.name} did not answer ${c.url} (port: ${c.setting})`).join("; "),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

async function _healthy(check: HealthCheck): Promise<boolean> {
  try {
    const response = await fetch(check.url, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return check.expect === "any" || response.ok;
  } catch {
    return false;
  }
}
