/**
 * Polls `check` until it returns something truthy, at most `timeoutMs`: for tests that wait on
 * real processes, browsers or real timers (a bounded loop: a test that never gets there fails,
 * naming `what`, instead of hanging).
 */
export async function until<T>(
  what: string,
  check: () => T | Promise<T>,
  timeoutMs = 15_000,
): Promise<Exclude<T, undefined | null | false | "">> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const value = await check();
    if (value) return value as Exclude<T, undefined | null | false | "">;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}
