/**
 * The room end to end: a real `partykit dev` on loopback, `ws` clients, and a fake edge for the
 * internal API. One server is shared by the steps below to keep the run short.
 */
import assert from "node:assert/strict";
import {
  CLOSE_CODES,
  MAX_SOCKETS_PER_USER,
  PROTOCOL_VERSION,
  type ServerMessage,
} from "../../protocol/canvas.ts";
import { type Role, signRoomTicket } from "../../protocol/room_ticket.ts";
import { startFakeEdge } from "./fake_edge_server.ts";
import { type PartyKitServer, startPartyKit } from "./partykit_server.ts";
import { openClient, type TestClient } from "./ws_client.ts";

const SECRET = "integration-secret-0123456789abcdef";
const seeded = {
  nodes: { seed: { id: "seed", type: "shot.generate", title: "Seed", x: 0, y: 0, params: {} } },
  edges: {},
};

function is<T extends ServerMessage["type"]>(
  type: T,
  extra: (m: Extract<ServerMessage, { type: T }>) => boolean = () => true,
) {
  return (m: ServerMessage): m is Extract<ServerMessage, { type: T }> =>
    m.type === type && extra(m as never);
}

Deno.test("canvas rooms on a real partykit dev server", async (t) => {
  const persistDir = await Deno.makeTempDir({ prefix: "rooms-test-" });
  const edge = startFakeEdge(SECRET, { p1: seeded, p2: seeded });
  const vars = { ROOM_SECRET: SECRET, EDGE_URL: edge.url };
  let server: PartyKitServer = await startPartyKit({ vars, persistDir });
  const open: TestClient[] = [];
  const ticket = (
    sub: string,
    role: Role = "editor",
    project = "p1",
    exp = Date.now() + 60_000,
    secret = SECRET,
  ) => signRoomTicket({ sub, project, role, name: sub, iat: Date.now(), exp }, secret);
  const roomUrl = (project: string, t: string) =>
    `${server.url.replace("http", "ws")}/parties/main/${project}?ticket=${encodeURIComponent(t)}`;
  const join = async (sub: string, role: Role = "editor", hello: object = {}) => {
    const client = await openClient(roomUrl("p1", await ticket(sub, role)));
    open.push(client);
    client.send({ type: "hello", protocol: PROTOCOL_VERSION, ...hello });
    await client.waitFor(is("welcome"));
    return client;
  };
  const post = (body: unknown, secret = SECRET) =>
    fetch(`${server.url}/parties/main/p1`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}` },
      body: JSON.stringify(body),
    });

  try {
    await t.step(
      "bad, expired and other-project tickets are refused before the socket opens",
      async () => {
        await assert.rejects(
          openClient(
            roomUrl(
              "p1",
              await ticket("ada", "editor", "p1", Date.now() + 60_000, "wrong-secret-wrong-secret"),
            ),
          ),
          /refused: 401/,
        );
        await assert.rejects(
          openClient(roomUrl("p1", await ticket("ada", "editor", "p1", Date.now() - 1))),
          /refused: 401/,
        );
        await assert.rejects(
          openClient(roomUrl("p1", await ticket("ada", "editor", "p2"))),
          /refused: 403/,
        );
        await assert.rejects(
          openClient(`${server.url.replace("http", "ws")}/parties/main/p1`),
          /refused: 401/,
        );
      },
    );

    let ada!: TestClient, bob!: TestClient, rev!: TestClient;
    await t.step("a good ticket gets the project's graph from the edge", async () => {
      ada = await join("ada");
      const snapshot = await ada.waitFor(is("state.snapshot"));
      assert.deepEqual(snapshot.graph, seeded);
    });

    await t.step("an edit reaches the other clients", async () => {
      bob = await join("bob");
      rev = await join("rev", "reviewer");
      ada.send({ type: "node.update", opId: "a1", id: "seed", set: { title: "Opening" } });
      const ack = await ada.waitFor(is("ack", (m) => m.opId === "a1"));
      for (const c of [bob, rev]) {
        const update = await c.waitFor(is("state.update", (m) => m.opId === "a1"));
        assert.deepEqual([update.seq, update.by, update.op], [ack.seq, "ada", {
          type: "node.update",
          id: "seed",
          set: { title: "Opening" },
        }]);
      }
    });

    await t.step("a reviewer cannot change the graph", async () => {
      rev.send({ type: "node.delete", opId: "r1", id: "seed" });
      const reject = await rev.waitFor(is("reject", (m) => m.opId === "r1"));
      assert.equal(reject.code, "forbidden");
      ada.send({ type: "ping", t: 1 });
      await ada.waitFor(is("pong"));
      assert.ok(!ada.messages.some((m) => m.type === "state.update" && m.opId === "r1"));
    });

    await t.step("a reconnecting client receives the operations it missed", async () => {
      const welcome = bob.messages.find(is("welcome"))!;
      const lastSeq = Math.max(...bob.messages.filter(is("state.update")).map((m) => m.seq));
      await bob.close();
      for (const [opId, x] of [["a2", 10], ["a3", 20]] as const) {
        ada.send({ type: "node.update", opId, id: "seed", set: { x } });
        await ada.waitFor(is("ack", (m) => m.opId === opId));
      }
      bob = await join("bob", "editor", { epoch: welcome.epoch, lastSeq });
      await bob.waitFor(is("state.update", (m) => m.opId === "a3"));
      assert.deepEqual(
        bob.messages.filter((m) => m.type !== "user.joined").map((m) =>
          m.type === "state.update" ? m.opId : m.type
        ),
        ["welcome", "a2", "a3"],
      );
    });

    await t.step("progress posted by the edge reaches every client", async () => {
      assert.equal(
        (await post({
          type: "progress.update",
          nodeId: "seed",
          taskId: "t1",
          percent: 50,
          message: "x",
        }, "nope")).status,
        401,
      );
      const bad = await post({ type: "progress.update", nodeId: "seed", percent: 500 });
      assert.equal(bad.status, 400);
      assert.match(await bad.text(), /taskId|percent/);
      const event = {
        type: "progress.update",
        nodeId: "seed",
        taskId: "t1",
        percent: 50,
        message: "sampling",
        eta: 12,
      };
      const ok = await post(event);
      assert.equal(ok.status, 200);
      await ok.body?.cancel();
      for (const c of [ada, bob, rev]) {
        assert.deepEqual(await c.waitFor(is("progress.update")), event);
      }
      const done = {
        type: "generation.complete",
        nodeId: "seed",
        taskId: "t1",
        take: { id: "take-1", url: "/x" },
      };
      // Members get `take.url`; the guests' URL (none here) is for share-link guests only.
      await (await post({ ...done, guestUrl: "/x?short" })).body?.cancel();
      for (const c of [ada, bob, rev]) {
        assert.deepEqual(await c.waitFor(is("generation.complete")), done);
      }
    });

    await t.step("a removed member is disconnected", async () => {
      await (await post({ type: "access.changed", subject: "rev", role: null, at: Date.now() }))
        .body?.cancel();
      assert.equal((await rev.closed).code, CLOSE_CODES.removed);
    });

    await t.step("one person's sockets in a room are bounded", async () => {
      const grant = await ticket("many");
      const first: TestClient[] = [];
      for (let i = 0; i < MAX_SOCKETS_PER_USER; i++) {
        const client = await openClient(roomUrl("p1", grant));
        open.push(client);
        first.push(client);
        client.send({ type: "hello", protocol: PROTOCOL_VERSION });
        await client.waitFor(is("welcome"));
      }
      const extra = await openClient(roomUrl("p1", grant));
      open.push(extra);
      const closed = await Promise.race([
        extra.closed,
        new Promise<null>((r) => setTimeout(() => r(null), 10_000)),
      ]);
      assert.equal(closed?.code, CLOSE_CODES.tooManyConnections);
      assert.ok(!extra.messages.some((m) => m.type === "welcome"));
      // The first ones are still served, and a freed place can be taken again.
      const gone = first[0]!.messages.find(is("welcome"))!.you.connectionId;
      await first[0]!.close();
      await first[1]!.waitFor(is("user.left", (m) => m.connectionId === gone));
      const again = await join("many");
      again.send({ type: "ping", t: 2 });
      await again.waitFor(is("pong"));
      await Promise.all([again, ...first].map((c) => c.close()));
    });

    await t.step("changes are flushed to the edge when the last user leaves", async () => {
      await Promise.all(open.map((c) => c.close()));
      for (let i = 0; i < 100 && edge.revisions.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const last = edge.revisions.at(-1);
      assert.equal(last?.projectId, "p1");
      assert.equal(last?.body.graph.nodes.seed?.x, 20);
      assert.deepEqual(last?.body.authorIds, ["ada"]);
    });

    await t.step("a restarted room server keeps every accepted change", async () => {
      await server.stop();
      server = await startPartyKit({ vars, persistDir });
      const loadsBefore = edge.loads.length;
      const cy = await join("cy");
      const snapshot = await cy.waitFor(is("state.snapshot"));
      assert.deepEqual(snapshot.graph.nodes.seed, {
        id: "seed",
        type: "shot.generate",
        title: "Opening",
        x: 20,
        y: 0,
        params: {},
      });
      assert.equal(edge.loads.length, loadsBefore); // from its own storage, not the edge
      await cy.close();
    });
  } finally {
    await Promise.all(open.map((c) => c.close()));
    await server.stop();
    await edge.stop();
    await Deno.remove(persistDir, { recursive: true });
  }
});
