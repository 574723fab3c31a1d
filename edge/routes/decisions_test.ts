import assert from "node:assert/strict";
import { selectedTakes } from "../services/jobs/selects.ts";
import { call, createTestApp, insertReadyTake, reviewProject } from "../testing.ts";

Deno.test("each person's latest decision on a take is kept and listed; the select does not move", async () => {
  const t = await createTestApp();
  try {
    const { id, owner, reviewer, guest } = await reviewProject(t);
    const first = await insertReadyTake(t, id, "shot1");
    const second = await insertReadyTake(t, id, "shot1");
    await call(t, "PUT", `/api/projects/${id}/nodes/shot1/selected-take`, {
      token: owner.token,
      body: { takeId: first },
    });
    const decide = (token: string, takeId: string, body: object) =>
      call(t, "PUT", `/api/projects/${id}/takes/${takeId}/decision`, { token, body });
    assert.equal((await decide(reviewer.token, second, { decision: "rejected" })).status, 200);
    const changed = await decide(reviewer.token, second, {
      decision: "needs_changes",
      note: "warmer light",
    });
    assert.equal(changed.body.decision.decision, "needs_changes");
    const approved = await decide(guest.token, second, { decision: "approved" });
    assert.deepEqual(approved.body.decision.by.role, "guest");
    assert.equal(
      (await decide(owner.token, crypto.randomUUID(), { decision: "approved" })).status,
      404,
    );

    const listed = await call(t, "GET", `/api/projects/${id}/decisions?nodeId=shot1`, {
      token: owner.token,
    });
    assert.deepEqual(
      listed.body.decisions.map((
        d: { by: { name: string }; decision: string; note: string },
      ) => [d.by.name, d.decision, d.note]),
      [["Cleo", "approved", ""], ["Rita", "needs_changes", "warmer light"]],
    );
    assert.equal((await selectedTakes(t.deps, id)).get("shot1")?.take.id, first);
    const sent = t.notifier.events.filter((e) => e.event.change === "decision.made");
    assert.equal(sent.length, 3);
  } finally {
    await t.close();
  }
});

Deno.test("decisions made in the same millisecond are listed newest first", async () => {
  const t = await createTestApp();
  try {
    const { id, owner, reviewer, guest } = await reviewProject(t);
    const take = await insertReadyTake(t, id, "shot1");
    const at = t.deps.now();
    t.deps.now = () => at;
    for (
      const [token, decision] of [[reviewer.token, "needs_changes"], [guest.token, "approved"]]
    ) {
      const made = await call(t, "PUT", `/api/projects/${id}/takes/${take}/decision`, {
        token,
        body: { decision },
      });
      assert.equal(made.status, 200);
    }
    const listed = await call(t, "GET", `/api/projects/${id}/decisions?nodeId=shot1`, {
      token: owner.token,
    });
    assert.deepEqual(
      listed.body.decisions.map((d: { decision: string }) => d.decision),
      ["approved", "needs_changes"],
    );
  } finally {
    await t.close();
  }
});
