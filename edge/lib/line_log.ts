/**
 * The edge's log: one JSON line per request (and per unexpected error), written in batches.
 * A synchronous write per request was a visible share of a request's cost under load, so the
 * lines of one turn of the event loop go out together in one write on the next turn (at once
 * when 64 KB are waiting), in order.
 *
 * @example
 * ```ts
 * const log = lineLog((bytes) => Deno.stdout.writeSync(bytes));
 * log({ method: "GET", path: "/healthz", status: 200 });
 * ```
 */
const FLUSH_AT_CHARS = 64 * 1024;

/** `write` may write part of what it is given and returns how many bytes it wrote. */
export function lineLog(
  write: (bytes: Uint8Array) => number,
): (line: Record<string, unknown>) => void {
  const encoder = new TextEncoder();
  let pending: string[] = [];
  let chars = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    let bytes = encoder.encode(pending.join(""));
    pending = [];
    chars = 0;
    while (bytes.length > 0) bytes = bytes.subarray(write(bytes));
  };
  return function log(line) {
    const text = JSON.stringify(line) + "\n";
    pending.push(text);
    chars += text.length;
    if (chars >= FLUSH_AT_CHARS) flush();
    else timer ??= setTimeout(flush, 0);
  };
}
