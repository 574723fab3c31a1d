/**
 * Becoming a member by invitation, in three browsers: Ana creates a project (and lands in it),
 * invites Ben, who has an account, and Dee, who has none yet; the answer reads the same for
 * both. Ben's open dashboard shows the invitation at once with a notice, and the project only
 * after he accepts; Dee signs up later and finds hers waiting, and declines it. Ana sees pending
 * invitations in the members panel and revokes one.
 */
import assert from "node:assert/strict";
import { live } from "./helpers.ts";
import { startStudio } from "./studio.ts";

Deno.test("invite by email, accept live on the dashboard, sign up later, decline, revoke", async (t) => {
  await using studio = await startStudio();
  const ana = await studio.signUp("Ana");
  const ben = await studio.signUp("Ben");
  const a = await studio.open(ana, "/");
  const b = await studio.open(ben, "/");
  await b.getByTestId("projects-empty").waitFor();
  let projectId = "";

  await t.step("Create project opens the new project", async () => {
    await a.getByTestId("project-name-input").fill("Harbour");
    await a.getByTestId("project-create").click();
    await a.getByTestId("studio").waitFor();
    assert.equal(await a.getByTestId("project-title").innerText(), "Harbour");
    projectId = new URL(a.url()).pathname.split("/").at(-1)!;
    await live(a);
  });

  await t.step("inviting reads the same for an account and for an unknown email", async () => {
    await a.getByTestId("open-sharing").click();
    const notices: string[] = [];
    for (const email of [ben.email, "dee@example.com"]) {
      await a.getByTestId("invite-email").fill(email);
      await a.getByTestId("invite-role").selectOption("editor");
      await a.getByTestId("invite-submit").click();
      const notice = a.getByTestId("invite-sent").filter({ hasText: email });
      await notice.waitFor();
      notices.push((await notice.innerText()).replace(email, "<email>"));
    }
    assert.equal(notices[0], notices[1], "the same words whether or not an account exists");
    assert.match(notices[0]!, /sends no email/);
    const pending = a.getByTestId("invite-list");
    await pending.getByText("dee@example.com").waitFor();
    assert.match(await pending.innerText(), /expires in 14 days/);
    assert.equal(
      await a.getByTestId("member-list").getByText("Ben").count(),
      0,
      "invited is not a member",
    );
    await studio.screenshot(a, "invitations-owner-panel");
  });

  await t.step("Ben's open dashboard shows the invitation at once, with a notice", async () => {
    const invite = b.locator("li[data-testid^=invitation-]").filter({ hasText: "Harbour" });
    await invite.waitFor();
    assert.equal(
      await invite.getByTestId("invitation-text").innerText(),
      "Ana invited you to edit “Harbour”",
    );
    await b.getByTestId("toast").filter({ hasText: "Ana invited you to edit" }).waitFor();
    assert.equal(await b.getByTestId(`project-${projectId}`).count(), 0, "not a member yet");
    await studio.screenshot(b, "invitations-dashboard-notice");
  });

  await t.step(
    "accepting makes Ben a member: the project is on his dashboard and opens",
    async () => {
      await b.locator("li[data-testid^=invitation-]").getByTestId("invitation-accept").click();
      // Ana's members panel, open all along, shows Ben as an editor without a reload, and his
      // invitation leaves the pending list.
      await a.getByTestId("member-list").getByText("Ben").waitFor({ timeout: 5000 });
      await a.getByTestId("invite-list").getByText(ben.email).waitFor({
        state: "detached",
        timeout: 5000,
      });
      await studio.screenshot(a, "invitations-owner-sees-ben-join");
      await b.getByTestId(`project-${projectId}`).waitFor();
      await b.getByTestId("invites").waitFor({ state: "detached" }); // no invitation left
      await studio.screenshot(b, "invitations-accepted");
      await b.getByTestId(`project-${projectId}`).getByTestId("project-open").click();
      await live(b);
      assert.equal(await b.getByTestId("undo").isVisible(), true);
    },
  );

  await t.step("Dee signs up later and finds her invitation waiting; she declines it", async () => {
    const d = await studio.open(null, "/signup");
    await d.getByTestId("auth-name").fill("Dee");
    await d.getByTestId("auth-email").fill("Dee@Example.com");
    await d.getByTestId("auth-password").fill("correct horse battery");
    await d.getByTestId("auth-submit").click();
    const invite = d.locator("li[data-testid^=invitation-]").filter({ hasText: "Harbour" });
    await invite.waitFor();
    await studio.screenshot(d, "invitations-after-signup");
    await invite.getByTestId("invitation-decline").click();
    await d.getByTestId("invites").waitFor({ state: "detached" });
    await d.getByTestId("projects-empty").waitFor();
    // Ana's panel, still open, drops the declined invitation without a reload.
    await a.getByTestId("invite-list").waitFor({ state: "detached", timeout: 5000 });
    assert.equal(await a.getByTestId("invite-list").count(), 0, "declined: nothing pending");
  });

  await t.step("a revoked invitation leaves the invitee's open dashboard at once", async () => {
    const cy = await studio.signUp("Cy");
    const c = await studio.open(cy, "/");
    await c.getByTestId("projects-empty").waitFor();
    await a.getByTestId("invite-email").fill(cy.email);
    await a.getByTestId("invite-submit").click();
    const invite = c.locator("li[data-testid^=invitation-]");
    await invite.waitFor();
    const row = a.locator("li[data-testid^=pending-invite-]").filter({ hasText: cy.email });
    await row.locator("[data-testid^=pending-invite-revoke-]").click();
    await row.waitFor({ state: "detached" });
    await invite.waitFor({ state: "detached" });
  });
});
