/**
 * Deno entry: opens the database (migrating it) and serves the API and the built web app on
 * 127.0.0.1:PORT from EDGE_THREADS threads (deno_serve.ts). `deno run -A edge/main.ts`;
 * settings come from the environment (see edge/config.ts).
 */
import { loadConfig } from "./config.ts";
import { serveEdge } from "./deno_serve.ts";
import { PortInUse } from "./lib/port_check.ts";
import type { ServeThreadStart } from "./serve_thread.ts";

const config = loadConfig(Deno.env.toObject());
const { port } = await serveEdge(config, { primary: true, port: config.PORT }).catch((error) => {
  if (!(error instanceof PortInUse)) throw error;
  console.error(`error: ${error.message}`);
  Deno.exit(1);
});
const others = Array.from({ length: config.EDGE_THREADS - 1 }, (_, i) => startThread(i + 1));
await Promise.all(others);
console.log(`Movie Director edge on http://127.0.0.1:${port}`);

/** Resolves once the thread listens, or once it has failed (the others serve without it). */
function startThread(n: number): Promise<void> {
  const thread = new Worker(new URL("./serve_thread.ts", import.meta.url), { type: "module" });
  return new Promise((resolve) => {
    thread.onmessage = () => resolve();
    thread.onerror = (event) => {
      event.preventDefault();
      console.error(`edge serving thread ${n} stopped: ${event.message}`);
      resolve();
    };
    thread.postMessage({ port } satisfies ServeThreadStart);
  });
}
