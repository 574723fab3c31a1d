/**
 * Generate and revert act on the graph the room holds now, not on the revision it last
 * flushed: a real `partykit dev`, the real edge (edge/main.ts) and `ws` clients that do what the
 * studio does (send an edit, wait for its ack, then call the edge at once: well inside the
 * room's one-second flush delay).
 */
import assert from "node:assert/strict";
import { PROTOCOL_VERSION, type ServerMessage } from "../../protocol/canvas.ts";
import type { Graph } from "../../protocol/graph.ts";
import { until } from "../until.ts";
import { startEdgeWithRoom } from "./edge_with_room.ts";
import { openClient, type TestClient } from "./ws_client.ts";

const image = (id: string, params: Record<string, unknown> = {}) => ({
  id,
  type: "image.generate",
  title: id,
  x: 0,
  y: 0,
  params,
});

Deno.test("generate and revert see the room's live graph", async (t) => {
  const { edgeUrl, edge, room, stop } = await startEdgeWithRoom("md-live-graph-");
  const clients: TestClient[] = [];
  // deno-lint-ignore no-explicit-any
  const api = async (method: string, path: string, token: string, body?: unknown): Promise<any> => {
    const res = await fetch(`${edgeUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return JSON.parse(text);
  };
  const signUp = async (name: string) => {
    const email = `${name.toLowerCase()}-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const res = await fetch(`${edgeUrl}/api/auth/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password: "correct horse battery", name }),
    });
    const body = await res.json() as { user: { id: string }; token: string };
    return { id: body.user.id, token: body.token, email };
  };
  let ops = 0;
  /** Sends one edit and waits for the room's ack, as the studio does before Generate. */
  const edit = async (client: TestClient, op: Record<string, unknown>) => {
    const opId = `op-${++ops}`;
    client.send({ ...op, opId } as never);
    const answer = await client.waitFor((m) =>
      (m.type === "ack" || m.type === "reject") && m.opId === opId
    );
    assert.equal(answer.type, "ack", JSON.stringify(answer));
    return (answer as Extract<ServerMessage, { type: "ack" }>).seq;
  };

  try {
    const ada = await signUp("Ada");
    const bob = await signUp("Bob");
    const { project } = await api("POST", "/api/projects", ada.token, { name: "Film" });
    const projectId: string = project.id;
    const invited = await api("POST", `/api/projects/${projectId}/invites`, ada.token, {
      email: bob.email,
      role: "editor",
    });
    await api("POST", `/api/invites/${invited.invite.id}/accept`, bob.token);
    const join = async (user: { token: string }) => {
      const grant = await api("GET", `/api/projects/${projectId}/ticket`, user.token);
      const client = await openClient(
        `${grant.roomUrl}?ticket=${encodeURIComponent(grant.ticket)}`,
      );
      clients.push(client);
      client.send({ type: "hello", protocol: PROTOCOL_VERSION });
      await client.waitFor((m) => m.type === "welcome");
      return client;
    };
    const a = await join(ada);
    const b = await join(bob);
    const generate = (user: { token: string }, nodeId: string) =>
      api("POST", `/api/projects/${projectId}/nodes/${nodeId}/generate`, user.token, {
        type: "image.generate",
      });
    const revision = async (n: number): Promise<Graph> =>
      (await api("GET", `/api/projects/${projectId}/revisions/${n}`, ada.token)).graph;

    await t.step(
      "a node created and given a prompt just before Generate runs as the room holds it",
      async () => {
        await edit(a, { type: "node.create", node: image("still") });
        await edit(a, {
          type: "node.update",
          id: "still",
          set: { params: { prompt: "a lighthouse" } },
        });
        const { job } = await generate(ada, "still");
        assert.equal(job.params.prompt, "a lighthouse");
        assert.equal(typeof job.graphRevision, "number");
        const stored = await revision(job.graphRevision);
        assert.equal(
          stored.nodes.still?.params.prompt,
          "a lighthouse",
          "the job's revision has it",
        );
      },
    );

    await t.step(
      "two editors change the prompt just before Generate: the job has the room's order",
      async () => {
        const first = await edit(a, {
          type: "node.update",
          id: "still",
          set: { params: { prompt: "ada's" } },
        });
        const second = await edit(b, {
          type: "node.update",
          id: "still",
          set: { params: { prompt: "bob's" } },
        });
        assert.ok(second > first, "the room ordered Bob's edit after Ada's");
        const { job } = await generate(ada, "still");
        assert.equal(job.params.prompt, "bob's");
      },
    );

    await t.step(
      "a revert keeps the edits made just before it, and no later flush undoes it",
      async () => {
        // Back to the first revision stored (this step does not rest on the ones before).
        const stored = () => api("GET", `/api/projects/${projectId}/graph`, ada.token);
        await until("a stored revision", async () => (await stored()).revision >= 1);
        const target = await revision(1);
        await edit(b, { type: "node.create", node: image("late", { prompt: "made just before" }) });
        const { revision: reverted } = await api(
          "POST",
          `/api/projects/${projectId}/revisions/1/revert`,
          ada.token,
        );
        const { revisions } = await api("GET", `/api/projects/${projectId}/revisions`, ada.token);
        const before = revisions.find((r: { revision: number }) => r.revision === reverted - 1);
        assert.ok(before, "the edits before the revert are a revision of their own");
        assert.deepEqual(Object.keys((await revision(before.revision)).nodes).sort(), [
          "late",
          "still",
        ]);
        assert.equal((await revision(before.revision)).nodes.still?.params.prompt, "bob's");
        for (const client of [a, b]) {
          // Not the empty snapshot every client got on joining: the one the revert sent.
          const snapshot = await client.waitFor((m) =>
            m.type === "state.snapshot" && Object.keys(m.graph.nodes).length > 0
          );
          assert.deepEqual(snapshot.type === "state.snapshot" && snapshot.graph, target);
        }
        await new Promise((r) => setTimeout(r, 1500)); // past the room's flush delay
        const current = await stored();
        assert.equal(current.revision, reverted, "nothing was flushed over the revert");
        assert.deepEqual(current.graph, target);
        const { job } = await generate(bob, "still");
        assert.equal(job.params.prompt, target.nodes.still?.params.prompt);
        assert.equal(job.graphRevision, reverted);
      },
    );
  } catch (error) {
    console.log(edge.output().slice(-3000), room.output().slice(-3000));
    throw error;
  } finally {
    for (const client of clients) await client.close();
    await stop();
  }
});
