import assert from "node:assert/strict";
import { addMember, call, createProject, createTestApp, signUp } from "../testing.ts";

Deno.test("projects are listed most recently changed first, with the caller's role", async () => {
  const t = await createTestApp();
  try {
    const ada = await signUp(t, "Ada");
    const first = await createProject(t, ada, "First");
    t.advance(1000);
    await createProject(t, ada, "Second");
    t.advance(1000);
    assert.equal(
      (await call(t, "PATCH", `/api/projects/${first}`, {
        token: ada.token,
        body: { title: "First, retitled" },
      })).status,
      200,
    );
    const list = await call(t, "GET", "/api/projects", { token: ada.token });
    assert.deepEqual(list.body.projects.map((p: { name: string }) => p.name), ["First", "Second"]);
    assert.equal(list.body.projects[0].title, "First, retitled");
    assert.equal(list.body.projects[0].role, "owner");
  } finally {
    await t.close();
  }
});

Deno.test("a non-member gets the same 404 for a real project as for a missing one", async () => {
  const t = await createTestApp();
  try {
    const ada = await signUp(t, "Ada");
    const eve = await signUp(t, "Eve");
    const id = await createProject(t, ada, "Secret film");
    const real = await call(t, "GET", `/api/projects/${id}`, { token: eve.token });
    const missing = await call(t, "GET", `/api/projects/${crypto.randomUUID()}`, {
      token: eve.token,
    });
    assert.equal(real.status, 404);
    assert.deepEqual(real.body, missing.body);
    assert.ok(!JSON.stringify(real.body).includes("Secret film"));
    assert.equal(
      (await call(t, "GET", "/api/projects", { token: eve.token })).body.projects.length,
      0,
    );
  } finally {
    await t.close();
  }
});

Deno.test("deleting a project hides it from everyone, members included", async () => {
  const t = await createTestApp();
  try {
    const ada = await signUp(t, "Ada");
    const bob = await signUp(t, "Bob");
    const id = await createProject(t, ada);
    await addMember(t, id, ada, bob, "editor");
    assert.equal(
      (await call(t, "DELETE", `/api/projects/${id}`, { token: bob.token })).status,
      403,
    );
    assert.equal(
      (await call(t, "DELETE", `/api/projects/${id}`, { token: ada.token })).status,
      204,
    );
    assert.equal((await call(t, "GET", `/api/projects/${id}`, { token: bob.token })).status, 404);
    assert.equal(
      (await call(t, "GET", "/api/projects", { token: ada.token })).body.projects.length,
      0,
    );
  } finally {
    await t.close();
  }
});

Deno.test("members: join by invitation, change role, remove; the room and the person's inbox are told", async () => {
  const t = await createTestApp();
  try {
    const ada = await signUp(t, "Ada");
    const bob = await signUp(t, "Bob");
    const id = await createProject(t, ada);
    await addMember(t, id, ada, bob, "reviewer");

    // A reviewer can read but not edit.
    assert.equal(
      (await call(t, "GET", `/api/projects/${id}`, { token: bob.token })).body.project.role,
      "reviewer",
    );
    assert.equal(
      (await call(t, "PATCH", `/api/projects/${id}`, { token: bob.token, body: { name: "x" } }))
        .status,
      403,
    );

    const promoted = await call(t, "PATCH", `/api/projects/${id}/members/${bob.id}`, {
      token: ada.token,
      body: { role: "editor" },
    });
    assert.equal(promoted.body.member.role, "editor");
    // The room hears of it, dated no earlier than the change (tickets issued before it are capped).
    const roleEvent = t.notifier.events.at(-1)!;
    assert.deepEqual({ ...roleEvent, event: { ...roleEvent.event, at: 0 } }, {
      projectId: id,
      event: { type: "access.changed", subject: bob.id, role: "editor", at: 0 },
    });
    assert.equal(typeof roleEvent.event.at, "number");
    assert.equal(
      (await call(t, "PATCH", `/api/projects/${id}`, { token: bob.token, body: { name: "x" } }))
        .status,
      200,
    );

    assert.equal(
      (await call(t, "DELETE", `/api/projects/${id}/members/${bob.id}`, { token: ada.token }))
        .status,
      204,
    );
    assert.equal((await call(t, "GET", `/api/projects/${id}`, { token: bob.token })).status, 404);
    const removal = t.notifier.events.at(-1)!;
    assert.deepEqual({ ...removal, event: { ...removal.event, at: 0 } }, {
      projectId: id,
      event: { type: "access.changed", subject: bob.id, role: null, at: 0 },
    });
    assert.ok((removal.event.at as number) >= (roleEvent.event.at as number));
    // Bob's dashboards hear of the invitation, then reload his projects after each change.
    assert.deepEqual(
      t.notifier.userEvents.filter((e) => e.userId === bob.id).map((e) => e.event.what),
      ["invites", "projects", "projects", "projects"],
    );
  } finally {
    await t.close();
  }
});

Deno.test("the last owner cannot be removed or demoted", async () => {
  const t = await createTestApp();
  try {
    const ada = await signUp(t, "Ada");
    const id = await createProject(t, ada);
    const demote = await call(t, "PATCH", `/api/projects/${id}/members/${ada.id}`, {
      token: ada.token,
      body: { role: "editor" },
    });
    assert.equal(demote.status, 409);
    assert.equal(demote.body.error.code, "last_owner");
    assert.equal(
      (await call(t, "DELETE", `/api/projects/${id}/members/${ada.id}`, { token: ada.token }))
        .status,
      409,
    );
    assert.equal(
      (await call(t, "GET", `/api/projects/${id}`, { token: ada.token })).body.project.role,
      "owner",
    );
  } finally {
    await t.close();
  }
});

Deno.test("a share link makes a guest reviewer of one project until it is revoked", async () => {
  const t = await createTestApp();
  try {
    const ada = await signUp(t, "Ada");
    const id = await createProject(t, ada, "Shared");
    const other = await createProject(t, ada, "Not shared");
    const link = await call(t, "POST", `/api/projects/${id}/share-links`, {
      token: ada.token,
      body: { label: "Client review" },
    });
    assert.equal(link.status, 201);
    // Anyone with the link learns, before joining, what it opens and who shared it; no more.
    const preview = await call(t, "GET", `/api/share/${link.body.token}`);
    assert.equal(preview.status, 200);
    assert.deepEqual(preview.body, {
      project: { name: "Shared" },
      sharedBy: { name: "Ada" },
      label: "Client review",
      expiresAt: null,
    });
    const accepted = await call(t, "POST", `/api/share/${link.body.token}/accept`, {
      body: { name: "Client" },
    });
    assert.equal(accepted.status, 200);
    assert.equal(accepted.body.projectId, id);
    const guest = accepted.body.token;

    assert.equal(
      (await call(t, "GET", `/api/projects/${id}`, { token: guest })).body.project.role,
      "reviewer",
    );
    assert.equal((await call(t, "GET", `/api/projects/${id}/graph`, { token: guest })).status, 200);
    assert.equal(
      (await call(t, "PATCH", `/api/projects/${id}`, { token: guest, body: { name: "x" } })).status,
      403,
    );
    assert.equal((await call(t, "GET", `/api/projects/${other}`, { token: guest })).status, 404);
    assert.equal((await call(t, "GET", "/api/projects", { token: guest })).status, 401);

    const revoke = await call(
      t,
      "DELETE",
      `/api/projects/${id}/share-links/${link.body.shareLink.id}`,
      {
        token: ada.token,
      },
    );
    assert.equal(revoke.status, 204);
    assert.equal((await call(t, "GET", `/api/projects/${id}`, { token: guest })).status, 401);
    const reuse = await call(t, "POST", `/api/share/${link.body.token}/accept`, { body: {} });
    assert.equal(reuse.status, 404);
    const revokedPreview = await call(t, "GET", `/api/share/${link.body.token}`);
    assert.equal(revokedPreview.status, 404);
    assert.match(revokedPreview.body.error.message, /revoked or expired/);
  } finally {
    await t.close();
  }
});

Deno.test("a share link with an expiry stops working after it", async () => {
  const t = await createTestApp();
  try {
    const ada = await signUp(t, "Ada");
    const id = await createProject(t, ada);
    const link = await call(t, "POST", `/api/projects/${id}/share-links`, {
      token: ada.token,
      body: { expiresInHours: 2 },
    });
    const guest =
      (await call(t, "POST", `/api/share/${link.body.token}/accept`, { body: {} })).body.token;
    assert.equal((await call(t, "GET", `/api/projects/${id}`, { token: guest })).status, 200);
    t.advance(2 * 3600_000 + 1);
    assert.equal((await call(t, "GET", `/api/projects/${id}`, { token: guest })).status, 401);
    assert.equal(
      (await call(t, "POST", `/api/share/${link.body.token}/accept`, { body: {} })).status,
      404,
    );
    assert.equal((await call(t, "GET", `/api/share/${link.body.token}`)).status, 404);
  } finally {
    await t.close();
  }
});

Deno.test("every change is in the activity log with who made it", async () => {
  const t = await createTestApp();
  try {
    const ada = await signUp(t, "Ada");
    const id = await createProject(t, ada, "Logged");
    await call(t, "PATCH", `/api/projects/${id}`, {
      token: ada.token,
      body: { description: "new" },
    });
    const log = await call(t, "GET", `/api/projects/${id}/activity`, { token: ada.token });
    assert.deepEqual(log.body.activity.map((a: { action: string }) => a.action).sort(), [
      "project.create",
      "project.update",
    ]);
    assert.ok(log.body.activity.every((a: { actorName: string }) => a.actorName === "Ada"));
  } finally {
    await t.close();
  }
});
