/**
 * The generic Gradio backend with a declarative template, against the fake Gradio 5 server.
 */
import assert from "node:assert/strict";
import { fileApp, ttsApp } from "../../../test/fakes/gradio/apps.ts";
import { startFakeGradio } from "../../../test/fakes/gradio/mod.ts";
import { type BackendJob, JobFailure } from "../backend.ts";
import { createGradioBackend, GradioBackend } from "./backend.ts";
import { parseGradioTemplate } from "./template.ts";

const signal = new AbortController().signal;

function voiceTemplate(app: string, extra: Record<string, unknown> = {}) {
  return parseGradioTemplate("voice.synthesize.standard", {
    nodeType: "voice.synthesize",
    tier: "standard",
    app,
    endpoint: "/predict",
    vramMiB: 4096,
    inputs: [{ param: "text" }, { value: "en" }, { param: "seed" }],
    ...extra,
  });
}

async function job(extra: Partial<BackendJob> = {}): Promise<BackendJob> {
  return {
    jobId: crypto.randomUUID(),
    nodeType: "voice.synthesize",
    tier: "standard",
    params: { text: "Where were you last night?" },
    inputs: [],
    workDir: await Deno.makeTempDir({ prefix: "md-gradio-job-" }),
    ...extra,
  };
}

Deno.test("a template runs its app's named endpoint; the take is the app's audio", async () => {
  await using tts = await startFakeGradio(ttsApp());
  const backend = new GradioBackend({ templates: [voiceTemplate(tts.url)] });
  const status = await backend.probe();
  assert.equal(status.healthy, true);
  assert.deepEqual(status.runnable, [{ nodeType: "voice.synthesize", tier: "standard" }]);
  const result = await backend.run(await job(), { signal, onProgress: () => {} });
  assert.equal(result.template, "voice.synthesize.standard");
  assert.equal(typeof result.seed, "number", "the seed the agent picked is lineage");
  const [take] = result.outputs;
  assert.equal(take!.ext, "wav");
  assert.equal(take!.contentType, "audio/wav");
  assert.ok((await Deno.stat(take!.path)).size > 1000);
  const join = tts.requests.find((r) => r.path === "/gradio_api/queue/join")!;
  const data = (join.body as { data: unknown[] }).data;
  assert.deepEqual(data, ["Where were you last night?", "en", result.seed], "typed data, in order");
  await backend.close();
});

Deno.test("an endpoint that does not match the template is not advertised, with the reason", async () => {
  await using app = await startFakeGradio(fileApp());
  const backend = new GradioBackend({
    templates: [voiceTemplate(app.url, { endpoint: "/generate" })],
  });
  const status = await backend.probe();
  assert.equal(status.healthy, true, "the app answers");
  assert.deepEqual(status.runnable, []);
  assert.deepEqual(backend.describe(), [
    `voice.synthesize.standard (voice.synthesize at standard): ${app.url} /generate: ` +
    `${app.url}/generate takes 1 inputs; the template gives 3`,
  ]);
  await backend.close();
});

Deno.test("no app answering makes the backend unhealthy, naming what to start", async () => {
  const backend = new GradioBackend({ templates: [voiceTemplate("http://127.0.0.1:9")] });
  const status = await backend.probe();
  assert.equal(status.healthy, false);
  assert.match(
    status.problem!,
    /no Gradio app of your templates answered: start http:\/\/127\.0\.0\.1:9/,
  );
  assert.equal(backend.canRun("voice.synthesize", "standard"), false);
});

Deno.test("a value of the wrong type for the app is refused before anything is sent", async () => {
  await using tts = await startFakeGradio(ttsApp());
  // The app's third input is a number; this template sends the text there.
  const backend = new GradioBackend({
    templates: [
      voiceTemplate(tts.url, { inputs: [{ param: "text" }, { value: "en" }, { param: "text" }] }),
    ],
  });
  await backend.probe();
  await assert.rejects(
    backend.run(await job(), { signal, onProgress: () => {} }),
    (e: JobFailure) =>
      e.code === "validation" &&
      e.message ===
        `template voice.synthesize.standard input 3 gives a string; the app's "Seed" takes a number`,
  );
  assert.ok(!tts.requests.some((r) => r.path.includes("queue/join")), "nothing was sent");
  await backend.close();
});

Deno.test("bad params are refused by the node's schema, naming the field", async () => {
  await using tts = await startFakeGradio(ttsApp());
  const backend = new GradioBackend({ templates: [voiceTemplate(tts.url)] });
  await backend.probe();
  await assert.rejects(
    backend.run(await job({ params: { text: "", seed: -3 } }), { signal, onProgress: () => {} }),
    (e: JobFailure) =>
      e.code === "validation" && /params\.text: prompt is required/.test(e.message) &&
      /params\.seed/.test(e.message),
  );
  await backend.close();
});

Deno.test("templates are checked against the catalog; a bad one is skipped with its reason", async () => {
  const dir = await Deno.makeTempDir();
  const write = (name: string, value: unknown) =>
    Deno.writeTextFile(`${dir}/${name}.gradio.json`, JSON.stringify(value));
  const good = {
    nodeType: "audio.generate",
    tier: "low",
    app: "http://127.0.0.1:7860",
    endpoint: "/predict",
    vramMiB: 0,
    inputs: [{ param: "prompt" }],
  };
  await write("music", good);
  await write("upscale", { ...good, nodeType: "upscale", tier: "standard" });
  await write("typo", { ...good, inputs: [{ param: "promt" }] });
  await write("shell", { ...good, app: "file:///etc/passwd" });
  await Deno.writeTextFile(`${dir}/garbled.gradio.json`, "{");
  const backend = await createGradioBackend({ dirs: [dir, `${dir}/absent`] });
  assert.deepEqual(backend!.templates.map((t) => t.name), ["music"]);
  const problems = backend!.templateProblems.join("\n");
  assert.match(problems, /garbled\.gradio\.json is not valid JSON/);
  assert.match(problems, /shell\.gradio\.json: app: app is an http:\/\/ or https:\/\/ URL/);
  assert.match(
    problems,
    /typo\.gradio\.json: inputs\.0\.param "promt" is not a audio\.generate parameter/,
  );
  assert.match(problems, /upscale\.gradio\.json: upscale nodes do not run on Gradio apps/);
  assert.equal(
    await createGradioBackend({ dirs: [`${dir}/absent`] }),
    null,
    "no templates, no backend",
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("the README's Gradio template example runs as documented", async () => {
  const { readmeGradioTemplate } = await import("../../../test/agent/readme_template.ts");
  await using tts = await startFakeGradio(ttsApp());
  const { name, value } = await readmeGradioTemplate();
  const template = parseGradioTemplate(name, { ...(value as object), app: tts.url });
  const backend = new GradioBackend({ templates: [template] });
  await backend.probe();
  assert.equal(backend.canRun("voice.synthesize", "standard"), true, backend.describe().join("\n"));
  const result = await backend.run(await job(), { signal, onProgress: () => {} });
  assert.equal(result.outputs[0]!.contentType, "audio/wav");
  await backend.close();
});
