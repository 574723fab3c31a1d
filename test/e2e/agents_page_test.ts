/**
 * Enrolling a GPU machine from the Agents page: the token's printed command, run as a real
 * process, brings the agent online on the page with its GPU and backends; rename and revoke.
 */
import assert from "node:assert/strict";
import { startStudio } from "./studio.ts";

Deno.test("the Agents page's command enrolls a real agent, which shows online", async (t) => {
  await using studio = await startStudio();
  const ana = await studio.signUp("Ana");
  const page = await studio.open(ana, "/");
  await page.getByTestId("nav-agents").click();
  await page.getByTestId("agents-empty").waitFor();

  let agentId = "";
  await t.step("the printed command, run on the machine, brings the agent online", async () => {
    await page.getByTestId("enroll-name").fill("render-e2e");
    await page.getByTestId("enroll-create").click();
    const command = await page.getByTestId("enroll-command").innerText();
    const prefix = "deno run -A gpu-agent/main.ts enroll ";
    assert.ok(command.startsWith(prefix), command);
    const args = command.slice(prefix.length).split(" ");
    assert.deepEqual([args[0], args[1], args[4], args[5]], [
      "--server",
      studio.url,
      "--name",
      "render-e2e",
    ]);
    await studio.screenshot(page, "agents-enroll-command");
    const agent = await studio.runAgentCommand(args);
    const row = page.locator("[data-testid^=agent-]").filter({ hasText: "render-e2e" }).first();
    await row.waitFor();
    agentId =
      (await page.locator("[data-testid^=agent-state-]").first().getAttribute("data-testid"))!
        .slice("agent-state-".length);
    await page.locator(`[data-testid="agent-state-${agentId}"][data-state="online"]`).waitFor({
      timeout: 15_000,
    });
    assert.match(await page.getByTestId(`agent-gpus-${agentId}`).innerText(), /24 GB/);
    assert.match(await page.getByTestId(`agent-backends-${agentId}`).innerText(), /comfyui/);
    assert.equal(await page.getByTestId(`agent-job-${agentId}`).innerText(), "idle");
    await studio.screenshot(page, "agents-online");
    await agent.stop();
  });

  await t.step("rename and revoke", async () => {
    await page.getByTestId(`agent-rename-${agentId}`).click();
    await page.getByTestId("agent-rename-input").fill("big rig");
    await page.getByTestId("agent-rename-input").press("Enter");
    await page.getByTestId(`agent-name-${agentId}`).filter({ hasText: "big rig" }).waitFor();
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByTestId(`agent-revoke-${agentId}`).click();
    await page.getByTestId(`agent-${agentId}`).waitFor({ state: "detached" });
    const { agents } = await studio.api<{ agents: unknown[] }>("GET", "/api/agents", ana.token);
    assert.equal(agents.length, 0);
  });
});
