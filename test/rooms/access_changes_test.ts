/**
 * Access changes reach the room at once: the real edge (a child process, two serving threads)
 * posts to a real `partykit dev`, and `ws` clients hold sockets open while an owner changes a
 * member's role or revokes a share link over HTTP. Both paths are checked: the socket that is
 * open, and a socket opened afterwards with a ticket issued before the change.
 */
import assert from "node:assert/strict";
import { CLOSE_CODES, PROTOCOL_VERSION, type ServerMessage } from "../../protocol/canvas.ts";
import { startEdgeWithRoom } from "./edge_with_room.ts";
import { openClient, type TestClient } from "./ws_client.ts";

function is<T extends ServerMessage["type"]>(
  type: T,
  extra: (m: Extract<ServerMessage, { type: T }>) => boolean = () => true,
) {
  return (m: ServerMessage): m is Extract<ServerMessage, { type: T }> =>
    m.type === type && extra(m as never);
}

const shot = (id: string) => ({
  id,
  type: "shot.generate",
  title: `Shot ${id}`,
  x: 0,
  y: 0,
  params: { prompt: "a door" },
});

Deno.test("role changes and link revocations reach open sockets and older tickets", async (t) => {
  const { edgeUrl, stop } = await startEdgeWithRoom("access-changes-", { EDGE_THREADS: "2" });
  const open: TestClient[] = [];
  const api = async (method: string, path: string, token: string | null, body?: unknown) => {
    const res = await fetch(`${edgeUrl}/api${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    // deno-lint-ignore no-explicit-any
    return { status: res.status, body: (text ? JSON.parse(text) : null) as any };
  };
  const signUp = async (name: string) => {
    const email = `${name.toLowerCase()}-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const res = await api("POST", "/auth/register", null, {
      email,
      password: "correct horse battery",
      name,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return { id: res.body.user.id as string, token: res.body.token as string, email };
  };
  /** `owner` invites `who` with `role`; `who` accepts: how anyone becomes a member. */
  const joinByInvitation = async (
    owner: { token: string },
    who: { token: string; email: string },
    projectId: string,
    role: string,
  ) => {
    const sent = await api("POST", `/projects/${projectId}/invites`, owner.token, {
      email: who.email,
      role,
    });
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const accepted = await api("POST", `/invites/${sent.body.invite.id}/accept`, who.token);
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
  };
  const ticketOf = async (token: string, projectId: string) => {
    const res = await api("GET", `/projects/${projectId}/ticket`, token);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as { ticket: string; roomUrl: string };
  };
  /** Opens a socket with a ticket and says hello; the welcome is the first message. */
  const join = async (grant: { ticket: string; roomUrl: string }) => {
    const client = await openClient(`${grant.roomUrl}?ticket=${encodeURIComponent(grant.ticket)}`);
    open.push(client);
    client.send({ type: "hello", protocol: PROTOCOL_VERSION });
    return client;
  };
  /** Sends an op and waits for its ack or reject. */
  const attempt = async (client: TestClient, op: Record<string, unknown>) => {
    const opId = crypto.randomUUID();
    client.send({ ...op, opId } as never);
    return await client.waitFor((m) =>
      (m.type === "ack" || m.type === "reject") && m.opId === opId
    );
  };

  /** The close code of a socket the room should close, failing after 10 s rather than hanging. */
  const closeCode = async (client: TestClient) => {
    let timer!: ReturnType<typeof setTimeout>;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("the room did not close the socket")), 10_000);
    });
    try {
      return (await Promise.race([client.closed, timeout])).code;
    } finally {
      clearTimeout(timer);
    }
  };

  try {
    const owner = await signUp("Owner");
    const cy = await signUp("Cy");
    const created = await api("POST", "/projects", owner.token, { name: "Access" });
    const projectId = created.body.project.id as string;
    await joinByInvitation(owner, cy, projectId, "editor");
    const ownerSocket = await join(await ticketOf(owner.token, projectId));
    await ownerSocket.waitFor(is("welcome"));

    let cySocket!: TestClient;
    let ticketBeforeDemotion!: { ticket: string; roomUrl: string };
    await t.step("a demoted editor's open socket can no longer edit", async () => {
      ticketBeforeDemotion = await ticketOf(cy.token, projectId);
      cySocket = await join(await ticketOf(cy.token, projectId));
      assert.equal((await cySocket.waitFor(is("welcome"))).you.role, "editor");
      assert.equal((await attempt(cySocket, { type: "node.create", node: shot("a") })).type, "ack");

      const demoted = await api("PATCH", `/projects/${projectId}/members/${cy.id}`, owner.token, {
        role: "reviewer",
      });
      assert.equal(demoted.status, 200);
      // Everyone in the room, Cy included, hears of the new role.
      for (const client of [cySocket, ownerSocket]) {
        const updated = await client.waitFor(
          is("user.updated", (m) => m.peer.userId === cy.id && m.peer.role === "reviewer"),
        );
        assert.equal(updated.peer.role, "reviewer");
      }
      const update = await attempt(cySocket, { type: "node.update", id: "a", set: { x: 5 } });
      assert.equal(update.type === "reject" && update.code, "forbidden");
      const create = await attempt(cySocket, { type: "node.create", node: shot("b") });
      assert.equal(create.type === "reject" && create.code, "forbidden");
    });

    await t.step("a ticket issued before the demotion joins as reviewer", async () => {
      const late = await join(ticketBeforeDemotion);
      assert.equal((await late.waitFor(is("welcome"))).you.role, "reviewer");
      const create = await attempt(late, { type: "node.create", node: shot("c") });
      assert.equal(create.type === "reject" && create.code, "forbidden");
      await late.close();
    });

    await t.step("a promotion reaches the open socket", async () => {
      const promoted = await api("PATCH", `/projects/${projectId}/members/${cy.id}`, owner.token, {
        role: "editor",
      });
      assert.equal(promoted.status, 200);
      await cySocket.waitFor(
        is("user.updated", (m) => m.peer.userId === cy.id && m.peer.role === "editor"),
      );
      assert.equal(
        (await attempt(cySocket, { type: "node.update", id: "a", set: { x: 9 } })).type,
        "ack",
      );
      // A ticket issued now carries the new role.
      const fresh = await join(await ticketOf(cy.token, projectId));
      assert.equal((await fresh.waitFor(is("welcome"))).you.role, "editor");
      await fresh.close();
    });

    await t.step("a removed member's socket is closed and older tickets refused", async () => {
      const ticketBeforeRemoval = await ticketOf(cy.token, projectId);
      const removed = await api("DELETE", `/projects/${projectId}/members/${cy.id}`, owner.token);
      assert.equal(removed.status, 204);
      assert.equal(await closeCode(cySocket), CLOSE_CODES.removed);
      const late = await join(ticketBeforeRemoval);
      assert.equal(await closeCode(late), CLOSE_CODES.removed);

      // Invited again as a reviewer: once Cy accepts, the room lets Cy in with that role, and a
      // ticket from before the removal carries no more than it.
      await joinByInvitation(owner, cy, projectId, "reviewer");
      const back = await join(await ticketOf(cy.token, projectId));
      assert.equal((await back.waitFor(is("welcome"))).you.role, "reviewer");
      const old = await join(ticketBeforeRemoval);
      assert.equal((await old.waitFor(is("welcome"))).you.role, "reviewer");
      await back.close();
      await old.close();
    });

    await t.step("a revoked share link closes its guests' sockets at once", async () => {
      const link = await api("POST", `/projects/${projectId}/share-links`, owner.token, {});
      assert.equal(link.status, 201);
      const accepted = await api("POST", `/share/${link.body.token}/accept`, null, {
        name: "Guest",
      });
      assert.equal(accepted.status, 200);
      const guestToken = accepted.body.token as string;
      const guestTicket = await ticketOf(guestToken, projectId);
      const guest = await join(await ticketOf(guestToken, projectId));
      assert.equal((await guest.waitFor(is("welcome"))).you.role, "reviewer");
      const before = await attempt(ownerSocket, {
        type: "node.update",
        id: "a",
        set: { title: "Seen" },
      });
      assert.equal(before.type, "ack");
      await guest.waitFor(is("state.update", (m) => m.seq === (before as { seq: number }).seq));

      const revoked = await api(
        "DELETE",
        `/projects/${projectId}/share-links/${link.body.shareLink.id}`,
        owner.token,
      );
      assert.equal(revoked.status, 204);
      assert.equal(await closeCode(guest), CLOSE_CODES.removed);
      assert.equal((await api("GET", `/projects/${projectId}`, guestToken)).status, 401);
      // The ticket the guest fetched before the revocation is still unexpired: it is refused.
      const late = await join(guestTicket);
      assert.equal(await closeCode(late), CLOSE_CODES.removed);
      assert.ok(!late.messages.some((m) => m.type === "welcome"));
    });
  } finally {
    await Promise.all(open.map((c) => c.close()));
    await stop();
  }
});
