/**
 * The fake edge as a process of its own for the room benchmark, so the rooms' revision flushes
 * are not served on the load generator's event loop (where they would stall the clients that
 * measure latency, and only while our room runs: the other two never flush).
 *
 * Run directly it prints its URL and serves until killed; `spawnFakeEdge` does that for you.
 */
import { emptyGraph } from "../../protocol/graph.ts";
import { startFakeEdge } from "../../test/rooms/fake_edge_server.ts";

export interface FakeEdgeProcess {
  url: string;
  stop(): Promise<void>;
}

/** Starts the fake edge process (every project id has an empty graph); resolves once it listens. */
export async function spawnFakeEdge(secret: string): Promise<FakeEdgeProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(import.meta.url).pathname, secret],
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("the fake edge exited before it listened");
    text += value;
  }
  void reader.read().then(function drain(r): unknown {
    return r.done ? undefined : reader.read().then(drain);
  });
  let stopped = false;
  return {
    url: text.trim(),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
      await child.status;
    },
  };
}

if (import.meta.main) {
  const secret = Deno.args[0];
  if (!secret) throw new Error("usage: fake_edge_process.ts <secret>");
  const edge = startFakeEdge(secret, () => emptyGraph(), { keepRevisions: false });
  console.log(edge.url);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => edge.stop().finally(() => Deno.exit(0)));
  }
}
