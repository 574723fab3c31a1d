/**
 * The fake Gradio server spoken to by @gradio/client itself: the message order of a run, queue
 * positions, errors, cancel, a full queue, uploads and file serving, each as Gradio 5's source
 * has it (see queue.ts and routes.ts for the lines followed).
 */
import assert from "node:assert/strict";
import { Client, handle_file } from "@gradio/client";
import {
  type AppSpec,
  type FnContext,
  GradioError,
  type ServerMessage,
  startFakeGradio,
} from "./mod.ts";

type Fn = (inputs: unknown[], context: FnContext) => Promise<unknown[]> | unknown[];

function app(fn: Fn, extra: Partial<AppSpec> = {}): AppSpec {
  return {
    title: "test app",
    endpoints: [{
      apiName: "generate",
      inputs: [{ type: "textbox", label: "Prompt" }, { type: "file", label: "Image" }],
      outputs: [{ type: "file", label: "Result" }],
      fn,
    }],
    ...extra,
  };
}

async function writeTemp(text: string): Promise<string> {
  const path = await Deno.makeTempFile({ suffix: ".txt" });
  await Deno.writeTextFile(path, text);
  return path;
}

const connect = (url: string) =>
  Client.connect(url, { events: ["data", "status"], record_history: false });

// deno-lint-ignore no-explicit-any
type Event = any;

async function collect(iterable: AsyncIterable<Event>): Promise<Event[]> {
  const events: Event[] = [];
  for await (const event of iterable) events.push(event);
  return events;
}

Deno.test("a run's messages come in Gradio 5's order and the client reports each", async () => {
  await using gradio = await startFakeGradio(app(async ([prompt, image], { progress }) => {
    for (let i = 1; i <= 3; i++) {
      progress([i, 3], "Denoising");
      await new Promise((r) => setTimeout(r, 110));
    }
    return [await writeTemp(`${prompt} + ${await Deno.readTextFile(String(image))}`)];
  }));
  const sent: ServerMessage[] = [];
  gradio.hooks = { sent: (m) => sent.push(m) };
  const client = await connect(gradio.url);
  const events = await collect(
    client.submit("/generate", ["a red door", handle_file(new File(["pixels"], "start.png"))]),
  );
  client.close();
  assert.deepEqual(
    sent.map((m) => m.msg),
    [
      "estimation",
      "process_starts",
      "progress",
      "progress",
      "progress",
      "process_completed",
      "close_stream",
    ],
  );
  assert.deepEqual(Object.keys(sent[0]!), ["msg", "event_id", "rank", "queue_size", "rank_eta"]);
  assert.deepEqual(sent[2]!.progress_data, [
    { index: 1, length: 3, unit: "steps", progress: null, desc: "Denoising" },
  ]);
  const completed = sent[5]!;
  assert.equal(completed.success, true);
  assert.deepEqual(Object.keys(completed.output as object), [
    "data",
    "is_generating",
    "duration",
    "average_duration",
    "render_config",
    "changed_state_ids",
  ]);
  const stages = events.filter((e) => e.type === "status").map((e) => e.stage);
  assert.equal(stages.at(-1), "complete");
  const [file] = events.find((e) => e.type === "data").data;
  assert.equal(file.meta._type, "gradio.FileData");
  assert.match(file.url, new RegExp(`^${gradio.url}/gradio_api/file=/`));
  // The upload reached the function as a local file, and the output is served back.
  assert.equal(await (await fetch(file.url)).text(), "a red door + pixels");
});

Deno.test("events behind a running one hear how many are ahead, counting down", async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => release = r);
  await using gradio = await startFakeGradio(app(async ([prompt]) => {
    if (prompt === "first") await gate;
    return [await writeTemp(String(prompt))];
  }));
  const clients = await Promise.all([0, 1, 2].map(() => connect(gradio.url)));
  const runs: Promise<Event[]>[] = [];
  const first = clients[0]!.submit("/generate", ["first", null]);
  runs.push(collect(first));
  while (gradio.queueSize() > 0 || !gradio.requests.some((r) => r.path.includes("queue/data"))) {
    await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 100)); // the first has started
  runs.push(collect(clients[1]!.submit("/generate", ["second", null])));
  await new Promise((r) => setTimeout(r, 100));
  runs.push(collect(clients[2]!.submit("/generate", ["third", null])));
  await new Promise((r) => setTimeout(r, 150));
  release();
  const [, , third] = await Promise.all(runs);
  for (const c of clients) c.close();
  const positions = third!.filter((e) => e.type === "status" && e.position !== undefined)
    .map((e) => e.position);
  assert.equal(positions[0], 1, "third in line: one event ahead of it");
  assert.ok(positions.includes(0), "then none ahead");
  assert.equal(third!.at(-1).stage, "complete");
});

Deno.test("gr.Error's message always reaches the client; other exceptions only with show_error", async () => {
  for (const showError of [false, true]) {
    await using gradio = await startFakeGradio(app(([prompt]) => {
      if (prompt === "gr") throw new GradioError("Resolution 1000x480 is not supported");
      throw new Error("CUDA out of memory");
    }, { showError }));
    const client = await connect(gradio.url);
    const gr = (await collect(client.submit("/generate", ["gr", null]))).at(-1);
    assert.equal(gr.stage, "error");
    assert.equal(gr.message, "Resolution 1000x480 is not supported");
    const other = (await collect(client.submit("/generate", ["other", null]))).at(-1);
    assert.equal(other.stage, "error");
    assert.equal(other.message, showError ? "CUDA out of memory" : "An error occurred");
    client.close();
  }
});

Deno.test("cancel aborts the running function and completes the event", async () => {
  let aborted = false;
  let started!: () => void;
  const running = new Promise<void>((r) => started = r);
  await using gradio = await startFakeGradio(app(async (_inputs, { signal }) => {
    started();
    await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve()));
    aborted = true;
    return [null];
  }));
  const client = await connect(gradio.url);
  const job = client.submit("/generate", ["long", null]);
  const events = collect(job);
  await running;
  await job.cancel();
  const seen = await events;
  client.close();
  assert.ok(aborted, "the function saw the cancel");
  const cancel = gradio.requests.find((r) => r.path === "/gradio_api/cancel");
  assert.deepEqual(Object.keys(cancel!.body as object).sort(), [
    "event_id",
    "fn_index",
    "session_hash",
  ]);
  assert.ok(gradio.requests.some((r) => r.path === "/gradio_api/reset"), "then /reset");
  // routes.py 1384-1391 completes a canceled event with `output: {}`; @gradio/client 2.7.0 then
  // fails reading its absent `data` and reports an error: what a caller sees after a cancel.
  assert.equal(seen.at(-1).stage, "error");
  assert.equal(seen.at(-1).message, "An Unexpected Error Occurred!");
});

Deno.test("a full queue answers 503 on join, which the client reports as busy", async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => release = r);
  await using gradio = await startFakeGradio(app(async () => {
    await gate;
    return [null];
  }, { maxSize: 1 }));
  const client = await connect(gradio.url);
  const first = collect(client.submit("/generate", ["a", null]));
  await new Promise((r) => setTimeout(r, 150)); // running: the queue is empty again
  const second = collect(client.submit("/generate", ["b", null]));
  await new Promise((r) => setTimeout(r, 50)); // waiting: the queue holds one
  const third = await collect(client.submit("/generate", ["c", null]));
  assert.equal(third.at(-1).stage, "error");
  assert.match(third.at(-1).message, /This application is currently busy/);
  const join = await fetch(`${gradio.url}/gradio_api/queue/join`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ data: [], fn_index: 0, session_hash: "x" }),
  });
  assert.equal(join.status, 503);
  assert.deepEqual(await join.json(), { detail: "Queue is full. Max size is 1 and size is 1." });
  release();
  await Promise.all([first, second]);
  client.close();
});

Deno.test("only uploads and outputs are served; an input naming another file is refused", async () => {
  await using gradio = await startFakeGradio(
    app(([, image]) => [String(image)], { showError: true }),
  );
  const denied = await fetch(`${gradio.url}/gradio_api/file=/etc/passwd`);
  assert.equal(denied.status, 403);
  assert.deepEqual(await denied.json(), { detail: "File not allowed: /etc/passwd." });
  const client = await connect(gradio.url);
  const events = await collect(client.submit("/generate", ["x", {
    path: "/etc/passwd",
    meta: { _type: "gradio.FileData" },
  }]));
  client.close();
  assert.equal(events.at(-1).stage, "error");
  assert.match(events.at(-1).message, /is not in the upload folder and cannot be accessed/);
});

Deno.test("a stream for a session with no event says session_not_found", async () => {
  await using gradio = await startFakeGradio(app(() => Promise.resolve([null])));
  const text = await (await fetch(`${gradio.url}/gradio_api/queue/data?session_hash=nobody`))
    .text();
  assert.equal(
    text,
    'data: {"msg":"unexpected_error","event_id":null,"message":"404: Not Found",' +
      '"session_not_found":true,"success":false}\n\n',
  );
});
