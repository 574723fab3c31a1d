import assert from "node:assert/strict";
import { call, createTestApp, reviewProject } from "../testing.ts";

const rect = { kind: "rect", x: 0.25, y: 0.5, w: 0.5, h: 0.25 };

Deno.test("a reviewer's comment on a video frame is stored with its timecode and shape, listed and sent to the room", async () => {
  const t = await createTestApp();
  try {
    const p = await reviewProject(t, "Olga");
    const created = await call(t, "POST", `/api/projects/${p.id}/comments`, {
      token: p.reviewer.token,
      body: {
        target: { kind: "take", takeId: p.video, frame: 37, shape: rect },
        body: "The door should be red here, @Ed",
      },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const comment = created.body.comment;
    assert.deepEqual(comment.target, {
      kind: "take",
      takeId: p.video,
      nodeId: "shot1",
      frame: 37,
      fps: 16,
      timecode: "00:00:02:05",
      shape: rect,
    });
    assert.deepEqual(comment.author, {
      person: `user:${p.reviewer.id}`,
      name: "Rita",
      role: "reviewer",
    });
    assert.deepEqual(comment.mentions, [p.editor.id]);
    const listed = await call(t, "GET", `/api/projects/${p.id}/comments?takeId=${p.video}`, {
      token: p.owner.token,
    });
    assert.deepEqual(listed.body.comments, [comment]);
    const byNode = await call(t, "GET", `/api/projects/${p.id}/comments?nodeId=shot1`, {
      token: p.guest.token,
    });
    assert.deepEqual(byNode.body.comments, [comment]);
    const sent = t.notifier.events.filter((e) => e.event.type === "review.update");
    assert.deepEqual(sent, [{
      projectId: p.id,
      event: { type: "review.update", change: "comment.created", comment },
    }]);
  } finally {
    await t.close();
  }
});

Deno.test("a guest named like a member is marked guest; replies join the thread; a node takes comments too", async () => {
  const t = await createTestApp();
  try {
    const p = await reviewProject(t, "Olga");
    const thread = await call(t, "POST", `/api/projects/${p.id}/comments`, {
      token: p.guest.token,
      body: {
        target: { kind: "take", takeId: p.image, shape: { kind: "point", x: 1, y: 0 } },
        body: "Too dark",
      },
    });
    assert.equal(thread.status, 201, JSON.stringify(thread.body));
    assert.equal(thread.body.comment.author.role, "guest");
    assert.equal(thread.body.comment.author.name, "Olga");
    assert.equal(thread.body.comment.target.frame, null);
    const reply = await call(t, "POST", `/api/projects/${p.id}/comments`, {
      token: p.owner.token,
      body: { parentId: thread.body.comment.id, body: "Will fix" },
    });
    const replyToReply = await call(t, "POST", `/api/projects/${p.id}/comments`, {
      token: p.reviewer.token,
      body: { parentId: reply.body.comment.id, body: "Thanks" },
    });
    assert.equal(replyToReply.body.comment.parentId, thread.body.comment.id);
    assert.deepEqual(replyToReply.body.comment.target, thread.body.comment.target);
    const onNode = await call(t, "POST", `/api/projects/${p.id}/comments`, {
      token: p.editor.token,
      body: { target: { kind: "node", nodeId: "shot1" }, body: "Try a wider lens" },
    });
    assert.deepEqual(onNode.body.comment.target, { kind: "node", nodeId: "shot1" });
    const listed = await call(t, "GET", `/api/projects/${p.id}/comments?nodeId=shot1`, {
      token: p.guest.token,
    });
    assert.deepEqual(listed.body.comments.at(-1), onNode.body.comment);
    assert.deepEqual(listed.body.comments.slice(0, -1), []);
  } finally {
    await t.close();
  }
});

Deno.test("only the author edits, with the earlier bodies kept; resolving and deleting follow the roles", async () => {
  const t = await createTestApp();
  try {
    const p = await reviewProject(t, "Olga");
    const post = async (token: string, body: string) =>
      (await call(t, "POST", `/api/projects/${p.id}/comments`, {
        token,
        body: { target: { kind: "take", takeId: p.video, frame: 1 }, body },
      })).body.comment.id as string;
    const mine = await post(p.reviewer.token, "first");
    const guests = await post(p.guest.token, "from the client");
    const path = (id: string) => `/api/projects/${p.id}/comments/${id}`;

    assert.equal(
      (await call(t, "PATCH", path(mine), { token: p.owner.token, body: { body: "x" } })).status,
      403,
    );
    const edited = await call(t, "PATCH", path(mine), {
      token: p.reviewer.token,
      body: { body: "second" },
    });
    assert.equal(edited.body.comment.body, "second");
    assert.equal(typeof edited.body.comment.editedAt, "number");
    await call(t, "PATCH", path(mine), { token: p.reviewer.token, body: { body: "third" } });
    const history = await call(t, "GET", `${path(mine)}/edits`, { token: p.guest.token });
    assert.deepEqual(history.body.edits.map((e: { body: string }) => e.body), ["first", "second"]);

    // Reviewers resolve their own threads; editors and owners any.
    const resolve = (id: string, token: string, resolved = true) =>
      call(t, "PUT", `${path(id)}/resolved`, { token, body: { resolved } });
    assert.equal((await resolve(guests, p.reviewer.token)).status, 403);
    assert.equal((await resolve(mine, p.guest.token)).status, 403);
    const byGuest = await resolve(guests, p.guest.token);
    assert.equal(byGuest.body.comment.resolvedBy, "Olga");
    assert.equal((await resolve(guests, p.editor.token, false)).body.comment.resolvedAt, null);
    assert.equal((await resolve(mine, p.owner.token)).status, 200);

    // Reviewers delete only their own; editors delete anyone's, and the replies go with it.
    await call(t, "POST", `/api/projects/${p.id}/comments`, {
      token: p.owner.token,
      body: { parentId: guests, body: "a reply" },
    });
    assert.equal((await call(t, "DELETE", path(guests), { token: p.reviewer.token })).status, 403);
    assert.equal((await call(t, "DELETE", path(guests), { token: p.editor.token })).status, 204);
    assert.equal((await call(t, "DELETE", path(mine), { token: p.reviewer.token })).status, 204);
    const left = await call(t, "GET", `/api/projects/${p.id}/comments`, { token: p.owner.token });
    assert.deepEqual(left.body.comments, []);
    const changes = t.notifier.events.map((e) => e.event.change).filter(Boolean);
    assert.deepEqual(changes.slice(-3), ["comment.created", "comment.deleted", "comment.deleted"]);
  } finally {
    await t.close();
  }
});

Deno.test("a removed member and a guest of a revoked link can no longer comment", async () => {
  const t = await createTestApp();
  try {
    const p = await reviewProject(t, "Olga");
    const comment = { target: { kind: "node", nodeId: "shot1" }, body: "still here?" };
    const path = `/api/projects/${p.id}/comments`;
    assert.equal(
      (await call(t, "POST", path, { token: p.reviewer.token, body: comment })).status,
      201,
    );
    await call(t, "DELETE", `/api/projects/${p.id}/members/${p.reviewer.id}`, {
      token: p.owner.token,
    });
    await call(t, "DELETE", `/api/projects/${p.id}/share-links/${p.linkId}`, {
      token: p.owner.token,
    });
    assert.equal(
      (await call(t, "POST", path, { token: p.reviewer.token, body: comment })).status,
      404,
    );
    assert.equal(
      (await call(t, "POST", path, { token: p.guest.token, body: comment })).status,
      401,
    );
    const listed = await call(t, "GET", path, { token: p.owner.token });
    assert.equal(listed.body.comments.length, 1);
  } finally {
    await t.close();
  }
});

Deno.test("comments are rate-limited per person: the 31st in a minute gets 429 with Retry-After", async () => {
  const t = await createTestApp();
  try {
    const p = await reviewProject(t, "Olga");
    const path = `/api/projects/${p.id}/comments`;
    const body = { target: { kind: "node", nodeId: "shot1" }, body: "again" };
    for (let i = 0; i < 30; i++) {
      const res = await call(t, "POST", path, { token: p.guest.token, body });
      assert.equal(res.status, 201, `comment ${i + 1}: ${JSON.stringify(res.body)}`);
    }
    const refused = await call(t, "POST", path, { token: p.guest.token, body });
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get("retry-after")) >= 1);
    // Someone else in the same room is not slowed down by it.
    assert.equal((await call(t, "POST", path, { token: p.reviewer.token, body })).status, 201);
    t.advance(61_000);
    assert.equal((await call(t, "POST", path, { token: p.guest.token, body })).status, 201);
    const listed = await call(t, "GET", path, { token: p.owner.token });
    assert.equal(listed.body.comments.length, 32);
  } finally {
    await t.close();
  }
});

Deno.test("hostile bodies are stored and returned exactly as typed", async () => {
  const t = await createTestApp();
  try {
    const p = await reviewProject(t, "Olga");
    const hostile = '<script>alert(1)</script> <img src=x onerror="alert(2)"> ' +
      "[link](javascript:alert(3)) \u202Eevil\u202C zero\u200Bwidth\u200D";
    const created = await call(t, "POST", `/api/projects/${p.id}/comments`, {
      token: p.guest.token,
      body: { target: { kind: "take", takeId: p.video, frame: 0 }, body: hostile },
    });
    assert.equal(created.status, 201);
    const listed = await call(t, "GET", `/api/projects/${p.id}/comments`, { token: p.owner.token });
    assert.equal(listed.body.comments[0].body, hostile);
  } finally {
    await t.close();
  }
});

Deno.test("a comment on a cut at a frame carries the cut's timecode; replies, resolve, edit and delete work as on takes", async () => {
  const t = await createTestApp();
  try {
    const p = await reviewProject(t, "Olga");
    assert.ok(p.cutFrames > 30, `the cut is ${p.cutFrames} frames`);
    const path = `/api/projects/${p.id}/comments`;
    const created = await call(t, "POST", path, {
      token: p.guest.token,
      body: { target: { kind: "cut", cutId: p.cutId, frame: 30, shape: rect }, body: "Cut here" },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const comment = created.body.comment;
    assert.deepEqual(comment.target, {
      kind: "cut",
      cutId: p.cutId,
      frame: 30,
      fps: 24,
      timecode: "00:00:01:06",
      shape: rect,
    });
    const reply = await call(t, "POST", path, {
      token: p.owner.token,
      body: { parentId: comment.id, body: "Agreed" },
    });
    assert.equal(reply.status, 201);
    assert.deepEqual(reply.body.comment.target, comment.target);
    const edited = await call(t, "PATCH", `${path}/${comment.id}`, {
      token: p.guest.token,
      body: { body: "Cut here, earlier" },
    });
    assert.equal(edited.body.comment.body, "Cut here, earlier");
    const resolved = await call(t, "PUT", `${path}/${comment.id}/resolved`, {
      token: p.editor.token,
      body: { resolved: true },
    });
    assert.equal(resolved.body.comment.resolvedBy, "Ed");
    const listed = await call(t, "GET", `${path}?cutId=${p.cutId}`, { token: p.reviewer.token });
    assert.deepEqual(listed.body.comments, [resolved.body.comment, reply.body.comment]);
    assert.deepEqual(
      (await call(t, "GET", `${path}?cutId=other`, { token: p.owner.token })).body.comments,
      [],
    );
    const sent = t.notifier.events.filter((e) => e.event.type === "review.update");
    assert.deepEqual(sent[0]?.event, { type: "review.update", change: "comment.created", comment });
    assert.equal(
      (await call(t, "DELETE", `${path}/${comment.id}`, { token: p.guest.token })).status,
      204,
    );
    assert.deepEqual((await call(t, "GET", path, { token: p.owner.token })).body.comments, []);
  } finally {
    await t.close();
  }
});

Deno.test("a cut comment outside the film, on a cut of another project or without a frame is refused naming the field, no row written", async () => {
  const t = await createTestApp();
  try {
    const p = await reviewProject(t, "Olga");
    const other = await reviewProject(t, "Oskar");
    const path = `/api/projects/${p.id}/comments`;
    const refusals: Array<[unknown, string]> = [
      [{ kind: "cut", cutId: p.cutId, frame: p.cutFrames }, "target.frame"],
      [{ kind: "cut", cutId: p.cutId, frame: -1 }, "target.frame"],
      [{ kind: "cut", cutId: p.cutId }, "target.frame"],
      [{ kind: "cut", cutId: "nosuchcut", frame: 0 }, "target.cutId"],
      [
        { kind: "cut", cutId: p.cutId, frame: 0, shape: { kind: "point", x: 2, y: 0 } },
        "target.shape.x",
      ],
    ];
    for (const [target, field] of refusals) {
      const res = await call(t, "POST", path, {
        token: p.reviewer.token,
        body: { target, body: "x" },
      });
      assert.equal(res.status, 422, `${JSON.stringify(target)}: ${JSON.stringify(res.body)}`);
      assert.ok(
        JSON.stringify(res.body).includes(field),
        `${JSON.stringify(target)} names ${field}: ${JSON.stringify(res.body)}`,
      );
    }
    // The other project's cut is also called `main`; its comments are its own, and an outsider
    // cannot reach this project's at all.
    const outsider = await call(t, "POST", path, {
      token: other.owner.token,
      body: { target: { kind: "cut", cutId: p.cutId, frame: 0 }, body: "x" },
    });
    assert.equal(outsider.status, 404);
    assert.deepEqual((await call(t, "GET", path, { token: p.owner.token })).body.comments, []);
  } finally {
    await t.close();
  }
});

Deno.test("a comment on a node the project's live graph does not hold is refused naming target.nodeId", async () => {
  const t = await createTestApp();
  try {
    const p = await reviewProject(t, "Olga");
    const path = `/api/projects/${p.id}/comments`;
    const refused = await call(t, "POST", path, {
      token: p.reviewer.token,
      body: { target: { kind: "node", nodeId: "ghost" }, body: "Where is this?" },
    });
    assert.equal(refused.status, 422, JSON.stringify(refused.body));
    assert.deepEqual(refused.body.error.issues.map((i: { path: string }) => i.path), [
      "target.nodeId",
    ]);
    const onStill = await call(t, "POST", path, {
      token: p.reviewer.token,
      body: { target: { kind: "node", nodeId: "still" }, body: "Fine" },
    });
    assert.equal(onStill.status, 201);
    const listed = await call(t, "GET", path, { token: p.owner.token });
    assert.deepEqual(listed.body.comments, [onStill.body.comment]);
  } finally {
    await t.close();
  }
});

Deno.test("an @mention reaches the named member's inbox and is listed at /api/inbox/mentions, in projects they are still in", async () => {
  const t = await createTestApp();
  try {
    const p = await reviewProject(t, "Olga");
    const path = `/api/projects/${p.id}/comments`;
    const mentions = async (token: string) =>
      (await call(t, "GET", "/api/inbox/mentions", { token })).body.mentions;
    assert.deepEqual(await mentions(p.editor.token), []);
    const before = t.notifier.userEvents.length;
    const created = await call(t, "POST", path, {
      token: p.guest.token,
      body: { target: { kind: "cut", cutId: p.cutId, frame: 3 }, body: "@Ed and @Rita: look here" },
    });
    assert.equal(created.status, 201);
    assert.deepEqual(t.notifier.userEvents.slice(before), [
      { userId: p.editor.id, event: { type: "inbox.changed", what: "mentions" } },
      { userId: p.reviewer.id, event: { type: "inbox.changed", what: "mentions" } },
    ]);
    const listed = await mentions(p.editor.token);
    assert.deepEqual(listed, [{
      commentId: created.body.comment.id,
      projectId: p.id,
      projectName: "Review",
      target: { kind: "cut", cutId: p.cutId },
      by: "Olga",
      body: "@Ed and @Rita: look here",
      at: created.body.comment.createdAt,
    }]);
    assert.deepEqual(await mentions(p.owner.token), [], "Olga the owner was not named");
    // An edit that names someone new tells only them; naming oneself tells nobody.
    const mid = t.notifier.userEvents.length;
    const own = await call(t, "POST", path, {
      token: p.owner.token,
      body: { target: { kind: "node", nodeId: "shot1" }, body: "note to @Olga" },
    });
    await call(t, "PATCH", `${path}/${own.body.comment.id}`, {
      token: p.owner.token,
      body: { body: "note to @Olga and @Ed" },
    });
    assert.deepEqual(t.notifier.userEvents.slice(mid), [
      { userId: p.editor.id, event: { type: "inbox.changed", what: "mentions" } },
    ]);
    assert.equal((await mentions(p.editor.token)).length, 2);
    // Removed from the project: what was said there is no longer theirs to read.
    await call(t, "DELETE", `/api/projects/${p.id}/members/${p.editor.id}`, {
      token: p.owner.token,
    });
    assert.deepEqual(await mentions(p.editor.token), []);
    assert.equal(
      (await call(t, "GET", "/api/inbox/mentions", { token: p.guest.token })).status,
      401,
    );
  } finally {
    await t.close();
  }
});
