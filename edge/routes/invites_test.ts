import assert from "node:assert/strict";
import { verifyInboxTicket } from "../../protocol/inbox_ticket.ts";
import { verifyRoomTicket } from "../../protocol/room_ticket.ts";
import {
  call,
  createProject,
  createTestApp,
  signUp,
  TEST_ROOM_SECRET,
  type TestApp,
} from "../testing.ts";
import { EXPIRED_INVITE_KEPT_MS, INVITE_TTL_MS } from "./invites.ts";

const DAY = 24 * 3600_000;

function invite(
  t: TestApp,
  projectId: string,
  owner: { token: string },
  email: string,
  role = "editor",
) {
  return call(t, "POST", `/api/projects/${projectId}/invites`, {
    token: owner.token,
    body: { email, role },
    headers: { "x-test-client-address": crypto.randomUUID() },
  });
}

const myInvites = async (t: TestApp, user: { token: string }) =>
  (await call(t, "GET", "/api/invites", { token: user.token })).body.invites as Array<
    Record<string, unknown>
  >;

/** The fields of an answer with the values that name one person or moment blanked. */
function shape(body: { invite: Record<string, unknown> }) {
  const { id: _id, email: _email, createdAt: _c, expiresAt: _e, ...rest } = body.invite;
  return { keys: Object.keys(body.invite).sort(), rest };
}

Deno.test("inviting answers alike whether or not the email has an account, and makes nobody a member", async () => {
  const t = await createTestApp();
  try {
    const ada = await signUp(t, "Ada");
    const bob = await signUp(t, "Bob");
    const id = await createProject(t, ada);
    const known = await invite(t, id, ada, bob.email.toUpperCase());
    const unknown = await invite(t, id, ada, "nobody-yet@example.com");
    assert.equal(known.status, 201);
    assert.equal(unknown.status, 201);
    assert.deepEqual(shape(known.body), shape(unknown.body));
    assert.equal(known.body.invite.email, bob.email, "emails are kept lower-cased");

    const members = await call(t, "GET", `/api/projects/${id}/members`, { token: ada.token });
    assert.deepEqual(members.body.members.map((m: { name: string }) => m.name), ["Ada"]);
    assert.equal((await call(t, "GET", `/api/projects/${id}`, { token: bob.token })).status, 404);
    const bobsProjects = await call(t, "GET", "/api/projects", { token: bob.token });
    assert.deepEqual(bobsProjects.body.projects, []);

    const pending = await call(t, "GET", `/api/projects/${id}/invites`, { token: ada.token });
    assert.deepEqual(
      pending.body.invites.map((i: Record<string, unknown>) => [i.email, i.role, i.expired]),
      [[bob.email, "editor", false], ["nobody-yet@example.com", "editor", false]],
    );
    assert.equal(pending.body.invites[0].invitedByName, "Ada");
  } finally {
    await t.close();
  }
});

Deno.test("the invited person sees the invitation live, accepts it and only then is a member", async () => {
  const t = await createTestApp();
  try {
    const ada = await signUp(t, "Ada");
    const bob = await signUp(t, "Bob");
    const cy = await signUp(t, "Cy");
    const id = await createProject(t, ada, "Harbour");
    const sent = await invite(t, id, ada, bob.email, "editor");
    assert.deepEqual(t.notifier.userEvents, [{
      userId: bob.id,
      event: { type: "inbox.changed", what: "invites" },
    }]);

    const mine = await myInvites(t, bob);
    assert.deepEqual(mine.map((i) => [i.id, i.projectId, i.projectName, i.role, i.invitedByName]), [
      [sent.body.invite.id, id, "Harbour", "editor", "Ada"],
    ]);
    assert.deepEqual(await myInvites(t, cy), [], "nobody else sees it");
    const stolen = await call(t, "POST", `/api/invites/${sent.body.invite.id}/accept`, {
      token: cy.token,
    });
    assert.equal(stolen.status, 404);

    const accepted = await call(t, "POST", `/api/invites/${sent.body.invite.id}/accept`, {
      token: bob.token,
    });
    assert.equal(accepted.status, 200);
    assert.deepEqual(accepted.body, { projectId: id, role: "editor" });
    const project = await call(t, "GET", `/api/projects/${id}`, { token: bob.token });
    assert.equal(project.body.project.role, "editor");
    assert.deepEqual(await myInvites(t, bob), []);
    const pending = await call(t, "GET", `/api/projects/${id}/invites`, { token: ada.token });
    assert.deepEqual(pending.body.invites, []);
    // The room records the new access (one removed earlier is let in again), Bob's tabs reload.
    const roomEvent = t.notifier.events.at(-1)!;
    assert.equal(roomEvent.projectId, id);
    assert.deepEqual({ ...roomEvent.event, at: 0 }, {
      type: "access.changed",
      subject: bob.id,
      role: "editor",
      at: 0,
    });
    assert.deepEqual(t.notifier.userEvents.at(-1), {
      userId: bob.id,
      event: { type: "inbox.changed", what: "projects" },
    });
    const again = await call(t, "POST", `/api/invites/${sent.body.invite.id}/accept`, {
      token: bob.token,
    });
    assert.equal(again.status, 404, "an invitation is used once");
    const log = await call(t, "GET", `/api/projects/${id}/activity`, { token: ada.token });
    assert.deepEqual(
      log.body.activity.slice(0, 2).map((a: Record<string, unknown>) => [a.actorName, a.action]),
      [["Bob", "member.join"], ["Ada", "invite.create"]],
    );

    const twice = await invite(t, id, ada, bob.email);
    assert.equal(twice.status, 409);
    assert.equal(twice.body.error.code, "already_member");
  } finally {
    await t.close();
  }
});

Deno.test("someone who registers later with the invited email finds the invitation waiting", async () => {
  const t = await createTestApp();
  try {
    const ada = await signUp(t, "Ada");
    const id = await createProject(t, ada, "Later");
    await invite(t, id, ada, "dee@example.com", "reviewer");
    assert.deepEqual(t.notifier.userEvents, [], "no account, no inbox to tell");
    const registered = await call(t, "POST", "/api/auth/register", {
      body: { email: "Dee@Example.com", password: "correct horse battery", name: "Dee" },
    });
    const dee = { token: registered.body.token as string };
    const mine = await myInvites(t, dee);
    assert.deepEqual(mine.map((i) => [i.projectName, i.role]), [["Later", "reviewer"]]);
    const accepted = await call(t, "POST", `/api/invites/${mine[0]!.id}/accept`, {
      token: dee.token,
    });
    assert.equal(accepted.body.role, "reviewer");
  } finally {
    await t.close();
  }
});

Deno.test("declined, revoked and expired invitations are gone for the invitee", async (test) => {
  const t = await createTestApp();
  try {
    const ada = await signUp(t, "Ada");
    const bob = await signUp(t, "Bob");
    const id = await createProject(t, ada);

    await test.step("declining", async () => {
      const sent = await invite(t, id, ada, bob.email);
      const declined = await call(t, "POST", `/api/invites/${sent.body.invite.id}/decline`, {
        token: bob.token,
      });
      assert.equal(declined.status, 204);
      assert.deepEqual(t.notifier.events.at(-1), {
        projectId: id,
        event: { type: "members.changed" },
      }, "the owner's open members panel hears of it");
      assert.deepEqual(await myInvites(t, bob), []);
      const pending = await call(t, "GET", `/api/projects/${id}/invites`, { token: ada.token });
      assert.deepEqual(pending.body.invites, []);
      assert.equal((await call(t, "GET", `/api/projects/${id}`, { token: bob.token })).status, 404);
    });

    await test.step("revoking", async () => {
      const sent = await invite(t, id, ada, bob.email);
      const before = t.notifier.userEvents.length;
      const revoked = await call(
        t,
        "DELETE",
        `/api/projects/${id}/invites/${sent.body.invite.id}`,
        {
          token: ada.token,
        },
      );
      assert.equal(revoked.status, 204);
      assert.deepEqual(t.notifier.userEvents.slice(before), [{
        userId: bob.id,
        event: { type: "inbox.changed", what: "invites" },
      }]);
      assert.deepEqual(await myInvites(t, bob), []);
      const late = await call(t, "POST", `/api/invites/${sent.body.invite.id}/accept`, {
        token: bob.token,
      });
      assert.equal(late.status, 404);
      assert.match(late.body.error.message, /expired or been withdrawn/);
      const gone = await call(t, "DELETE", `/api/projects/${id}/invites/${sent.body.invite.id}`, {
        token: ada.token,
      });
      assert.equal(gone.status, 404);
    });

    await test.step("expiring, and renewing by inviting again", async () => {
      const sent = await invite(t, id, ada, bob.email, "reviewer");
      t.advance(INVITE_TTL_MS + DAY);
      assert.deepEqual(await myInvites(t, bob), []);
      const late = await call(t, "POST", `/api/invites/${sent.body.invite.id}/accept`, {
        token: bob.token,
      });
      assert.equal(late.status, 404);
      const pending = await call(t, "GET", `/api/projects/${id}/invites`, { token: ada.token });
      assert.deepEqual(pending.body.invites.map((i: { expired: boolean }) => i.expired), [true]);
      const renewed = await invite(t, id, ada, bob.email, "editor");
      assert.equal(renewed.body.invite.id, sent.body.invite.id, "one invitation per address");
      const mine = await myInvites(t, bob);
      assert.deepEqual(mine.map((i) => i.role), ["editor"]);
    });
  } finally {
    await t.close();
  }
});

Deno.test("expired invitations are deleted once the owner has had time to renew them", async () => {
  const t = await createTestApp();
  try {
    const ada = await signUp(t, "Ada");
    const bob = await signUp(t, "Bob");
    const id = await createProject(t, ada);
    const rows = async () =>
      (await t.db.$client.execute("select email from project_invites")).rows.map((r) => r.email);
    await invite(t, id, ada, bob.email);
    await invite(t, id, ada, "carol@example.com");
    t.advance(INVITE_TTL_MS + DAY);
    const owners = async () =>
      (await call(t, "GET", `/api/projects/${id}/invites`, { token: ada.token })).body.invites;
    assert.deepEqual(
      (await owners()).map((i: { expired: boolean }) => i.expired),
      [true, true],
      "the owner sees them as expired for a while, to invite again",
    );
    t.advance(EXPIRED_INVITE_KEPT_MS);
    // Bob's own list (his dashboard) purges his; the owner's list purges the project's.
    assert.deepEqual(await myInvites(t, bob), []);
    assert.deepEqual(await rows(), ["carol@example.com"], "Bob's expired invitation is deleted");
    assert.deepEqual(await owners(), []);
    assert.deepEqual(await rows(), [], "nothing expired piles up");
    const fresh = await invite(t, id, ada, bob.email);
    assert.equal(fresh.status, 201, "the address can be invited again");
    assert.deepEqual((await myInvites(t, bob)).map((i) => i.role), ["editor"]);
  } finally {
    await t.close();
  }
});

Deno.test("a deleted project's invitations cannot be seen or accepted", async () => {
  const t = await createTestApp();
  try {
    const ada = await signUp(t, "Ada");
    const bob = await signUp(t, "Bob");
    const id = await createProject(t, ada);
    const sent = await invite(t, id, ada, bob.email);
    await call(t, "DELETE", `/api/projects/${id}`, { token: ada.token });
    assert.deepEqual(await myInvites(t, bob), []);
    const late = await call(t, "POST", `/api/invites/${sent.body.invite.id}/accept`, {
      token: bob.token,
    });
    assert.equal(late.status, 404);
  } finally {
    await t.close();
  }
});

Deno.test("invitations are rate-limited per project and per address, with Retry-After", async () => {
  const t = await createTestApp();
  try {
    const ada = await signUp(t, "Ada");
    const id = await createProject(t, ada);
    for (let i = 0; i < 50; i++) {
      assert.equal((await invite(t, id, ada, `p${i}@example.com`)).status, 201);
    }
    const limited = await invite(t, id, ada, "one-more@example.com");
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get("retry-after")) >= 1);

    // From one address, into projects of 40 invitations each: only the address's count runs out.
    const from = { "x-test-client-address": "198.51.100.7" };
    const fromOneAddress = (projectId: string, email: string) =>
      call(t, "POST", `/api/projects/${projectId}/invites`, {
        token: ada.token,
        body: { email, role: "reviewer" },
        headers: from,
      });
    const statuses = new Set<number>();
    for (let p = 0; p < 5; p++) {
      const project = await createProject(t, ada, `P${p}`);
      for (let i = 0; i < 40; i++) {
        statuses.add((await fromOneAddress(project, `a${p}-${i}@example.com`)).status);
      }
    }
    assert.deepEqual([...statuses], [201]);
    const fresh = await createProject(t, ada, "Fresh");
    assert.equal((await fromOneAddress(fresh, "late@example.com")).status, 429);
  } finally {
    await t.close();
  }
});

Deno.test("an inbox ticket opens one's own inbox and is no room ticket; guests get none", async () => {
  const t = await createTestApp();
  try {
    const ada = await signUp(t, "Ada");
    const res = await call(t, "GET", "/api/inbox/ticket", { token: ada.token });
    assert.equal(res.status, 200);
    const ticket = await verifyInboxTicket(res.body.ticket, TEST_ROOM_SECRET, Date.now());
    assert.equal(ticket?.sub, ada.id);
    assert.equal(await verifyRoomTicket(res.body.ticket, TEST_ROOM_SECRET, Date.now()), null);
    assert.match(res.body.url, new RegExp(`^ws://.+/parties/inbox/${ada.id}$`));

    const id = await createProject(t, ada);
    const room = await call(t, "GET", `/api/projects/${id}/ticket`, { token: ada.token });
    assert.equal(await verifyInboxTicket(room.body.ticket, TEST_ROOM_SECRET, Date.now()), null);

    const link = await call(t, "POST", `/api/projects/${id}/share-links`, {
      token: ada.token,
      body: {},
    });
    const guest = await call(t, "POST", `/api/share/${link.body.token}/accept`, { body: {} });
    const asGuest = await call(t, "GET", "/api/inbox/ticket", { token: guest.body.token });
    assert.equal(asGuest.status, 401);
  } finally {
    await t.close();
  }
});
