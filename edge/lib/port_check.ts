/**
 * Refusing a port another process holds. The edge's serving threads share their port with
 * SO_REUSEPORT, and the kernel would just as well let a second studio's edge join in, each
 * getting part of the other's requests: a listener opened without SO_REUSEPORT cannot bind a
 * port anyone listens on, so probing with one first tells "ours to share" from "taken".
 */

export class PortInUse extends Error {
  override name = "PortInUse";
}

/**
 * Throws `PortInUse` (naming `setting`, the variable that moves it) when another process listens
 * on `hostname:port`. Port 0 asks for a free port: nothing to check.
 */
export function ensurePortFree(hostname: string, port: number, setting: string): void {
  if (port === 0) return;
  try {
    Deno.listen({ hostname, port }).close();
  } catch (error) {
    if (!(error instanceof Deno.errors.AddrInUse)) throw error;
    throw new PortInUse(
      `port ${port} on ${hostname} is already in use by another process (another studio?): ` +
        `stop it, or set ${setting} to a free port`,
    );
  }
}
