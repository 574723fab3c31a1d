/**
 * Refusing a port another process holds before starting anything, naming the setting that
 * moves it (the runtime's own refusal names neither). The probe opens its listener without
 * SO_REUSEPORT, so it cannot bind a port anyone listens on, even a listener that would let a
 * second one with SO_REUSEPORT join in and take part of its requests.
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
