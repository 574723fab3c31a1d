/**
 * A reviewer who came through a share link sees the canvas and its runs live, and cannot change
 * anything: the studio offers no way to (no palette, disabled controls, a review badge), and
 * the room refuses an edit sent over the socket by hand.
 */
import assert from "node:assert/strict";
import { graphOf, live, node, projectWith } from "./helpers.ts";
import { startStudio } from "./studio.ts";

Deno.test("a share-link reviewer watches live and cannot edit", async (t) => {
  await using studio = await startStudio();
  const ana = await studio.signUp("Ana");
  const projectId = await projectWith(
    studio,
    ana,
    [],
    graphOf([node("still", "image.generate", 80, 80, { prompt: "a pier at night" })]),
  );
  const { token } = await studio.api<{ token: string }>(
    "POST",
    `/api/projects/${projectId}/share-links`,
    ana.token,
    { label: "client review" },
  );
  const agent = await studio.startAgent(ana);
  const a = await studio.open(ana, `/projects/${projectId}`);
  const r = await studio.open(null, `/s/${encodeURIComponent(token)}`);
  await r.getByTestId("share-name").fill("Cleo (client)");
  await r.getByTestId("share-join").click();
  await Promise.all([live(a), live(r)]);

  await t.step("the studio offers no way to edit", async () => {
    await r.getByTestId("review-badge").waitFor();
    assert.equal(await r.getByTestId("palette").count(), 0, "no palette");
    await r.getByTestId("review-note").waitFor();
    assert.equal(await r.getByTestId("generate-still").isDisabled(), true);
    assert.equal(await r.getByTestId("tier-still").isDisabled(), true);
    await r.getByTestId("node-still").getByTestId("node-title").click();
    assert.equal(await r.getByTestId("inspector-title").isDisabled(), true);
    assert.equal(await r.getByTestId("inspector-delete").count(), 0, "no delete button");
    await r.keyboard.press("Delete");
    await r.getByTestId("toast").filter({ hasText: "read-only" }).waitFor();
    assert.equal(await r.getByTestId("node-still").count(), 1, "Delete did nothing");
    await studio.screenshot(r, "review-reviewer-view");
  });

  await t.step("edits and runs reach the reviewer live", async () => {
    studio.fake.behaviour.stepMs = 60;
    await a.getByTestId("generate-still").click();
    await a.getByTestId("palette-asset.style").click();
    await r.locator('[data-node-type="asset.style"]').waitFor();
    await r.getByTestId("takes-still").locator("[data-testid^=take-]").first().waitFor({
      timeout: 30_000,
    });
    await studio.screenshot(r, "review-reviewer-sees-take");
  });

  await t.step("the room refuses an edit sent over the socket by hand", async () => {
    const reply = await r.evaluate(async (projectId) => {
      const grant = await (await fetch(`/api/projects/${projectId}/ticket`)).json() as {
        roomUrl: string;
        ticket: string;
      };
      const socket = new WebSocket(`${grant.roomUrl}?ticket=${encodeURIComponent(grant.ticket)}`);
      return await new Promise<Record<string, unknown>>((resolve, reject) => {
        setTimeout(() => reject(new Error("no reply from the room")), 5000);
        socket.onopen = () => socket.send(JSON.stringify({ type: "hello", protocol: 2 }));
        socket.onmessage = (ev) => {
          const msg = JSON.parse(String(ev.data));
          if (msg.type === "welcome") {
            socket.send(JSON.stringify({ type: "node.delete", id: "still", opId: "sneaky-1" }));
          }
          if (msg.type === "reject" || msg.type === "ack") {
            socket.close();
            resolve(msg);
          }
        };
      });
    }, projectId);
    assert.equal(reply.type, "reject");
    assert.equal(reply.code, "forbidden");
    assert.equal(reply.opId, "sneaky-1");
    assert.equal(await a.getByTestId("node-still").count(), 1, "the node is still there");
  });

  await agent.stop();
});
