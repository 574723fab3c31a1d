/**
 * Starts the real edge (`edge/start.ts`: migrations, then `deno serve --parallel edge/main.ts`)
 * as a child process on a free loopback port, the way `deno task dev` and production do, for
 * tests that need a running server.
 */

export interface EdgeProcess {
  url: string;
  /** The process started (benchmarks read its CPU time). */
  pid: number;
  /** Everything the edge printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

const START = new URL("../../edge/start.ts", import.meta.url).pathname;

export async function startEdge(
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<EdgeProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", START],
    env: { PORT: "0", ...env },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // Keep the tail only, as chunks joined on demand: a long-running edge logs a line per request,
  // and copying the tail on every chunk cost a benchmark as much CPU as the edge it measured.
  const tail: string[] = [];
  let tailChars = 0;
  const text = () => tail.join("");
  const decoder = new TextDecoder();
  let resolveUrl: (url: string) => void;
  let listening = false;
  const urlSeen = new Promise<string>((resolve) => (resolveUrl = resolve));
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) {
      const piece = decoder.decode(chunk, { stream: true });
      tail.push(piece);
      tailChars += piece.length;
      while (tailChars - tail[0]!.length >= 64 * 1024) tailChars -= tail.shift()!.length;
      if (!listening) {
        // `deno serve` says where it listens once the socket is open.
        const match = text().match(/Listening on (http:\/\/127\.0\.0\.1:\d+)/);
        if (match) {
          listening = true;
          resolveUrl(match[1]!);
        }
      }
    }
  };
  const pumps = Promise.all([pump(child.stdout), pump(child.stderr)]);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`edge did not start in ${timeoutMs} ms:\n${text()}`)),
      timeoutMs,
    );
  });
  const exited = child.status.then((s) => {
    throw new Error(`edge exited with ${s.code} before listening:\n${text()}`);
  });
  /** SIGTERM, which the launcher passes on to `deno serve`; SIGKILL if that does not end it. */
  const stop = async () => {
    const kill = (signal: Deno.Signal) => {
      try {
        child.kill(signal);
      } catch { /* already gone */ }
    };
    kill("SIGTERM");
    const stuck = setTimeout(() => kill("SIGKILL"), 10_000);
    await child.status;
    clearTimeout(stuck);
    await pumps;
  };
  try {
    const url = await Promise.race([urlSeen, timeout, exited]);
    return { url, pid: child.pid, output: text, stop };
  } catch (error) {
    await stop();
    throw error;
  } finally {
    clearTimeout(timer);
    exited.catch(() => {});
  }
}
