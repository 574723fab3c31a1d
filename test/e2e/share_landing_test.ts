/**
 * A reviewer link's landing page, as the person who received it meets it: it names the project
 * and who shared it before they join, promises nothing that does not exist (comments), and a
 * mistyped, revoked or expired link says so in words with what to do.
 */
import assert from "node:assert/strict";
import { live } from "./helpers.ts";
import { startStudio } from "./studio.ts";

const DEAD = "This link has expired or was revoked. Ask the project owner for a new one.";

Deno.test("the share landing names the project and its sharer; dead links say so in words", async (t) => {
  await using studio = await startStudio();
  const ana = await studio.signUp("Ana");
  const projectId = await studio.createProject(ana, "Harbour");
  const { token, shareLink } = await studio.api<{ token: string; shareLink: { id: string } }>(
    "POST",
    `/api/projects/${projectId}/share-links`,
    ana.token,
    { label: "Client review" },
  );

  await t.step("it names the project and who shared it, and promises no comments", async () => {
    const guest = await studio.open(null, `/s/${token}`);
    await guest.getByTestId("share-form").waitFor();
    assert.equal(await guest.getByTestId("share-project").innerText(), "Review “Harbour”");
    assert.match(await guest.getByTestId("share-from").innerText(), /^Ana shared this project/);
    assert.doesNotMatch(await guest.locator("body").innerText(), /comment/i);
    await studio.screenshot(guest, "share-landing");
    await guest.getByTestId("share-name").fill("Cleo");
    await guest.getByTestId("share-join").click();
    await live(guest);
    assert.equal(await guest.getByTestId("project-title").innerText(), "Harbour");
  });

  await t.step("the owner's sharing dialog promises no comments either", async () => {
    const owner = await studio.open(ana, `/projects/${projectId}`);
    await owner.getByTestId("open-sharing").click();
    await owner.getByTestId("share-link-form").waitFor();
    assert.doesNotMatch(await owner.getByTestId("sharing-dialog").innerText(), /comment/i);
  });

  await t.step("a mistyped link says it does not work, not what the server parsed", async () => {
    const page = await studio.open(null, "/s/not-a-link");
    await page.getByTestId("share-invalid").waitFor();
    assert.equal(await page.getByTestId("share-error").innerText(), DEAD);
    assert.doesNotMatch(await page.locator("body").innerText(), /token/i);
    assert.equal(await page.getByTestId("share-join").count(), 0, "nothing to join");
    await studio.screenshot(page, "share-landing-bad-link");
  });

  await t.step("a revoked link says so", async () => {
    await studio.api(
      "DELETE",
      `/api/projects/${projectId}/share-links/${shareLink.id}`,
      ana.token,
      undefined,
      204,
    );
    const page = await studio.open(null, `/s/${token}`);
    await page.getByTestId("share-invalid").waitFor();
    assert.equal(await page.getByTestId("share-error").innerText(), DEAD);
    await studio.screenshot(page, "share-landing-revoked");
  });
});
