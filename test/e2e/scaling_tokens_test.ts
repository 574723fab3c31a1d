/**
 * Scaling tokens on the Pools page: Mira, the studio's admin, names a token for her KEDA (an
 * empty name is refused under the field), sees it once with the URL and a command that uses it,
 * and the token opens the pool's scaling answer; the list says when it was made and last used and
 * never shows the secret again; revoked, it opens nothing. Max, a member, sees the pool without
 * the token controls, and the API refuses him.
 */
import assert from "node:assert/strict";
import { joinStudio, studioWithPool } from "../jobs/fleet_fixture.ts";
import { overHttp } from "./helpers.ts";
import { startStudio } from "./studio.ts";

Deno.test("a pool's admin makes, lists and revokes scaling tokens; a member sees none of it", async (t) => {
  await using studio = await startStudio();
  const mira = await studio.signUp("Mira");
  const max = await studio.signUp("Max");
  const { studioId, poolId } = await studioWithPool(overHttp(studio), mira);
  await joinStudio(overHttp(studio), mira, studioId, max);
  const page = await studio.open(mira, "/pools");
  const card = page.getByTestId(`pool-scaling-tokens-${poolId}`);
  let secret = "";

  await t.step("a named token is shown once, with where and how to use it", async () => {
    await card.getByTestId("scaling-token-list").filter({ hasText: /No scaling tokens/ })
      .waitFor();
    await card.getByTestId("scaling-token-create").click();
    assert.match(await card.getByTestId("scaling-token-error").innerText(), /name is required/);
    await card.getByTestId("scaling-token-name").fill("KEDA prod");
    await card.getByTestId("scaling-token-create").click();
    await card.getByTestId("scaling-token-grant").waitFor();
    secret = await card.getByTestId("scaling-token-secret").innerText();
    const url = await card.getByTestId("scaling-token-url").innerText();
    assert.equal(url, `${studio.url}/api/pools/${poolId}/scaling`);
    assert.equal(
      await card.getByTestId("scaling-token-command").innerText(),
      `curl -H 'Authorization: Bearer ${secret}' ${url}`,
    );
    assert.equal(await card.getByTestId("scaling-token-error").count(), 0);
    await card.getByTestId("scaling-token-list").filter({ hasText: /KEDA prod.*never used/ })
      .waitFor();
    await card.scrollIntoViewIfNeeded();
    await studio.screenshot(page, "scaling-token-made");

    // The token opens the pool's scaling answer, as the autoscaler will read it.
    const answer = await fetch(url, { headers: { authorization: `Bearer ${secret}` } });
    assert.equal(answer.status, 200);
    const body = await answer.json() as { desired: unknown };
    assert.equal(typeof body.desired, "number");
  });

  await t.step("after a reload it is listed as used, and its secret is nowhere", async () => {
    await page.reload();
    await card.getByTestId("scaling-token-list").filter({ hasText: /KEDA prod.*last used/ })
      .waitFor();
    assert.equal(await card.getByTestId("scaling-token-grant").count(), 0);
    assert.ok(!(await page.content()).includes(secret), "the secret is not shown again");
    await card.scrollIntoViewIfNeeded();
    await studio.screenshot(page, "scaling-token-listed");
  });

  await t.step("revoked, the token opens nothing", async () => {
    await card.getByTestId("scaling-token-revoke").click();
    await card.getByTestId("scaling-token-list").filter({ hasText: /No scaling tokens/ })
      .waitFor();
    const refused = await fetch(`${studio.url}/api/pools/${poolId}/scaling`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    assert.equal(refused.status, 401);
    await refused.body?.cancel();
  });

  await t.step("a member sees the pool without token controls; the API refuses him", async () => {
    const b = await studio.open(max, "/pools");
    await b.getByTestId(`pool-${poolId}`).waitFor();
    await b.getByTestId("pool-scaling").first().waitFor();
    assert.equal(await b.getByTestId(`pool-scaling-tokens-${poolId}`).count(), 0);
    const listed = await fetch(`${studio.url}/api/pools/${poolId}/scaling-tokens`, {
      headers: { authorization: `Bearer ${max.token}` },
    });
    assert.equal(listed.status, 403);
    await listed.body?.cancel();
    await studio.screenshot(b, "scaling-token-member");
    await b.context().close();
  });
});
