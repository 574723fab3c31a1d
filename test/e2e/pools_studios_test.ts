/**
 * Pools and studios as a studio's people meet them: Ana creates a studio and hands Ben its join
 * code; he joins in his own browser as a member; Ana creates a pool whose bad policies are
 * refused with the message under the field, then a good one; its enrollment command, run as
 * shown, puts a real agent in the pool, which shows online with its VRAM and the autoscaler's
 * target. Ben sees the pool but no enrollment command, and roles he cannot change.
 */
import assert from "node:assert/strict";
import { startStudio, until } from "./studio.ts";

Deno.test("a studio, its members and a pool whose enrollment command brings an agent into it", async (t) => {
  await using studio = await startStudio();
  const ana = await studio.signUp("Ana");
  const ben = await studio.signUp("Ben");
  const page = await studio.open(ana, "/");
  let code = "";
  let studioId = "";

  await t.step("the pools page, reached from the top bar, shows Ana's own pool", async () => {
    await page.getByTestId("nav-pools").click();
    await page.getByTestId("pools-page").waitFor();
    await page.locator("[data-testid=pool-card-name]", { hasText: "Ana's agents" }).waitFor();
    await page.getByTestId("pool-create-needs-studio").waitFor();
    await studio.screenshot(page, "pools-personal");
  });

  await t.step("Ana creates a studio; its join code lets Ben in as a member", async () => {
    await page.getByTestId("nav-studios").click();
    await page.getByTestId("studios-empty").waitFor();
    await page.getByTestId("studio-create").locator("input").fill("Northlight");
    await page.getByTestId("studio-create").locator("button").click();
    const card = page.locator("section[data-testid^=studio-]", { hasText: "Northlight" });
    await card.waitFor();
    studioId = (await card.getAttribute("data-testid"))!.slice("studio-".length);
    await card.getByTestId("studio-code").click();
    code = await card.getByTestId("studio-code-value").innerText();
    assert.ok(code.length >= 16, code);

    const b = await studio.open(ben, "/studios");
    await b.getByTestId("studio-join").locator("input").fill("not-a-code");
    await b.getByTestId("studio-join").locator("button").click();
    assert.match(
      await b.getByTestId("studio-join").locator(".form-error").innerText(),
      /join code/,
    );
    await b.getByTestId("studio-join").locator("input").fill(code);
    await b.getByTestId("studio-join").locator("button").click();
    await b.getByTestId(`studio-member-${ben.id}`).waitFor();
    // A member sees the roles but cannot change them.
    assert.equal(await b.getByTestId(`studio-role-${ana.id}`).isDisabled(), true);
    assert.equal(await b.getByTestId(`studio-remove-${ana.id}`).count(), 0);
    await b.getByTestId(`studio-remove-${ben.id}`).filter({ hasText: "Leave" }).waitFor();
    await studio.screenshot(b, "studio-member-view");
    await b.context().close();

    await page.reload();
    await page.getByTestId(`studio-member-${ben.id}`).waitFor();
    assert.equal(await page.getByTestId(`studio-role-${ben.id}`).inputValue(), "member");
  });

  await t.step("a bad policy is refused under its field; a good pool is created", async () => {
    await page.getByTestId("nav-pools").click();
    await page.getByTestId("pool-name").fill("Render Farm");
    await page.getByTestId("pool-minAgents").fill("5");
    await page.getByTestId("pool-maxAgents").fill("2");
    await page.getByTestId("pool-create-submit").click();
    const minField = page.locator("label.field", { has: page.getByTestId("pool-minAgents") });
    assert.match(
      await minField.locator(".field-error").innerText(),
      /minAgents must not be above maxAgents/,
    );
    await page.getByTestId("pool-minAgents").fill("0");
    await page.getByTestId("pool-targetWaitS").fill("0");
    await page.getByTestId("pool-create-submit").click();
    const waitField = page.locator("label.field", { has: page.getByTestId("pool-targetWaitS") });
    assert.match(
      await waitField.locator(".field-error").innerText(),
      /targetWaitS must be positive/,
    );
    assert.equal(await minField.locator(".field-error").count(), 0);
    await studio.screenshot(page, "pools-policy-errors");
    await page.getByTestId("pool-targetWaitS").fill("60");
    await page.getByTestId("pool-create-submit").click();
    const farm = page.locator("section.pool-card", { hasText: "Render Farm" });
    await farm.waitFor();
    assert.match(
      await farm.getByTestId("pool-policy").innerText(),
      /0–2 agents per tier · jobs wait at most 1 min/,
    );
    assert.match(await farm.innerText(), /Northlight/);
  });

  await t.step("the pool's enrollment command brings an agent into it, shown online", async () => {
    const farm = page.locator("section.pool-card", { hasText: "Render Farm" });
    await farm.getByTestId("pool-enroll").click();
    const command = await farm.getByTestId("pool-enroll-command").innerText();
    const match = /^npx -y deno@2\.9\.6 task agent -- enroll (--server \S+ --token \S+)$/.exec(
      command,
    );
    assert.ok(match, command);
    await studio.runAgentCommand([...match[1]!.split(" "), "--name", "farm-01"], {
      MD_VRAM_MIB: "24576",
    });
    const row = farm.locator("li[data-testid^=pool-agent-]", { hasText: "farm-01" });
    await row.and(page.locator("[data-state=idle]")).waitFor({ timeout: 60_000 }).catch(
      (error) => {
        throw new Error(`${error}\n${studio.logs()}`);
      },
    );
    assert.match(await row.innerText(), /idle\s*farm-01\s*24 GB/);
    // Nothing queued and no work yet: the autoscaler is asked for the policy's minimum.
    assert.match(
      await farm.getByTestId("pool-scaling").innerText(),
      /Autoscaler target: 0 agents\s*nothing queued or running/,
    );
    // Ana's own pool does not hold it.
    const own = page.locator("section.pool-card", { hasText: "Ana's agents" });
    await own.getByTestId("pool-agents-empty").waitFor();
    await studio.screenshot(page, "pools-agent-online");
  });

  await t.step("Ben, a member, sees the pool and its agent but no enrollment", async () => {
    const b = await studio.open(ben, "/pools");
    const farm = b.locator("section.pool-card", { hasText: "Render Farm" });
    await farm.locator("li[data-testid^=pool-agent-]", { hasText: "farm-01" }).waitFor();
    assert.equal(await farm.getByTestId("pool-enroll").count(), 0);
    await b.context().close();
  });

  await t.step("Ana changes the pool's policy; a bad one is refused under its field", async () => {
    const farm = page.locator("section.pool-card", { hasText: "Render Farm" });
    await farm.getByTestId("pool-edit").click();
    assert.equal(await farm.getByTestId("pool-edit-maxAgents").inputValue(), "2");
    await farm.getByTestId("pool-edit-minAgents").fill("3");
    await farm.getByTestId("pool-edit-save").click();
    const minField = farm.locator("label.field", { has: page.getByTestId("pool-edit-minAgents") });
    assert.match(
      await minField.locator(".field-error").innerText(),
      /minAgents must not be above maxAgents/,
    );
    await farm.getByTestId("pool-edit-minAgents").fill("1");
    await farm.getByTestId("pool-edit-save").click();
    const saved = page.locator("section.pool-card", { hasText: "Render Farm" });
    await saved.getByTestId("pool-policy").filter({ hasText: /^1–2 agents/ }).waitFor();
    // The autoscaler is now asked for the new minimum, in each tier.
    await saved.getByTestId("pool-scaling").filter({ hasText: "Autoscaler target: 3 agents" })
      .waitFor();
    assert.match(
      await saved.getByTestId("pool-scaling").innerText(),
      /standard: wants 1 \(nothing queued or running.*; the pool's minimum is 1\)/,
    );
    await studio.screenshot(page, "pools-policy-changed");
  });

  await t.step("the studio lists its pool; Ana makes Ben an admin", async () => {
    await page.getByTestId("nav-studios").click();
    const card = page.getByTestId(`studio-${studioId}`);
    assert.match(await card.getByTestId("studio-pools").innerText(), /Render Farm/);
    await card.getByTestId(`studio-role-${ben.id}`).selectOption("admin");
    await until("Ben to be an admin", async () => {
      const { studios } = await studio.api<{ studios: { role: string }[] }>(
        "GET",
        "/api/studios",
        ben.token,
      );
      return studios[0]?.role === "admin";
    });
    await studio.screenshot(page, "studio-admin-view");
  });
});
