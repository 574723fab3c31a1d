/**
 * Every page of the studio runs under its strict Content-Security-Policy without a single
 * violation: signed out, the dashboard, a project with a take, the agents page, and a guest who
 * came by share link. A blob that is not media downloads instead of rendering.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { graphOf, live, node, projectWith } from "./helpers.ts";
import { cspViolations, startStudio } from "./studio.ts";

async function assertCleanPage(page: Page, what: string) {
  await page.waitForLoadState("networkidle");
  assert.deepEqual(await cspViolations(page), [], `${what}: no CSP violations`);
}

Deno.test("every page loads under the CSP with no violation report", async () => {
  await using studio = await startStudio();
  const ana = await studio.signUp("Ana");

  const page = await fetch(`${studio.url}/`);
  await page.body?.cancel();
  const csp = page.headers.get("content-security-policy") ?? "";
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /script-src 'self'(;|$)/, "no inline script");
  assert.match(csp, /frame-ancestors 'none'/);
  assert.match(csp, /connect-src 'self' http:\/\/127\.0\.0\.1:\d+ ws:\/\/127\.0\.0\.1:\d+/);
  assert.equal(page.headers.get("x-content-type-options"), "nosniff");
  assert.equal(page.headers.get("referrer-policy"), "strict-origin-when-cross-origin");

  const signedOut = await studio.open(null, "/signin");
  await signedOut.getByTestId("auth-form").waitFor();
  await assertCleanPage(signedOut, "sign-in page");
  await studio.screenshot(signedOut, "csp-signin");

  const projectId = await projectWith(
    studio,
    ana,
    [],
    graphOf([node("still", "image.generate", 80, 80, { prompt: "a lighthouse at dusk" })]),
  );
  const dashboard = await studio.open(ana, "/");
  await dashboard.getByTestId(`project-${projectId}`).waitFor();
  await assertCleanPage(dashboard, "dashboard");

  await studio.startAgent(ana);
  const project = await studio.open(ana, `/projects/${projectId}`);
  await live(project);
  await project.getByTestId("generate-still").click();
  const take = project.getByTestId("takes-still").locator("[data-testid^=take-]").first();
  await take.waitFor({ timeout: 30_000 });
  await project.waitForFunction(() =>
    [...document.querySelectorAll("img")].some((img) => img.complete && img.naturalWidth > 0)
  );
  await assertCleanPage(project, "project page with a take");
  await studio.screenshot(project, "csp-project-with-take");

  const agents = await studio.open(ana, "/agents");
  await agents.getByText("render-01").first().waitFor();
  await assertCleanPage(agents, "agents page");

  const link = await studio.api<{ path: string }>(
    "POST",
    `/api/projects/${projectId}/share-links`,
    ana.token,
    {},
  );
  const guest = await studio.open(null, link.path);
  await guest.getByTestId("share-name").fill("Cleo");
  await guest.getByTestId("share-join").click();
  await live(guest);
  await assertCleanPage(guest, "a guest's project view");
  await studio.screenshot(guest, "csp-guest-project");
});
