/**
 * `deno task dev`: the whole studio on this machine with the embedded defaults. Builds the web
 * app, starts the room server (PartyKit dev, state under .partykit/) and the edge (libSQL file and
 * blobs under .data/), wires the shared secret between them, and prints the one URL to open.
 * Ctrl-C stops everything.
 */
import { startPartyKit } from "../test/rooms/partykit_server.ts";
import { devSecrets } from "./dev_secrets.ts";

const EDGE_PORT = Number(Deno.env.get("PORT") ?? 8787);
const ROOM_PORT = Number(Deno.env.get("ROOM_PORT") ?? 1999);
const root = new URL("../", import.meta.url).pathname;
Deno.chdir(root);

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
const rooms = await startPartyKit({
  port: ROOM_PORT,
  vars: { ROOM_SECRET: secrets.ROOM_SECRET, EDGE_URL: edgeUrl },
  persistDir: ".partykit",
  readyTimeoutMs: 120_000,
});

const edge = new Deno.Command(Deno.execPath(), {
  args: ["run", "-A", "edge/main.ts"],
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

// Wait until the edge answers, then say where to go.
for (let i = 0; i < 300; i++) {
  const ok = await fetch(`${edgeUrl}/readyz`).then((r) => r.ok, () => false);
  if (ok) break;
  await new Promise((r) => setTimeout(r, 100));
}
console.log(
  `\n  Movie Director is running: open ${edgeUrl}\n  (rooms on ${roomUrl}; data in .data/ and .partykit/; Ctrl-C stops)\n`,
);
const status = await edge.status;
if (!stopping) {
  console.error(`the edge stopped (exit ${status.code}); stopping the room server`);
  await stop(status.code || 1);
}
