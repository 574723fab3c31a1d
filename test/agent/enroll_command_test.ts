/**
 * The enrollment command the edge hands out (`POST /api/agents/enrollment-tokens`), run as given
 * in a shell from the repository's root on a PATH without Deno (only Node.js and npm), enrolls
 * the machine.
 */
import assert from "node:assert/strict";
import { call } from "../../edge/testing.ts";
import { runNodeOnly } from "./node_only_shell.ts";
import { rig } from "./rig.ts";

Deno.test("the returned enrollment command, run as given where only Node.js is installed, enrolls the agent", async () => {
  await using r = await rig();
  const res = await call(r.edge.t, "POST", "/api/agents/enrollment-tokens", {
    token: r.user.token,
  });
  assert.equal(res.status, 201);
  const command: string = res.body.command;
  assert.match(command, /^npx -y deno@2\.9\.6 task agent -- enroll /);
  const configDir = await Deno.makeTempDir({ prefix: "md-enroll-" });
  try {
    const { code, output: text } = await runNodeOnly(command, {
      MD_CONFIG_DIR: configDir,
      MD_COMFYUI_URL: r.fake.url,
    });
    assert.equal(code, 0, text);
    assert.match(text, /enrolled as .* credentials saved to/);
    const saved = JSON.parse(await Deno.readTextFile(`${configDir}/agent.json`));
    assert.equal(saved.serverUrl, r.edge.url);
    const agents = await call(r.edge.t, "GET", "/api/agents", { token: r.user.token });
    assert.ok(agents.body.agents.some((a: { id: string }) => a.id === saved.agentId));
  } finally {
    await Deno.remove(configDir, { recursive: true });
  }
});
