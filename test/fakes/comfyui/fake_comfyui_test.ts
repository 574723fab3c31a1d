/**
 * Replays every recorded scenario against the fake and compares what comes back with the
 * transcript: the `/ws` message order, each message's data shape and meaningful values, the
 * HTTP status codes and bodies.
 */
import assert from "node:assert/strict";
import { type FakeComfyUI, startFakeComfyUI } from "./mod.ts";
import { readRecording } from "./recordings.ts";
import { describe, WsEntry, WsLog } from "./transcript.ts";
import type { ComfyVersion } from "./types.ts";

const VERSIONS: ComfyVersion[] = ["0.3.64", "0.8.0"];

interface Exchange {
  request: { method: string; url: string; body?: unknown };
  status: number;
  body: unknown;
}
interface RunRecording {
  clientId: string;
  postPrompt: Exchange & { request: { body: Record<string, unknown> } };
  history: Exchange;
  ws: (WsEntry & { decoded?: { metadata?: Record<string, unknown> } })[];
  during?: Record<string, Exchange>;
  view?: { url: string; status: number; contentType: string; bytes: number };
  viewMissing?: Exchange;
}

/** The recording's ws entries in the same form the live log holds. */
function recordedEntries(run: RunRecording): WsEntry[] {
  return run.ws.map((m) =>
    "binary" in m && m.binary
      ? {
        binary: true,
        eventType: m.eventType,
        ...(m.decoded?.metadata ? { metadata: m.decoded.metadata } : {}),
      }
      : m
  );
}

async function call(
  fake: FakeComfyUI,
  exchange: Exchange,
): Promise<{ status: number; body: unknown }> {
  const { method, url, body } = exchange.request;
  const init: RequestInit = { method };
  if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
  const response = await fetch(fake.url + url, init);
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === "" ? { binary: true, bytes: 0 } : JSON.parse(text);
  } catch {
    // plain text bodies stay strings, as recorded
  }
  return { status: response.status, body: parsed };
}

function isMessage(type: string, test: (data: Record<string, unknown>) => boolean = () => true) {
  return (e: WsEntry) => "type" in e && e.type === type && test(e.data);
}

/** Opens the recorded client's socket and waits for the greeting (and flags when recorded). */
async function connect(fake: FakeComfyUI, run: RunRecording): Promise<WsLog> {
  const log = new WsLog(`${fake.url.replace("http", "ws")}/ws?clientId=${run.clientId}`);
  await log.waitFor(isMessage("status"));
  if (run.ws.some((m) => "type" in m && m.type === "feature_flags")) {
    log.socket.send(
      JSON.stringify({ type: "feature_flags", data: { supports_preview_metadata: true } }),
    );
    await log.waitFor(isMessage("feature_flags"));
  }
  return log;
}

/** Replays one run: its setup, the POST, the recorded mid-run actions, and returns the log. */
async function replay(fake: FakeComfyUI, version: ComfyVersion, name: string) {
  const run = await readRecording<RunRecording>(version, `${name}.json`);
  if (name === "run_success_cached") {
    const first = await readRecording<RunRecording>(version, "run_success.json");
    const warm = await connect(fake, first);
    await call(fake, first.postPrompt);
    await warm.done();
    await warm.close();
  }
  if (name === "run_runtime_error_loadimage") {
    const form = new FormData();
    form.append("image", new File(["this is text, not pixels"], "not_an_image.png"));
    await (await fetch(`${fake.url}/upload/image`, { method: "POST", body: form })).body?.cancel();
  }
  const responses: Record<string, { status: number; body: unknown }> = {};
  let promptId = "";
  if (name === "run_progress_interrupt") {
    fake.behaviour.hold = async ({ step }) => {
      if (step === 3) {
        responses.interrupt = await call(fake, {
          ...run.during!.interrupt!,
          request: { ...run.during!.interrupt!.request, body: { prompt_id: promptId } },
        });
      }
    };
  }
  if (name === "run_interrupt") {
    // The recording posted a second prompt while node 1 ran, and cleaned up while node 2 ran.
    const during = run.during!;
    let secondId = "";
    fake.behaviour.hold = async ({ nodeId, promptId: running }) => {
      if (running !== promptId) return;
      if (nodeId === "1") {
        const second = await call(fake, during.postSecond!);
        secondId = (second.body as { prompt_id: string }).prompt_id;
        responses.postSecond = second;
      }
      if (nodeId === "2") {
        responses.queueWhileRunning = await call(fake, during.queueWhileRunning!);
        responses.getPromptWhileRunning = await call(fake, during.getPromptWhileRunning!);
        responses.deletePending = await call(fake, {
          ...during.deletePending!,
          request: { ...during.deletePending!.request, body: { delete: [secondId] } },
        });
        responses.queueAfterDelete = await call(fake, during.queueAfterDelete!);
        responses.interruptTargetedWrongId = await call(fake, during.interruptTargetedWrongId!);
        responses.interrupt = await call(fake, {
          ...during.interrupt!,
          request: { ...during.interrupt!.request, body: { prompt_id: promptId } },
        });
      }
    };
  }
  const log = await connect(fake, run);
  const posted = await call(fake, run.postPrompt);
  promptId = (posted.body as { prompt_id: string }).prompt_id;
  await log.done();
  await log.close();
  const history = await call(fake, {
    ...run.history,
    request: { method: "GET", url: `/history/${promptId}` },
  });
  return { run, log, posted, history, responses, promptId };
}

function historyShape(body: unknown) {
  const [entry] = Object.values(body as Record<string, Record<string, unknown>>);
  const status = entry!.status as { status_str: string; completed: boolean; messages: [string][] };
  return {
    keys: Object.keys(entry!).sort(),
    promptLength: (entry!.prompt as unknown[]).length,
    extraKeys: Object.keys((entry!.prompt as unknown[])[3] as object).sort(),
    outputs: Object.keys(entry!.outputs as object),
    status: [status.status_str, status.completed, status.messages.map((m) => m[0])],
  };
}

const RUNS = [
  "run_success",
  "run_success_cached",
  "run_runtime_error",
  "run_runtime_error_loadimage",
  "run_progress_legacy_previews",
  "run_progress_preview_metadata",
  "run_progress_runtime_error",
  "run_progress_interrupt",
  "run_interrupt",
];

for (const version of VERSIONS) {
  for (const name of RUNS) {
    Deno.test(`fake ${version} replays ${name}: same /ws messages, in the recorded order`, async () => {
      const fake = await startFakeComfyUI({ version });
      try {
        const { run, log, posted, history, responses } = await replay(fake, version, name);
        assert.equal(posted.status, run.postPrompt.status);
        assert.deepEqual(
          Object.keys(posted.body as object),
          Object.keys(run.postPrompt.body as object),
        );
        assert.deepEqual(log.entries.map(describe), recordedEntries(run).map(describe));
        assert.deepEqual(historyShape(history.body), historyShape(run.history.body));
        for (const [key, got] of Object.entries(responses)) {
          const want = run.during![key]!;
          assert.equal(got.status, want.status, key);
          if (key.startsWith("queue")) {
            const shape = (b: unknown) =>
              Object.entries(b as Record<string, unknown[][]>).map((
                [k, items],
              ) => [k, items.length, items.map((i) => Object.keys(i[3] as object).sort())]);
            assert.deepEqual(shape(got.body), shape(want.body), key);
          } else if (key !== "postSecond") {
            assert.deepEqual(got.body, want.body, key);
          }
        }
      } finally {
        fake.behaviour.hold = undefined;
        await fake.stop();
      }
    });
  }

  Deno.test(`fake ${version} answers every recorded invalid prompt with the recorded 400 body`, async () => {
    const fake = await startFakeComfyUI({ version });
    try {
      const cases = await readRecording<Record<string, Exchange>>(
        version,
        "validation_errors.json",
      );
      for (const [name, exchange] of Object.entries(cases)) {
        const got = await call(fake, exchange);
        assert.equal(got.status, exchange.status, name);
        assert.deepEqual(got.body, exchange.body, name);
      }
    } finally {
      await fake.stop();
    }
  });

  Deno.test(`fake ${version} answers the recorded GETs with the recorded bodies`, async () => {
    const fake = await startFakeComfyUI({ version });
    try {
      const gets = await readRecording<Record<string, Exchange>>(version, "misc_get.json");
      for (const [path, exchange] of Object.entries(gets)) {
        const got = await call(fake, exchange);
        assert.equal(got.status, exchange.status, path);
        if (path === "/object_info/EmptyImage" || !path.startsWith("/object_info")) {
          assert.deepEqual(got.body, exchange.body, path);
        }
      }
      const stats = await readRecording<Exchange>(version, "system_stats.json");
      const got = (await call(fake, stats)).body as {
        system: unknown;
        devices: Record<string, unknown>[];
      };
      const want = stats.body as { system: unknown; devices: Record<string, unknown>[] };
      assert.deepEqual(got.system, want.system);
      assert.deepEqual(Object.keys(got.devices[0]!).sort(), Object.keys(want.devices[0]!).sort());
      const summary = await readRecording<{ count: number }>(version, "object_info_summary.json");
      assert.equal(
        Object.keys(
          (await call(fake, { request: { method: "GET", url: "/object_info" } } as Exchange))
            .body as object,
        ).length,
        summary.count,
      );
    } finally {
      await fake.stop();
    }
  });
}

Deno.test("fake serves the saved image from /view byte for byte, and 404 for a missing file", async () => {
  const fake = await startFakeComfyUI({ version: "0.3.64" });
  try {
    const { run, history } = await replay(fake, "0.3.64", "run_success");
    const [entry] = Object.values(
      history.body as Record<
        string,
        { outputs: Record<string, { images: { filename: string }[] }> }
      >,
    );
    const filename = entry!.outputs["3"]!.images[0]!.filename;
    const response = await fetch(`${fake.url}/view?filename=${filename}&subfolder=&type=output`);
    assert.equal(response.headers.get("content-type"), run.view!.contentType);
    assert.equal((await response.bytes()).length, run.view!.bytes);
    const missing = await call(fake, run.viewMissing!);
    assert.equal(missing.status, 404);
  } finally {
    await fake.stop();
  }
});

Deno.test("fake restart drops sockets and forgets queue and history, but keeps output files", async () => {
  const fake = await startFakeComfyUI();
  try {
    const { promptId } = await replay(fake, "0.8.0", "run_success");
    const ref = fake.history(promptId)!.outputs["3"]!.images![0] as {
      filename: string;
      subfolder: string;
      type: "output";
    };
    const log = new WsLog(`${fake.url.replace("http", "ws")}/ws?clientId=watcher`);
    await log.waitFor(isMessage("status"));
    await fake.restart();
    await log.close();
    assert.deepEqual(
      (await call(fake, { request: { method: "GET", url: `/history/${promptId}` } } as Exchange))
        .body,
      {},
    );
    assert.ok(fake.file(ref), "output files live on disk and survive");
    const again = await call(
      fake,
      { request: { method: "POST", url: "/prompt", body: { prompt: {} } } } as Exchange,
    );
    assert.equal(again.status, 400);
  } finally {
    await fake.stop();
  }
});

Deno.test("fake sends type-4 preview frames with the recorded metadata length", async () => {
  const fake = await startFakeComfyUI({ version: "0.3.64" });
  try {
    const { run, log } = await replay(fake, "0.3.64", "run_progress_preview_metadata");
    const recorded = run.ws.find((m) => "binary" in m) as unknown as {
      decoded: { metadataLength: number };
    };
    const frame = log.rawFrames[0]!;
    assert.equal(new DataView(frame.buffer).getUint32(4), recorded.decoded.metadataLength);
    assert.deepEqual([
      ...frame.subarray(8 + recorded.decoded.metadataLength, 11 + recorded.decoded.metadataLength),
    ], [0xff, 0xd8, 0xff]);
  } finally {
    await fake.stop();
  }
});
