/**
 * `deno task dev`: the whole studio on this machine with the embedded defaults. Builds the web
 * app, starts the room server (PartyKit dev, state under .partykit/) and the edge (libSQL file and
 * blobs under .data/), wires the shared secret between them, and prints the one URL to open.
 * Ctrl-C stops everything.
 */
import { ensurePortFree, PortInUse } from "../edge/lib/port_check.ts";
import { startPartyKit } from "../test/rooms/partykit_server.ts";
import { waitUntilHealthy } from "./dev_ready.ts";
import { devSecrets } from "./dev_secrets.ts";

const EDGE_PORT = Number(Deno.env.get("PORT") ?? 8787);
const ROOM_PORT = Number(Deno.env.get("ROOM_PORT") ?? 1999);
const root = new URL("../", import.meta.url).pathname;
Deno.chdir(root);

// Another studio (or anything) on our ports would answer in our place: refuse to start.
try {
  ensurePortFree("127.0.0.1", EDGE_PORT, "PORT");
  ensurePortFree("127.0.0.1", ROOM_PORT, "ROOM_PORT");
} catch (error) {
  if (!(error instanceof PortInUse)) throw error;
  console.error(`error: ${error.message} (e.g. PORT=8788 ROOM_PORT=2000 deno task dev)`);
  Deno.exit(1);
}

const secrets = await devSecrets(".data/dev-secrets.json");
const edgeUrl = `http://127.0.0.1:${EDGE_PORT}`;
const roomUrl = `http://127.0.0.1:${ROOM_PORT}`;

console.log("building the web app…");
const build = await new Deno.Command(Deno.execPath(), {
  args: ["run", "-A", "web/build.ts"],
  stdout: "inherit",
  stderr: "inherit",
}).output();
if (!build.success) Deno.exit(build.code);

console.log("starting the room server…");
// Known gap: partykit dev 0.0.115 binds workerd to 0.0.0.0 with no flag to change it (its dev
// command passes `host: "0.0.0.0"` itself). Other machines that reach this one can open a socket,
// but every room socket needs a ticket signed with ROOM_SECRET and every room HTTP call the
// secret itself, so nothing is served to them.
const rooms = await startPartyKit({
  port: ROOM_PORT,
  vars: { ROOM_SECRET: secrets.ROOM_SECRET, EDGE_URL: edgeUrl },
  persistDir: ".partykit",
  readyTimeoutMs: 120_000,
});

const edge = new Deno.Command(Deno.execPath(), {
  args: ["run", "-A", "edge/start.ts"],
  env: {
    PORT: String(EDGE_PORT),
    PUBLIC_URL: edgeUrl,
    ROOM_URL: roomUrl,
    ...secrets,
    ...Deno.env.toObject(),
  },
  stdout: "inherit",
  stderr: "inherit",
}).spawn();

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  try {
    edge.kill("SIGTERM");
  } catch { /* already gone */ }
  await Promise.allSettled([edge.status, rooms.stop()]);
  Deno.exit(code);
}
Deno.addSignalListener("SIGINT", () => stop(0));
Deno.addSignalListener("SIGTERM", () => stop(0));

// Say where to go only once both servers answer.
try {
  await waitUntilHealthy([
    { name: "the edge", url: `${edgeUrl}/readyz`, setting: "PORT" },
    { name: "the room server", url: `${roomUrl}/__ready`, setting: "ROOM_PORT", expect: "any" },
  ], 30_000);
} catch (error) {
  console.error(`error: ${(error as Error).message}; stopping`);
  await stop(1);
}
console.log(
  `\n  Movie Director is running: open ${edgeUrl}\n  (rooms on ${roomUrl}; data in .data/ and .partykit/; Ctrl-C stops)\n`,
);
const status = await edge.status;
if (!stopping) {
  console.error(`the edge stopped (exit ${status.code}); stopping the room server`);
  await stop(status.code || 1);
}
