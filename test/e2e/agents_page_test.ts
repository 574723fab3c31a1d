/**
 * The Agents page as someone with a GPU machine meets it: the command it shows, run exactly as
 * shown on a machine with Node.js and npm but no Deno, enrolls a real agent, and the run command
 * brings it online; the page says in words what it runs and what it lacks for the rest; the
 * agent's own fixes name screens the studio has; every member of a project (a reviewer here, in
 * a second browser) sees the agents that serve it, without their owners' details; rename, revoke.
 */
import assert from "node:assert/strict";
import { runNodeOnly, spawnNodeOnly } from "../agent/node_only_shell.ts";
import { startFakeComfyUI } from "../fakes/comfyui/mod.ts";
import { projectWith } from "./helpers.ts";
import { startStudio, until } from "./studio.ts";

Deno.test("the Agents page's command needs only Node.js; agents say what they run, to owners and members", async (t) => {
  await using studio = await startStudio();
  // A ComfyUI with the two smaller image checkpoints only: Image runs at low and standard, the
  // rest lacks model files.
  const comfy = await startFakeComfyUI({
    models: { checkpoints: ["sd_xl_base_1.0.safetensors", "flux1-schnell-fp8.safetensors"] },
  });
  const dir = await Deno.makeTempDir({ prefix: "md-agent-page-" });
  const env = {
    MD_CONFIG_DIR: `${dir}/config`,
    MD_WORK_DIR: `${dir}/work`,
    MD_COMFYUI_URL: comfy.url,
    MD_VRAM_MIB: "24576",
  };
  let agent: ReturnType<typeof spawnNodeOnly> | null = null;
  try {
    const ana = await studio.signUp("Ana");
    const ben = await studio.signUp("Ben");
    const projectId = await projectWith(studio, ana, [{ user: ben, role: "reviewer" }]);
    const page = await studio.open(ana, "/");
    await page.getByTestId("nav-agents").click();
    await page.getByTestId("agents-empty").waitFor();
    let command = "";
    let agentId = "";

    await t.step(
      "the command it shows, run as shown without Deno, enrolls the machine",
      async () => {
        assert.match(await page.getByTestId("enroll-needs").innerText(), /Node\.js .* npm/);
        await page.getByTestId("enroll-name").fill("render-e2e");
        await page.getByTestId("enroll-create").click();
        command = await page.getByTestId("enroll-command").innerText();
        assert.match(
          command,
          new RegExp(
            `^npx -y deno@2\\.9\\.6 task agent -- enroll --server ${studio.url} --token \\S+ --name render-e2e$`,
          ),
        );
        await studio.screenshot(page, "agents-enroll-command");
        const enrolled = await runNodeOnly(command, env);
        assert.equal(enrolled.code, 0, enrolled.output);
        assert.match(enrolled.output, /enrolled as/);
      },
    );

    await t.step("the run command brings it online; it says what it runs and lacks", async () => {
      const running = spawnNodeOnly(await page.getByTestId("enroll-run").innerText(), env);
      agent = running;
      await until(
        "the agent to connect",
        () => running.output().includes("waiting for jobs"),
        60_000,
      )
        .catch((error) => {
          throw new Error(`${error}\n--- agent\n${running.output()}`);
        });
      const row = page.locator("li[data-testid^=agent-]").filter({ hasText: "render-e2e" });
      await row.waitFor();
      agentId = (await row.getAttribute("data-testid"))!.slice("agent-".length);
      await page.locator(`[data-testid="agent-state-${agentId}"][data-state="online"]`).waitFor({
        timeout: 60_000,
      }).catch((error) => {
        throw new Error(`${error}\n--- agent\n${agent?.output()}`);
      });
      assert.match(await page.getByTestId(`agent-gpus-${agentId}`).innerText(), /24 GB/);
      const runs = await page.getByTestId(`agent-runnable-${agentId}`).innerText();
      assert.match(runs, /Image: low, standard/);
      assert.doesNotMatch(runs, /Shot/);
      const lacks = await page.getByTestId(`agent-blocked-${agentId}`).innerText();
      assert.match(lacks, /Image at high: put .*flux1-dev\.safetensors.* in ComfyUI's models\//);
      assert.match(lacks, /Shot at standard: put .*wan/);
      await studio.screenshot(page, "agents-online");
    });

    await t.step("the agent's own fixes name screens the studio has", async () => {
      // The token was used: enrolling again is refused, and the fix says where to get another.
      const again = await runNodeOnly(command, { ...env, MD_CONFIG_DIR: `${dir}/other` });
      assert.equal(again.code, 3, again.output);
      const where = /fix: .*in the studio \(([^)]+)\)/.exec(again.output)?.[1];
      assert.ok(where, again.output);
      const [link, section, button] = where.split(" → ");
      const fresh = await studio.open(ana, "/");
      await fresh.getByRole("link", { name: link, exact: true }).click();
      await fresh.getByRole("heading", { name: section, exact: true }).waitFor();
      await fresh.getByRole("button", { name: button, exact: true }).waitFor();
    });

    await t.step("a reviewer of Ana's project sees the agent serving it, not Ana", async () => {
      const b = await studio.open(ben, `/projects/${projectId}`);
      await b.getByTestId("tab-agents").click();
      const item = b.getByTestId(`project-agent-${agentId}`);
      await item.waitFor();
      const text = await item.innerText();
      assert.match(text, /render-e2e/);
      assert.match(text, /24 GB/);
      assert.match(text, /Image: low, standard/);
      assert.match(text, /online/);
      // The bundled audio templates need Stable Audio Open, which this fake ComfyUI lacks.
      assert.match(
        text,
        /Cannot run yet\s*Audio: low, standard, high\s*Image: high\s*Shot: low, standard, high/,
      );
      const panel = await b.getByTestId("project-agents-panel").innerText();
      assert.ok(!panel.includes(ana.email) && !panel.includes("Ana"), panel);
      await studio.screenshot(b, "agents-project-panel");
    });

    await t.step("rename and revoke", async () => {
      await agent!.stop();
      agent = null;
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
  } finally {
    await (agent as ReturnType<typeof spawnNodeOnly> | null)?.stop();
    await comfy.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
