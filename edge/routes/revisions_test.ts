import assert from "node:assert/strict";
import {
  addMember,
  call,
  createProject,
  createTestApp,
  signUp,
  TEST_ROOM_SECRET,
} from "../testing.ts";

const room = { authorization: `Bearer ${TEST_ROOM_SECRET}` };
const graphWith = (...ids: string[]) => ({
  nodes: Object.fromEntries(ids.map((id) => [id, {
    id,
    type: "shot.generate",
    title: id,
    x: 0,
    y: 0,
    params: { prompt: id },
  }])),
  edges: {},
});

Deno.test("the room stores revisions; users read the current one and page through history", async () => {
  const t = await createTestApp();
  try {
    const ada = await signUp(t, "Ada");
    const id = await createProject(t, ada);
    const empty = await call(t, "GET", `/api/projects/${id}/graph`, { token: ada.token });
    assert.deepEqual(empty.body, { revision: 0, graph: { nodes: {}, edges: {} } });

    for (let i = 1; i <= 5; i++) {
      const res = await call(t, "POST", `/api/internal/projects/${id}/revisions`, {
        headers: room,
        body: {
          graph: graphWith(...Array.from({ length: i }, (_, k) => `n${k}`)),
          message: `edit ${i}`,
          authorIds: [ada.id],
        },
      });
      assert.equal(res.status, 201);
      assert.equal(res.body.revision, i);
    }
    const current = await call(t, "GET", `/api/projects/${id}/graph`, { token: ada.token });
    assert.equal(current.body.revision, 5);
    assert.equal(Object.keys(current.body.graph.nodes).length, 5);

    const page1 = await call(t, "GET", `/api/projects/${id}/revisions?limit=2`, {
      token: ada.token,
    });
    assert.deepEqual(page1.body.revisions.map((r: { revision: number }) => r.revision), [5, 4]);
    assert.equal(page1.body.revisions[0].authorName, "Ada");
    const page2 = await call(
      t,
      "GET",
      `/api/projects/${id}/revisions?limit=2&before=${page1.body.next}`,
      { token: ada.token },
    );
    assert.deepEqual(page2.body.revisions.map((r: { revision: number }) => r.revision), [3, 2]);

    const one = await call(t, "GET", `/api/projects/${id}/revisions/2`, { token: ada.token });
    assert.deepEqual(Object.keys(one.body.graph.nodes), ["n0", "n1"]);
    assert.equal(
      (await call(t, "GET", `/api/projects/${id}/revisions/99`, { token: ada.token })).status,
      404,
    );
  } finally {
    await t.close();
  }
});

Deno.test("revert asks the room, and with no room makes a new revision with the old graph", async () => {
  const t = await createTestApp();
  try {
    const ada = await signUp(t, "Ada");
    const id = await createProject(t, ada);
    await call(t, "POST", `/api/internal/projects/${id}/revisions`, {
      headers: room,
      body: { graph: graphWith("a") },
    });
    await call(t, "POST", `/api/internal/projects/${id}/revisions`, {
      headers: room,
      body: { graph: graphWith("a", "b") },
    });
    const reverted = await call(t, "POST", `/api/projects/${id}/revisions/1/revert`, {
      token: ada.token,
    });
    assert.equal(reverted.status, 201);
    assert.equal(reverted.body.revision, 3);
    const current = await call(t, "GET", `/api/projects/${id}/graph`, { token: ada.token });
    assert.deepEqual(Object.keys(current.body.graph.nodes), ["a"]);
    assert.deepEqual(t.notifier.asked.at(-1), {
      projectId: id,
      request: { type: "graph.revert", revision: 1, authorId: ada.id },
    });
  } finally {
    await t.close();
  }
});

Deno.test("internal endpoints refuse a wrong secret and unknown projects", async () => {
  const t = await createTestApp();
  try {
    const ada = await signUp(t, "Ada");
    const id = await createProject(t, ada);
    const wrong = await call(t, "GET", `/api/internal/projects/${id}/graph`, {
      headers: { authorization: "Bearer not-the-secret" },
    });
    assert.equal(wrong.status, 401);
    const asUser = await call(t, "GET", `/api/internal/projects/${id}/graph`, { token: ada.token });
    assert.equal(asUser.status, 401);
    const unknown = await call(t, "GET", `/api/internal/projects/${crypto.randomUUID()}/graph`, {
      headers: room,
    });
    assert.equal(unknown.status, 404);
    const bad = await call(t, "POST", `/api/internal/projects/${id}/revisions`, {
      headers: room,
      body: { graph: { nodes: { a: { id: "a" } }, edges: {} } },
    });
    assert.equal(bad.status, 422);
    assert.equal(
      (await call(t, "GET", `/api/projects/${id}/graph`, { token: ada.token })).body.revision,
      0,
    );
  } finally {
    await t.close();
  }
});

Deno.test("concurrent flushes get distinct, gapless revision numbers", async () => {
  const t = await createTestApp();
  try {
    const ada = await signUp(t, "Ada");
    const id = await createProject(t, ada);
    const results = await Promise.all(
      Array.from(
        { length: 20 },
        (_, i) =>
          call(t, "POST", `/api/internal/projects/${id}/revisions`, {
            headers: room,
            body: { graph: graphWith(`n${i}`), message: `m${i}` },
          }),
      ),
    );
    const numbers = results.map((r) => r.body.revision).sort((a, b) => a - b);
    assert.deepEqual(numbers, Array.from({ length: 20 }, (_, i) => i + 1));
  } finally {
    await t.close();
  }
});

Deno.test("a room ticket names the caller, the project and the role", async () => {
  const { verifyRoomTicket } = await import("../../protocol/room_ticket.ts");
  const t = await createTestApp();
  try {
    const ada = await signUp(t, "Ada");
    const id = await createProject(t, ada);
    const before = Date.now();
    const res = await call(t, "GET", `/api/projects/${id}/ticket`, { token: ada.token });
    assert.equal(res.status, 200);
    assert.match(res.body.roomUrl, new RegExp(`^ws://.+/parties/main/${id}$`));
    const payload = await verifyRoomTicket(res.body.ticket, TEST_ROOM_SECRET, Date.now());
    assert.deepEqual({ ...payload, exp: undefined, iat: undefined }, {
      sub: ada.id,
      project: id,
      role: "owner",
      name: "Ada",
      iat: undefined,
      exp: undefined,
    });
    // Dated from when the request arrived: access changes after it override the ticket's role.
    assert.ok(payload!.iat >= before && payload!.iat <= Date.now());
    // A guest's ticket names the share link it rests on, so revoking the link ends it.
    const link = await call(t, "POST", `/api/projects/${id}/share-links`, {
      token: ada.token,
      body: {},
    });
    const guest = await call(t, "POST", `/api/share/${link.body.token}/accept`, {
      body: { name: "Gus" },
    });
    const guestTicket = await call(t, "GET", `/api/projects/${id}/ticket`, {
      token: guest.body.token,
    });
    const guestPayload = await verifyRoomTicket(
      guestTicket.body.ticket,
      TEST_ROOM_SECRET,
      Date.now(),
    );
    assert.equal(guestPayload?.link, link.body.shareLink.id);
    assert.match(guestPayload?.sub ?? "", /^guest:/);
    assert.equal(guestPayload?.role, "reviewer");
    assert.equal(
      await verifyRoomTicket(res.body.ticket, "another-secret-entirely", Date.now()),
      null,
    );
    assert.equal(
      await verifyRoomTicket(res.body.ticket, TEST_ROOM_SECRET, Date.now() + 61_000),
      null,
    );
  } finally {
    await t.close();
  }
});

Deno.test("revision numbers in paths and queries are exact decimal: other spellings are 400", async () => {
  const t = await createTestApp();
  try {
    const ada = await signUp(t, "Ada");
    const id = await createProject(t, ada);
    for (let i = 1; i <= 2; i++) {
      const res = await call(t, "POST", `/api/internal/projects/${id}/revisions`, {
        headers: room,
        body: { graph: graphWith(`n${i}`), message: `edit ${i}`, authorIds: [ada.id] },
      });
      assert.equal(res.status, 201);
    }
    assert.equal((await call(t, "GET", `/api/projects/${id}/revisions/1`, ada)).status, 200);
    for (const spelling of ["%201", "0x1", "1e0", "1.0", "01", "+1", "%2B1", "1%20"]) {
      const read = await call(t, "GET", `/api/projects/${id}/revisions/${spelling}`, ada);
      assert.equal(read.status, 400, spelling);
      assert.equal(read.body.error.code, "invalid_path");
      assert.equal(read.body.error.issues[0].path, "revision");
      const revert = await call(t, "POST", `/api/projects/${id}/revisions/${spelling}/revert`, ada);
      assert.equal(revert.status, 400, `revert ${spelling}`);
    }
    const graph = await call(t, "GET", `/api/projects/${id}/graph`, ada);
    assert.equal(graph.body.revision, 2, "no odd spelling reverted anything");
    for (const query of ["limit=0x10", "limit=1e1", "before=%202"]) {
      const page = await call(t, "GET", `/api/projects/${id}/revisions?${query}`, ada);
      assert.equal(page.status, 400, query);
    }
    const page = await call(t, "GET", `/api/projects/${id}/revisions?limit=1&before=2`, ada);
    assert.equal(page.status, 200);
    assert.deepEqual(page.body.revisions.map((r: { revision: number }) => r.revision), [1]);
  } finally {
    await t.close();
  }
});

Deno.test("history names who changed what, from the difference between revisions", async () => {
  const t = await createTestApp();
  try {
    const ana = await signUp(t, "Ana");
    const ben = await signUp(t, "Ben");
    const id = await createProject(t, ana);
    await addMember(t, id, ana, ben, "reviewer");
    const flush = (graph: unknown, authorIds: string[], message = "Live edits 1-4 on the canvas") =>
      call(t, "POST", `/api/internal/projects/${id}/revisions`, {
        headers: room,
        body: { graph, message, authorIds },
      });
    const shot = (id: string, x: number, prompt: string) => ({
      id,
      type: "shot.generate",
      title: "Shot",
      x,
      y: 0,
      params: { shot: id === "a" ? "SHOT-010" : "SHOT-020", prompt },
    });
    const graph = (...nodes: ReturnType<typeof shot>[]) => ({
      nodes: Object.fromEntries(nodes.map((n) => [n.id, n])),
      edges: {},
    });
    await flush(graph(shot("a", 0, "door"), shot("b", 0, "hall")), [ana.id]);
    await flush(graph(shot("a", 40, "a red door"), shot("b", 40, "hall")), [ben.id]);
    await flush(graph(shot("a", 40, "a red door")), [ana.id, ben.id]);
    const page = await call(t, "GET", `/api/projects/${id}/revisions`, { token: ben.token });
    assert.deepEqual(page.body.revisions.map((r: { summary: string }) => r.summary), [
      "Ana and Ben deleted Shot SHOT-020",
      "Ben moved 2 nodes, changed the prompt of Shot SHOT-010",
      "Ana added Shot SHOT-010 and Shot SHOT-020",
    ]);
    // A page starting later still reads the revision before it.
    const older = await call(t, "GET", `/api/projects/${id}/revisions?before=3&limit=1`, {
      token: ben.token,
    });
    assert.equal(
      older.body.revisions[0].summary,
      "Ben moved 2 nodes, changed the prompt of Shot SHOT-010",
    );
  } finally {
    await t.close();
  }
});
