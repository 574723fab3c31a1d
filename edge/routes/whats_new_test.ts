import assert from "node:assert/strict";
import {
  addMember,
  call,
  createProject,
  createTestApp,
  insertReadyTake,
  signUp,
} from "../testing.ts";
import { oneShot, saveGraph } from "../../test/jobs/graphs.ts";

Deno.test("what's new lists exactly what others did since the person last marked it read", async () => {
  const t = await createTestApp();
  try {
    const owner = await signUp(t, "Olga");
    const editor = await signUp(t, "Ed");
    const id = await createProject(t, owner);
    await saveGraph(t, id, oneShot());
    await addMember(t, id, owner, editor, "editor");
    const link = await call(t, "POST", `/api/projects/${id}/share-links`, {
      token: owner.token,
      body: {},
    });
    const guest = (await call(t, "POST", `/api/share/${link.body.token}/accept`, {
      body: { name: "Cleo" },
    })).body.token as string;
    const news = async (token: string) =>
      (await call(t, "GET", `/api/projects/${id}/whats-new`, { token })).body;
    const comment = (token: string, body: string) =>
      call(t, "POST", `/api/projects/${id}/comments`, {
        token,
        body: { target: { kind: "node", nodeId: "shot1" }, body },
      });
    t.advance(10);
    // Before Ed's last visit: not new to him.
    await comment(guest, "old news");
    t.advance(10);
    assert.equal(
      (await call(t, "POST", `/api/projects/${id}/whats-new/read`, {
        token: editor.token,
        body: {},
      })).status,
      200,
    );
    t.advance(10);
    const take = await insertReadyTake(t, id, "shot1");
    // insertReadyTake stamps the real clock; move the take into this test's timeline.
    await t.db.$client.execute({
      sql: "update takes set completed_at = ? where id = ?",
      args: [t.deps.now(), take],
    });
    t.advance(10);
    // A render of cut `main`: the take row the render job files (scene CUTS, the cut as node).
    const render = await insertReadyTake(t, id, "main");
    await t.db.$client.execute({
      sql: "update takes set completed_at = ?, scene = 'CUTS', shot = 'Main' where id = ?",
      args: [t.deps.now(), render],
    });
    t.advance(10);
    const thread = (await comment(guest, "@ed is this the final door?")).body.comment.id;
    t.advance(10);
    await comment(editor.token, "my own note");
    t.advance(10);
    await call(t, "POST", `/api/projects/${id}/comments`, {
      token: owner.token,
      body: { parentId: thread, body: "yes" },
    });
    t.advance(10);
    await call(t, "PUT", `/api/projects/${id}/takes/${take}/decision`, {
      token: guest,
      body: { decision: "approved", note: "lovely" },
    });
    const forEd = await news(editor.token);
    assert.equal(forEd.unread, 5);
    assert.deepEqual(
      forEd.items.map((
        i: { kind: string; by: string | null; text: string; cutId: string | null },
      ) => [i.kind, i.by, i.text, i.cutId]),
      [
        ["decision", "Cleo", "approved: lovely", null],
        ["reply", "Olga", "yes", null],
        ["mention", "Cleo", "@ed is this the final door?", null],
        ["render", null, "new render Main_v01.mp4", "main"],
        ["take", null, forEd.items[4].text, null],
      ],
    );
    assert.match(forEd.items[4].text, /^new take SHOT-010_v01_take\d\d\.mp4$/);
    // The guest sees what others did since they arrived: the take, Ed's note, Olga's reply.
    const forGuest = await news(guest);
    assert.deepEqual(forGuest.items.map((i: { kind: string }) => i.kind), [
      "reply",
      "comment",
      "render",
      "take",
    ]);
    const read = await call(t, "POST", `/api/projects/${id}/whats-new/read`, {
      token: editor.token,
      body: { until: forEd.items[0].at },
    });
    assert.equal(read.body.readAt, forEd.items[0].at);
    assert.deepEqual(await news(editor.token).then((n) => [n.unread, n.items]), [0, []]);
    // A marker never moves back.
    await call(t, "POST", `/api/projects/${id}/whats-new/read`, {
      token: editor.token,
      body: { until: 0 },
    });
    assert.equal((await news(editor.token)).unread, 0);
    assert.equal((await news(guest)).unread, 4, "marking read is per person");
  } finally {
    await t.close();
  }
});
