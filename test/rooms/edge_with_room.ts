/**
 * The real edge (a child process) wired to a real `partykit dev` through a fresh shared secret,
 * each on a free loopback port, with their database, blobs and room storage in one temp folder:
 * the set-up of every test that drives rooms through the edge's HTTP API.
 *
 * @example
 * ```ts
 * const rig = await startEdgeWithRoom("inbox-");
 * try { await fetch(`${rig.edgeUrl}/healthz`); } finally { await rig.stop(); }
 * ```
 */
import { type EdgeProcess, startEdge } from "../edge/edge_process.ts";
import { freePort, type PartyKitServer, startPartyKit } from "./partykit_server.ts";

export interface EdgeWithRoom {
  edgeUrl: string;
  /** The room server's http origin. */
  roomUrl: string;
  secret: string;
  edge: EdgeProcess;
  room: PartyKitServer;
  /** Stops both and removes the temp folder. */
  stop(): Promise<void>;
}

/** `edgeEnv` adds to (or overrides) the edge's settings, e.g. `EDGE_THREADS`. */
export async function startEdgeWithRoom(
  prefix: string,
  edgeEnv: Record<string, string> = {},
): Promise<EdgeWithRoom> {
  const dir = await Deno.makeTempDir({ prefix });
  const secret = crypto.randomUUID() + crypto.randomUUID();
  const edgeUrl = `http://127.0.0.1:${freePort()}`;
  const removeDir = () => Deno.remove(dir, { recursive: true }).catch(() => {});
  const room = await startPartyKit({
    port: freePort(),
    vars: { ROOM_SECRET: secret, EDGE_URL: edgeUrl },
    persistDir: `${dir}/rooms`,
  }).catch(async (error) => {
    await removeDir();
    throw error;
  });
  const edge = await startEdge({
    PORT: new URL(edgeUrl).port,
    PUBLIC_URL: edgeUrl,
    DATABASE_URL: `file:${dir}/app.db`,
    ROOM_URL: room.url,
    ROOM_SECRET: secret,
    BLOB_DIR: `${dir}/blobs`,
    WEB_DIST: dir,
    ...edgeEnv,
  }).catch(async (error) => {
    await room.stop();
    await removeDir();
    throw error;
  });
  return {
    edgeUrl,
    roomUrl: room.url,
    secret,
    edge,
    room,
    async stop() {
      await edge.stop();
      await room.stop();
      await removeDir();
    },
  };
}
