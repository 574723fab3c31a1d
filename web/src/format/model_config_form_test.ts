import assert from "node:assert/strict";
import { parseModelConfig } from "../../../protocol/docker_models/model_config.ts";
import {
  configOf,
  fieldOfIssue,
  STARTER_CONFIG,
  textsFromJson,
  textsOf,
} from "./model_config_form.ts";

const shipped = JSON.parse(
  await Deno.readTextFile(
    new URL("../../../gpu-agent/models/realesrgan-video.json", import.meta.url),
  ),
);

Deno.test("a config read into the form and back is the config, and the starter passes the checks", () => {
  assert.deepEqual(configOf(textsOf(shipped)), { config: shipped, problems: {} });
  assert.deepEqual(configOf(textsOf(STARTER_CONFIG)).config, STARTER_CONFIG);
  parseModelConfig("starter", STARTER_CONFIG);
});

Deno.test("what the form can tell alone stays on its field; the edge's issues find theirs", () => {
  const texts = { ...textsOf(STARTER_CONFIG), command: '["python", "run.py",', vramMiB: "lots" };
  const { problems } = configOf(texts);
  assert.deepEqual(Object.keys(problems).sort(), ["command", "vramMiB"]);
  assert.match(problems.command!, /^command: not JSON/);
  assert.equal(fieldOfIssue("config.command.3"), "command");
  assert.equal(fieldOfIssue("config.volumes.0.volume"), "volumes");
  assert.equal(fieldOfIssue("config.privileged"), null, "no such field: shown above the form");
  assert.equal(fieldOfIssue("config"), null);
});

Deno.test("a pasted config fills the fields; unknown keys are named", () => {
  assert.deepEqual(textsFromJson(JSON.stringify(shipped)), { texts: textsOf(shipped) });
  assert.deepEqual(textsFromJson('{"id": "x", "privileged": true}'), {
    problem: "not fields of a model config: privileged",
  });
  assert.match((textsFromJson("{") as { problem: string }).problem, /^not JSON/);
});
