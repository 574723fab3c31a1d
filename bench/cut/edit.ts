/**
 * `cut.edit_p99_ms`: how long a trim of one clip takes to reach everyone in a room of 50 clients,
 * through the real room server (`partykit dev`, party/main.ts) and real WebSockets. One editor
 * holds a 20-clip cut made from 20 shots; it sends one trim every 40 ms (alternating a clip's
 * `out` by a frame, so each is a real change), 30 warm-up trims, then 500 timed ones. For each
 * trim: the time from sending it to the editor's ack (`cut.edit_ack_p99_ms`) and to the last of
 * the 49 others seeing it (`cut.edit_p99_ms`: the room's latency as the team sees it). Goal: p99
 * < 50 ms. Interleaved with the trims, the same editor moves a node (`node.update`): the graph op
 * the room handled before cuts, as the baseline in the same spell (`cut.node_move_p99_ms`). The
 * clients are in this process; the room server and the fake edge in their own.
 *
 * Run alone with `deno run -A bench/cut/edit.ts` (merges its figures into
 * bench/results/cut.json); `deno task bench cut` calls `editFigures()` with the others.
 */
import { type ServerMessage } from "../../protocol/canvas.ts";
import { PROTOCOL_VERSION } from "../../protocol/canvas.ts";
import { DEFAULT_CUT_FORMAT } from "../../protocol/cut.ts";
import { signRoomTicket } from "../../protocol/room_ticket.ts";
import { freePort, startPartyKit } from "../../test/rooms/partykit_server.ts";
import { mergeResults } from "../lib/results.ts";
import { summarize } from "../lib/stats.ts";
import { spawnFakeEdge } from "../rooms/fake_edge_process.ts";

const CLIENTS = 50;
const SHOTS = 20;
const WARMUP = 30;
const TRIMS = 500;
const GAP_MS = 20;
const SECRET = "bench-cut-secret-0123456789abcdef";

interface Client {
  ws: WebSocket;
  /** Resolves each awaited op id (ack or update) with the time it arrived. */
  waiting: Map<string, (at: number) => void>;
}

async function connect(host: string, project: string, index: number): Promise<Client> {
  const now = Date.now();
  const ticket = await signRoomTicket({
    sub: `u${index}`,
    project,
    role: "editor",
    name: `u${index}`,
    iat: now,
    exp: now + 3_600_000,
  }, SECRET);
  const ws = new WebSocket(
    `ws://${host}/parties/main/${project}?ticket=${encodeURIComponent(ticket)}`,
  );
  const client: Client = { ws, waiting: new Map() };
  const welcomed = new Promise<void>((resolve, reject) => {
    ws.onerror = () => reject(new Error(`client ${index} could not connect`));
    ws.onmessage = (e) => {
      const at = performance.now();
      const m = JSON.parse(e.data) as ServerMessage;
      if (m.type === "welcome") resolve();
      const opId = m.type === "ack" || m.type === "state.update"
        ? m.opId
        : m.type === "reject"
        ? m.opId
        : null;
      if (m.type === "reject") throw new Error(`refused: ${m.reason}`);
      if (opId) client.waiting.get(opId)?.(at);
    };
  });
  await new Promise<void>((resolve) => ws.onopen = () => resolve());
  ws.send(JSON.stringify({ type: "hello", protocol: PROTOCOL_VERSION }));
  await welcomed;
  return client;
}

/** Sends an op from `from` and resolves when `from` has its ack and every other client its update. */
function send(from: Client, others: Client[], op: Record<string, unknown>, opId: string) {
  const arrived = (c: Client) =>
    new Promise<number>((resolve) =>
      c.waiting.set(opId, (at) => (c.waiting.delete(opId), resolve(at)))
    );
  const ack = arrived(from);
  const seen = Promise.all(others.map(arrived));
  const sent = performance.now();
  from.ws.send(JSON.stringify({ ...op, opId }));
  return Promise.all([ack, seen]).then(([ackAt, seenAt]) => ({
    ack: ackAt - sent,
    all: Math.max(...seenAt) - sent,
  }));
}

export async function editFigures(): Promise<Record<string, number>> {
  const edge = await spawnFakeEdge(SECRET);
  const persistDir = await Deno.makeTempDir({ prefix: "bench-cut-edit-" });
  const room = await startPartyKit({
    port: freePort(),
    vars: { ROOM_SECRET: SECRET, EDGE_URL: edge.url },
    persistDir,
  });
  const clients: Client[] = [];
  try {
    const host = new URL(room.url).host;
    const project = `cut-${crypto.randomUUID().slice(0, 8)}`;
    for (let i = 0; i < CLIENTS; i++) clients.push(await connect(host, project, i));
    const [editor, ...others] = clients as [Client, ...Client[]];
    for (let k = 0; k < SHOTS; k++) {
      const shot = `SHOT-${String((k + 1) * 10).padStart(3, "0")}`;
      await send(editor, others, {
        type: "node.create",
        node: {
          id: `s${k}`,
          type: "shot.generate",
          title: shot,
          x: k * 300,
          y: 0,
          params: { prompt: "a door", shot, frames: 60, fps: 24 },
        },
      }, `n${k}`);
    }
    await send(editor, others, {
      type: "cut.create",
      cut: { id: "main", name: "Main", format: DEFAULT_CUT_FORMAT },
      fromGraph: true,
    }, "cut");
    const ack: number[] = [];
    const all: number[] = [];
    const moves: number[] = [];
    for (let i = 0; i < WARMUP + TRIMS; i++) {
      const clipId = `v${(i % SHOTS) + 1}`;
      const out = 60 - (Math.floor(i / SHOTS) % 2);
      const took = await send(editor, others, {
        type: "cut.clip.update",
        cutId: "main",
        clipId,
        set: { out },
      }, `t${i}`);
      await new Promise((resolve) => setTimeout(resolve, GAP_MS));
      const moved = await send(editor, others, {
        type: "node.update",
        id: `s${i % SHOTS}`,
        set: { x: i },
      }, `m${i}`);
      if (i >= WARMUP) {
        ack.push(took.ack);
        all.push(took.all);
        moves.push(moved.all);
      }
      await new Promise((resolve) => setTimeout(resolve, GAP_MS));
    }
    const everyone = summarize(all);
    const sender = summarize(ack);
    const baseline = summarize(moves);
    console.log(
      `trim of a 20-clip cut, ${CLIENTS} clients: seen by all p50 ${everyone.p50} ms, ` +
        `p99 ${everyone.p99} ms, max ${everyone.max} ms; acked p50 ${sender.p50} ms, ` +
        `p99 ${sender.p99} ms; a node move, interleaved: seen by all p50 ${baseline.p50} ms, ` +
        `p99 ${baseline.p99} ms`,
    );
    return {
      "cut.edit_p99_ms": everyone.p99,
      "cut.edit_p50_ms": everyone.p50,
      "cut.edit_ack_p99_ms": sender.p99,
      "cut.node_move_p99_ms": baseline.p99,
    };
  } finally {
    for (const c of clients) c.ws.close();
    await room.stop();
    await edge.stop();
    await Deno.remove(persistDir, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) {
  console.log(`wrote ${await mergeResults("cut", await editFigures())}`);
}
