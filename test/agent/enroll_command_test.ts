/**
 * The enrollment command the edge hands out (`POST /api/agents/enrollment-tokens`), run as given
 * in its own process from the repository's root, enrolls the machine.
 */
import assert from "node:assert/strict";
import { call } from "../../edge/testing.ts";
import { rig } from "./rig.ts";

const ROOT = new URL("../../", import.meta.url);

Deno.test("the returned enrollment command, run as given, enrolls the agent", async () => {
  await using r = await rig();
  const res = await call(r.edge.t, "POST", "/api/agents/enrollment-tokens", {
    token: r.user.token,
  });
  assert.equal(res.status, 201);
  const command: string = res.body.command;
  const [program, ...args] = command.split(" ");
  assert.equal(program, "deno", command);
  const configDir = await Deno.makeTempDir({ prefix: "md-enroll-" });
  try {
    // `deno` is the runtime running this test.
    const output = await new Deno.Command(Deno.execPath(), {
      args,
      cwd: ROOT,
      env: { MD_CONFIG_DIR: configDir, MD_COMFYUI_URL: r.fake.url, NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
    assert.equal(output.code, 0, text);
    assert.match(text, /enrolled as .* credentials saved to/);
    const saved = JSON.parse(await Deno.readTextFile(`${configDir}/agent.json`));
    assert.equal(saved.serverUrl, r.edge.url);
    const agents = await call(r.edge.t, "GET", "/api/agents", { token: r.user.token });
    assert.ok(agents.body.agents.some((a: { id: string }) => a.id === saved.agentId));
  } finally {
    await Deno.remove(configDir, { recursive: true });
  }
});
