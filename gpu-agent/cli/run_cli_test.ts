import assert from "node:assert/strict";
import type { BackendStatus, JobBackend } from "../backends/backend.ts";
import { DETECTION } from "../../test/agent/detection_fixture.ts";
import { runCli } from "./run_cli.ts";
import { MAKE_A_TOKEN } from "./help.ts";

const FFMPEG_OK: BackendStatus = {
  kind: "ffmpeg",
  version: "7.1",
  healthy: true,
  templates: ["transition", "composite", "upscale"],
  models: [],
  runnable: [{ nodeType: "transition", tier: "standard" }],
};

const fakeBackend = (status: BackendStatus): JobBackend => ({
  kind: status.kind,
  probe: () => Promise.resolve(status),
  canRun: () => status.healthy,
  run: () => Promise.reject(new Error("unused")),
});

/** Config folders made by cli(), removed when the test module ends. */
const tempDirs: string[] = [];
globalThis.addEventListener("unload", () => {
  for (const dir of tempDirs) Deno.removeSync(dir, { recursive: true });
});

async function cli(argv: string[], env: Record<string, string> = {}) {
  const configDir = await Deno.makeTempDir();
  tempDirs.push(configDir);
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    env: { HOME: "/home/test", MD_CONFIG_DIR: configDir, ...env },
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    detect: () => Promise.resolve(DETECTION),
    backends: () => Promise.resolve([fakeBackend(FFMPEG_OK)]),
  });
  return { code, out: out.join("\n"), err: err.join("\n"), configDir };
}

/** A stand-in edge: /healthz, and /api/agent/v1/enroll accepting one token. */
function fakeEdge() {
  const enrollBodies: unknown[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const path = new URL(req.url).pathname;
    if (path === "/healthz") return new Response("ok");
    if (path === "/api/agent/v1/enroll" && req.method === "POST") {
      const body = await req.json() as { token?: string; name?: string };
      enrollBodies.push(body);
      if (body.token !== "good-token") {
        return Response.json(
          { error: { code: "bad_enrollment_token", message: "unknown token" } },
          { status: 401 },
        );
      }
      return Response.json({
        agentId: "agent-1",
        secret: "s3cret",
        name: body.name ?? "render-01",
        heartbeatIntervalMs: 15000,
      });
    }
    return new Response("no", { status: 404 });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    enrollBodies,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

Deno.test("--help prints usage with the exit code table and exits 0; no command exits 2", async () => {
  const help = await cli(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.out, /enroll --server URL --token TOKEN/);
  assert.match(help.out, /4 edge unreachable, 130 interrupted/);
  assert.equal((await cli([])).code, 2);
});

Deno.test("usage errors name the flag and exit 2", async () => {
  const unknown = await cli(["doctor", "--gpu", "0"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /error: unknown flag --gpu/);
  const noToken = await cli(["enroll", "--server", "http://127.0.0.1:1"]);
  assert.equal(noToken.code, 2);
  assert.match(noToken.err, /enroll needs --token TOKEN/);
  const badUrl = await cli(["enroll", "--server", "studio", "--token", "t"]);
  assert.match(badUrl.err, /--server is not a URL: "studio"/);
  const noValue = await cli(["enroll", "--token"]);
  assert.match(noValue.err, /--token needs a value/);
  const badCommand = await cli(["start"]);
  assert.match(badCommand.err, /unknown command "start"/);
});

Deno.test("doctor lists GPUs, backends and eligible work; exit 0 when the edge answers", async () => {
  await using edge = fakeEdge();
  const { code, out } = await cli(["doctor", "--server", edge.url]);
  assert.match(out, /0 {2}NVIDIA GeForce RTX 4090: 24564 MiB \(23897 MiB free\)/);
  assert.match(out, /ffmpeg 7\.1: ok \(transition, composite, upscale\)/);
  assert.match(out, /transition: standard/);
  assert.match(out, new RegExp(`Edge +${edge.url}: reachable`));
  assert.match(out, /Enrolled {2}no/);
  assert.equal(code, 0, out);
});

Deno.test("doctor exits 4 with a fix when the edge is unreachable", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const { code, out } = await cli(["doctor"], { MD_SERVER_URL: `http://127.0.0.1:${port}` });
  assert.equal(code, 4);
  assert.match(out, /is unreachable .*check the URL and your network/);
});

Deno.test({
  name: "enroll saves the credentials 0600 and sends the detected profile",
  ignore: Deno.build.os === "windows",
  async fn() {
    await using edge = fakeEdge();
    const { code, out, configDir } = await cli([
      "enroll",
      "--server",
      edge.url,
      "--token",
      "good-token",
      "--name",
      "rig",
    ]);
    assert.equal(code, 0, out);
    assert.match(out, /enrolled as rig \(agent-1\)/);
    const saved = JSON.parse(await Deno.readTextFile(`${configDir}/agent.json`));
    assert.equal(saved.secret, "s3cret");
    assert.equal(saved.serverUrl, edge.url);
    assert.equal((await Deno.stat(`${configDir}/agent.json`)).mode! & 0o777, 0o600);
    const body = edge.enrollBodies[0] as {
      profile: { gpus: unknown[]; backends: BackendStatus[] };
    };
    assert.equal(body.profile.gpus.length, 1);
    assert.equal(body.profile.backends[0]!.kind, "ffmpeg");
  },
});

Deno.test("enroll with a rejected token exits 3 and says to make a new one", async () => {
  await using edge = fakeEdge();
  const { code, err, configDir } = await cli(["enroll", "--server", edge.url, "--token", "used"]);
  assert.equal(code, 3);
  assert.match(err, /token is unknown, used or expired/);
  assert.ok(err.includes(`fix: ${MAKE_A_TOKEN}`), err);
  await assert.rejects(Deno.stat(`${configDir}/agent.json`), Deno.errors.NotFound);
});

Deno.test("run before enrolling exits 3 and says how to enroll", async () => {
  const { code, err } = await cli(["run"]);
  assert.equal(code, 3);
  assert.match(err, /error: not enrolled/);
  assert.ok(err.includes(`fix: ${MAKE_A_TOKEN}`), err);
});

Deno.test("export's usage errors name the fix: no --project, no folder, two folders, no server, no sign-in", async () => {
  const id = crypto.randomUUID();
  const cases: Array<[string[], Record<string, string>, RegExp]> = [
    [["export", "out"], {}, /export needs --project ID \(export --project ID DIR\)/],
    [["export", "--project", id], {}, /export needs exactly one folder to write into/],
    [["export", "--project", id, "a", "b"], {}, /export needs exactly one folder/],
    [["export", "--project", id, "out"], {}, /export needs --server URL \(or MD_SERVER_URL\)/],
    [
      ["export", "--project", id, "--server", "http://127.0.0.1:9", "out"],
      {},
      /no one is signed in\nfix: set MD_TOKEN to your session token/,
    ],
    [["run", "extra"], {}, /unexpected argument "extra" \(one command at a time\)/],
    [["run", "--project", id], {}, /--project only applies to export/],
  ];
  for (const [argv, env, message] of cases) {
    const result = await cli(argv, env);
    assert.match(result.err, message, argv.join(" "));
    assert.notEqual(result.code, 0, argv.join(" "));
  }
});
