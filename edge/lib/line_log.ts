/**
 * The edge's log: one JSON line per request (and per unexpected error), written in batches.
 * A synchronous write per request was a visible share of a request's cost under load, so the
 * lines of one turn of the event loop go out together on the next turn (at once when 64 KB are
 * waiting), in order. Each write call carries whole lines and at most 4 KiB (PIPE_BUF), which
 * the kernel writes to a pipe in one piece, so serving threads sharing stdout never split
 * each other's lines.
 *
 * @example
 * ```ts
 * const log = lineLog((bytes) => Deno.stdout.writeSync(bytes));
 * log({ method: "GET", path: "/healthz", status: 200 });
 * ```
 */
const FLUSH_AT_CHARS = 64 * 1024;
const ATOMIC_WRITE_BYTES = 4096;
const NEWLINE = 10;

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
    const bytes = encoder.encode(pending.join(""));
    pending = [];
    chars = 0;
    for (let start = 0; start < bytes.length;) {
      // Up to the last line end within 4 KiB (a single longer line goes out alone).
      const cut = bytes.lastIndexOf(NEWLINE, start + ATOMIC_WRITE_BYTES - 1);
      const end = cut >= start ? cut + 1 : bytes.indexOf(NEWLINE, start) + 1 || bytes.length;
      let piece = bytes.subarray(start, end);
      while (piece.length > 0) piece = piece.subarray(write(piece));
      start = end;
    }
  };
  return function log(line) {
    const text = JSON.stringify(line) + "\n";
    pending.push(text);
    chars += text.length;
    if (chars >= FLUSH_AT_CHARS) flush();
    else timer ??= setTimeout(flush, 0);
  };
}
