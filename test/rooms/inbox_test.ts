/**
 * A person's inbox on a real `partykit dev` with the real edge: an invitation, a role change and
 * a removal made over HTTP reach the person's open inbox sockets at once; only the person's own
 * inbox ticket opens it, and only the edge (with the room secret) can post to it.
 */
import assert from "node:assert/strict";
import { startEdgeWithRoom } from "./edge_with_room.ts";
import { openClient, type TestClient } from "./ws_client.ts";

Deno.test("invitations and membership changes reach the person's open inbox, and only theirs", async (t) => {
  const { edgeUrl, roomUrl, secret, stop } = await startEdgeWithRoom("inbox-");
  const open: TestClient[] = [];
  // deno-lint-ignore no-explicit-any
  const api = async (method: string, path: string, token: string, body?: unknown): Promise<any> => {
    const res = await fetch(`${edgeUrl}/api${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  const signUp = async (name: string) => {
    const email = `${name.toLowerCase()}-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const res = await api("POST", "/auth/register", "", {
      email,
      password: "correct horse battery",
      name,
    });
    return { id: res.user.id as string, token: res.token as string, email };
  };
  const inbox = async (token: string) => {
    const grant = await api("GET", "/inbox/ticket", token);
    const client = await openClient(`${grant.url}?ticket=${encodeURIComponent(grant.ticket)}`);
    open.push(client);
    return { client, grant: grant as { url: string; ticket: string } };
  };
  const heard = (client: TestClient, what: string, count: number) =>
    client.waitFor(() =>
      client.messages.filter((m) =>
        (m as unknown as { type: string; what: string }).type === "inbox.changed" &&
        (m as unknown as { what: string }).what === what
      ).length >= count
    );

  try {
    const ada = await signUp("Ada");
    const ben = await signUp("Ben");
    const { project } = await api("POST", "/projects", ada.token, { name: "Film" });
    const bens = await inbox(ben.token);
    const bensSecondTab = await inbox(ben.token);
    const adas = await inbox(ada.token);

    await t.step("an invitation reaches every open tab of the invited person", async () => {
      const { invite } = await api("POST", `/projects/${project.id}/invites`, ada.token, {
        email: ben.email,
        role: "editor",
      });
      await heard(bens.client, "invites", 1);
      await heard(bensSecondTab.client, "invites", 1);
      await api("POST", `/invites/${invite.id}/accept`, ben.token);
      await heard(bens.client, "projects", 1);
      await api("PATCH", `/projects/${project.id}/members/${ben.id}`, ada.token, {
        role: "reviewer",
      });
      await heard(bens.client, "projects", 2);
      await api("DELETE", `/projects/${project.id}/members/${ben.id}`, ada.token);
      await heard(bens.client, "projects", 3);
      assert.deepEqual(adas.client.messages, [], "nothing of Ben's reaches Ada");
    });

    await t.step("only one's own inbox ticket opens an inbox", async () => {
      await assert.rejects(openClient(`${roomUrl.replace("http", "ws")}/parties/inbox/${ben.id}`), {
        message: "refused: 401",
      });
      const adasTicket = encodeURIComponent(adas.grant.ticket);
      await assert.rejects(
        openClient(`${roomUrl.replace("http", "ws")}/parties/inbox/${ben.id}?ticket=${adasTicket}`),
        { message: "refused: 403" },
      );
      const roomTicket = await api("GET", `/projects/${project.id}/ticket`, ada.token);
      await assert.rejects(
        openClient(
          `${roomUrl.replace("http", "ws")}/parties/inbox/${ada.id}?ticket=${
            encodeURIComponent(roomTicket.ticket)
          }`,
        ),
        { message: "refused: 401" },
      );
    });

    await t.step("only the edge posts to an inbox", async () => {
      const forged = await fetch(`${roomUrl}/parties/inbox/${ben.id}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ type: "inbox.changed", what: "invites" }),
      });
      assert.equal(forged.status, 401);
      await forged.body?.cancel();
      const odd = await fetch(`${roomUrl}/parties/inbox/${ben.id}`, {
        method: "POST",
        headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
        body: JSON.stringify({ type: "inbox.changed", what: "everything", data: "x" }),
      });
      assert.equal(odd.status, 400);
      await odd.body?.cancel();
      assert.equal(bens.client.messages.length, 4, "neither reached Ben");
    });
  } finally {
    await Promise.all(open.map((c) => c.close()));
    await stop();
  }
});
