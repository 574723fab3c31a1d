/**
 * A serving thread after the first (see deno_serve.ts): started by edge/main.ts as a Worker,
 * told the port the primary thread opened, and answers once it listens there too.
 */
import { loadConfig } from "./config.ts";
import { serveEdge } from "./deno_serve.ts";

export interface ServeThreadStart {
  port: number;
}

self.onmessage = async (event: MessageEvent<ServeThreadStart>) => {
  await serveEdge(loadConfig(Deno.env.toObject()), { primary: false, port: event.data.port });
  self.postMessage("listening");
};
