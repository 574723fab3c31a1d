/**
 * A project's pools and its jobs on them, as its people see them: the owner chooses the studio
 * pool that runs its jobs (an editor reads the choice); queued jobs show their ETA, which moves
 * on as the jobs ahead finish, without a reload; a running job names its pool and the VRAM figure
 * it was matched on; a take says which pool made it.
 */
import assert from "node:assert/strict";
import { anaWithEditorBen, graphOf, live, node } from "./helpers.ts";
import { startStudio } from "./studio.ts";

Deno.test("the owner chooses the pool; queued jobs show a live ETA; jobs and takes name their pool", async (t) => {
  await using studio = await startStudio();
  const image = (id: string, x: number) =>
    node(id, "image.generate", x, 80, { prompt: `a lighthouse ${id}` });
  const { ana, ben, projectId } = await anaWithEditorBen(
    studio,
    graphOf([image("a", 40), image("b", 340), image("c", 640), image("d", 940)]),
  );
  const { studio: northlight } = await studio.api<{ studio: { id: string } }>(
    "POST",
    "/api/studios",
    ana.token,
    { name: "Northlight" },
  );
  const { pool } = await studio.api<{ pool: { id: string } }>("POST", "/api/pools", ana.token, {
    name: "Render Farm",
    studioId: northlight.id,
  });
  const { token } = await studio.api<{ token: string }>(
    "POST",
    `/api/pools/${pool.id}/enrollment-tokens`,
    ana.token,
    {},
  );
  const agent = await studio.runAgentCommand(
    ["--server", studio.url, "--token", token, "--name", "farm-01"],
    { MD_VRAM_MIB: "24576" },
  );
  const a = await studio.open(ana, `/projects/${projectId}`);
  await live(a);

  await t.step("the owner chooses Render Farm; its agent then serves the project", async () => {
    await a.getByTestId("tab-agents").click();
    await a.getByTestId("project-agents-empty").waitFor().catch(async (e) => {
      await studio.screenshot(a, "debug-pp");
      throw e;
    });
    assert.match(await a.getByTestId("project-pools-current").innerText(), /^Default: /);
    await a.getByTestId(`project-pool-${pool.id}`).check();
    await a.getByTestId("project-pools-save").click();
    await a.getByTestId("project-pools-current").filter({ hasText: "Chosen pools: Render Farm" })
      .waitFor();
    await a.locator("[data-testid^=project-agent-]", { hasText: "farm-01" }).waitFor({
      timeout: 15_000,
    });
    await studio.screenshot(a, "project-pools-owner");
  });

  await t.step("an editor reads the choice and cannot change it", async () => {
    const b = await studio.open(ben, `/projects/${projectId}`);
    await b.getByTestId("tab-agents").click();
    await b.getByTestId("project-pools-current").filter({ hasText: "Chosen pools: Render Farm" })
      .waitFor();
    assert.equal(await b.getByTestId("project-pools-choice").count(), 0);
    await studio.screenshot(b, "project-pools-editor");
    await b.context().close();
  });

  await t.step(
    "queued jobs show an ETA that moves on live; a running one names its pool",
    async () => {
      await a.getByTestId("tab-nodes").click();
      // One quick run teaches the edge how long an image takes on a 24 GB card.
      studio.fake.behaviour.stepMs = 20;
      await a.getByTestId("generate-a").click();
      await a.getByTestId("takes-a").locator("[data-testid^=take-]").first().waitFor({
        timeout: 30_000,
      }).catch((error) => {
        throw new Error(`${error}\n${agent.output()}\n${studio.logs().slice(-3000)}`);
      });
      studio.fake.behaviour.stepMs = 800; // several seconds a run: long enough to watch
      for (const id of ["b", "c", "d"]) await a.getByTestId(`generate-${id}`).click();
      await a.getByTestId("placement-d").filter({
        hasText: /^~\d+ s: 1 ahead on 1 agent with 24 GB · VRAM \d+ GB (declared|learned)/,
      })
        .waitFor({ timeout: 15_000 });
      assert.match(
        await a.getByTestId("placement-c").innerText(),
        /^~\d+ s: 0 ahead on 1 agent with 24 GB · /,
      );
      // The pool is known once an agent holds the job: read again within a few seconds.
      await a.getByTestId("placement-b")
        .filter({ hasText: /^on pool Render Farm · VRAM \d+(\.\d)? GB (declared|learned)/ })
        .waitFor({ timeout: 10_000 });
      await studio.screenshot(a, "project-queue-eta");
      // b finishes, c runs: d now has nobody ahead, and the page says so without a reload.
      await a.getByTestId("placement-d").filter({ hasText: /^~\d+ s: 0 ahead on 1 agent/ }).waitFor(
        {
          timeout: 30_000,
        },
      );
      await a.getByTestId("placement-c").filter({ hasText: "on pool Render Farm" }).waitFor();
      await a.getByTestId("placement-d").click();
      await a.getByTestId("placement-d-full").waitFor();
      await studio.screenshot(a, "project-queue-eta-moved");
    },
  );

  await t.step("a take names the pool that made it and its VRAM figure", async () => {
    await a.getByTestId("takes-a").locator("button[data-testid^=take-]").first().click();
    await a.getByTestId("take-pool").filter({ hasText: "Render Farm" }).waitFor();
    assert.match(await a.getByTestId("take-vram").innerText(), /GB (declared|learned)/);
    await studio.screenshot(a, "take-pool-vram");
  });
});
