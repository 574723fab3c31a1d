/**
 * Templates added without editing the repo, as a user runs the agent (its own backends, not the
 * tests'): `<config-dir>/templates/` by default, `--templates DIR` for doctor; a bad template
 * there costs one line and nothing else.
 */
import assert from "node:assert/strict";
import { runCli } from "../../gpu-agent/cli/run_cli.ts";
import { MemoryLogger } from "../../gpu-agent/log/memory_logger.ts";
import { call } from "../../edge/testing.ts";
import { agentIo } from "./agent_io.ts";
import { writeReadmeTemplate } from "./readme_template.ts";
import { rig } from "./rig.ts";

async function writeBroken(dir: string) {
  await Deno.writeTextFile(
    `${dir}/broken.binding.json`,
    JSON.stringify({
      nodeType: "image.generate",
      tier: "standard",
      vramMiB: 1024,
      models: [],
      params: { prompt: [["42", "inputs", "text"]] },
      outputs: ["1"],
    }),
  );
  await Deno.writeTextFile(
    `${dir}/broken.workflow.json`,
    JSON.stringify({ "1": { class_type: "SaveImage", inputs: { filename_prefix: "x" } } }),
  );
}

Deno.test("templates in <config-dir>/templates run; a broken one there is skipped with one line and everything else runs", async () => {
  await using r = await rig();
  const dir = `${r.configDir}/templates`;
  await writeReadmeTemplate(dir);
  await writeBroken(dir);
  r.fake.setModels("checkpoints", ["sd_xl_turbo_1.0_fp16.safetensors"]);
  const agent = r.startAgent({ ownBackends: true });
  await r.until("the agent to connect", () => agent.logger.matching("connected").length > 0);
  assert.deepEqual(agent.logger.matching("skipped"), [
    `template broken skipped: ${dir}/broken.binding.json: params.prompt points at node 42, ` +
    `which the workflow lacks; fix the file (gpu-agent/README.md, "Adding a template"); ` +
    `everything else runs`,
  ]);
  const listed = await call(r.edge.t, "GET", "/api/agents", { token: r.user.token });
  assert.deepEqual([...listed.body.agents[0].backends].sort(), ["comfyui", "ffmpeg"]);
  const jobId = await r.generate({
    id: "still-1",
    type: "image.generate",
    params: { prompt: "a red door", seed: 3 },
    tier: "low",
  });
  await r.until("the job to succeed", async () => (await r.job(jobId)).job.state === "succeeded");
  const [take] = await r.takes("still-1");
  assert.equal(take?.lineage.template, "image.generate.low.turbo");
});

Deno.test("doctor --templates DIR lists a broken template as a problem and still checks the rest", async () => {
  await using r = await rig();
  const dir = await Deno.makeTempDir({ prefix: "md-templates-" });
  try {
    await writeReadmeTemplate(dir);
    await writeBroken(dir);
    const out: string[] = [];
    const io = agentIo({
      configDir: r.configDir,
      workDir: r.workDir,
      comfyuiUrl: r.fake.url,
      ownBackends: true,
    }, {
      out: (line) => out.push(line),
      err: (line) => out.push(line),
      logger: new MemoryLogger(),
      renderer: null,
      onSignal: () => () => {},
      exitNow: () => {},
    });
    const code = await runCli(["doctor", "--templates", dir], io);
    const text = out.join("\n");
    assert.equal(code, 1, text);
    assert.match(text, /Problems\n(.*\n)* {2}- template broken skipped: .*broken\.binding\.json/);
    assert.match(text, /comfyui 0\.8\.0: ok, \d+ of 8 templates runnable here/);
    assert.match(
      text,
      /image\.generate\.low\.turbo \(image\.generate at low\): cannot run: put sd_xl_turbo/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
