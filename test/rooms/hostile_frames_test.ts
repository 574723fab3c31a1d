/**
 * Frames too large or values nested too deep, against a real `partykit dev`: each gets an
 * answer (a `reject`, or a close with a reason code), and neither the socket's owner nor anyone
 * else in the room is left waiting.
 */
import assert from "node:assert/strict";
import {
  CLOSE_CODES,
  MAX_MESSAGE_CHARS,
  PROTOCOL_VERSION,
  type ServerMessage,
} from "../../protocol/canvas.ts";
import { signRoomTicket } from "../../protocol/room_ticket.ts";
import { startFakeEdge } from "./fake_edge_server.ts";
import { startPartyKit } from "./partykit_server.ts";
import { openClient, type TestClient } from "./ws_client.ts";

const SECRET = "integration-secret-0123456789abcdef";
const shot = (id: string, params = "{}") =>
  `{"id":"${id}","type":"shot.generate","title":"${id}","x":0,"y":0,"params":${params}}`;
/** `levels` nested arrays, as text: the frames are built, never a value that deep. */
const nested = (levels: number) => "[".repeat(levels) + "1" + "]".repeat(levels);

function reply(opId: string) {
  return (m: ServerMessage) => (m.type === "ack" || m.type === "reject") && m.opId === opId;
}

Deno.test("the room answers every frame too large or too deep, and keeps serving", async (t) => {
  const persistDir = await Deno.makeTempDir({ prefix: "rooms-hostile-" });
  // p2's revision was stored before params were bounded: one node is 40 levels deep.
  const legacy = {
    nodes: {
      ok: JSON.parse(shot("ok")),
      deep: JSON.parse(shot("deep", `{"d":${nested(40)}}`)),
    },
    edges: {},
  };
  const edge = startFakeEdge(SECRET, { p1: { nodes: {}, edges: {} }, p2: legacy });
  const server = await startPartyKit({
    vars: { ROOM_SECRET: SECRET, EDGE_URL: edge.url },
    persistDir,
  });
  const open: TestClient[] = [];
  const join = async (sub: string, project = "p1") => {
    const ticket = await signRoomTicket(
      { sub, project, role: "editor", name: sub, iat: Date.now(), exp: Date.now() + 60_000 },
      SECRET,
    );
    const client = await openClient(
      `${server.url.replace("http", "ws")}/parties/main/${project}?ticket=${ticket}`,
    );
    open.push(client);
    client.send({ type: "hello", protocol: PROTOCOL_VERSION });
    await client.waitFor((m) => m.type === "welcome");
    return client;
  };
  /** The room still answers `client`: a good edit is acked. */
  const stillServes = async (client: TestClient, opId: string) => {
    client.ws.send(`{"type":"node.create","opId":"${opId}","node":${shot(opId)}}`);
    const answer = await client.waitFor(reply(opId), 5000);
    assert.equal(answer.type, "ack", JSON.stringify(answer));
  };

  try {
    const watcher = await join("watcher");

    await t.step("params nested 1,000 and 10,000 deep are rejected naming the field", async () => {
      const ada = await join("ada");
      for (const levels of [33, 1000, 10_000]) {
        const opId = `deep${levels}`;
        ada.ws.send(
          `{"type":"node.create","opId":"${opId}","node":${shot(opId, `{"d":${nested(levels)}}`)}}`,
        );
        const answer = await ada.waitFor(reply(opId), 5000);
        assert.equal(answer.type, "reject", `${levels} deep: ${JSON.stringify(answer)}`);
        if (answer.type === "reject") {
          assert.deepEqual([answer.code, answer.field], ["invalid", "node.params"]);
          assert.match(answer.reason, /nested deeper than 32 levels/);
        }
      }
      await stillServes(ada, "after-deep");
      ada.ws.send(
        `{"type":"node.update","opId":"u1","id":"after-deep","set":{"params":{"d":${
          nested(5000)
        }}}}`,
      );
      const update = await ada.waitFor(reply("u1"), 5000);
      assert.deepEqual(
        update.type === "reject" ? [update.code, update.field] : update,
        ["invalid", "set.params"],
      );
      assert.ok(
        !watcher.messages.some((m) => m.type === "state.update" && m.opId.startsWith("deep")),
        "nothing deep reached anyone",
      );
    });

    await t.step("a frame over the room's limit is rejected and the socket goes on", async () => {
      const ada = await join("ada2");
      ada.ws.send(JSON.stringify({ type: "ping", pad: "x".repeat(MAX_MESSAGE_CHARS * 2) }));
      const answer = await ada.waitFor((m) => m.type === "reject", 5000);
      assert.equal(answer.type === "reject" && answer.code, "too_large");
      await stillServes(ada, "after-large");
    });

    for (const bytes of [1_100_000, 2_000_000]) {
      await t.step(`a ${bytes / 1e6} MB frame closes its socket at once`, async () => {
        const big = await join(`big${bytes}`);
        const started = Date.now();
        big.ws.send(
          `{"type":"node.create","opId":"b","node":${shot("b", `{"s":"${"x".repeat(bytes)}"}`)}}`,
        );
        const closed = await Promise.race([
          big.closed,
          new Promise<null>((r) => setTimeout(() => r(null), 5000)),
        ]);
        assert.ok(closed, "the socket is closed, not left hanging");
        // The runtime sends 1009 with its reason and drops the connection while the client is
        // still writing: the close frame can be lost to the TCP reset (1006 then).
        if (closed.code === CLOSE_CODES.messageTooLarge) assert.match(closed.reason, /too large/i);
        else assert.equal(closed.code, 1006, JSON.stringify(closed));
        assert.ok(Date.now() - started < 5000);
        // The others hear that it left, and the room goes on serving them and newcomers.
        await watcher.waitFor(
          (m) => m.type === "user.left" && m.userId === `big${bytes}`,
          5000,
        );
        await stillServes(watcher, `after-${bytes}`);
        await stillServes(await join(`new${bytes}`), `newcomer-${bytes}`);
      });
    }

    await t.step(
      "a revision stored before the bounds opens without the node that breaks them",
      async () => {
        const cy = await join("cy", "p2");
        const snapshot = await cy.waitFor((m) => m.type === "state.snapshot");
        assert.deepEqual(
          snapshot.type === "state.snapshot" && Object.keys(snapshot.graph.nodes),
          ["ok"],
        );
        await stillServes(cy, "p2-edit");
      },
    );
  } finally {
    await Promise.all(open.map((c) => c.close()));
    await server.stop();
    await edge.stop();
    await Deno.remove(persistDir, { recursive: true }).catch(() => {});
  }
});
