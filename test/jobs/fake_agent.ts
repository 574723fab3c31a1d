/**
 * A scripted GPU agent for edge tests: enrolls through the real API with a chosen profile and
 * makes the agent calls (claim, events, outputs, upload, complete, fail, release) one by one, so
 * a test can stop it anywhere (a crash) or make it misbehave. Uploads go through the app's own
 * `/api/blobs` route (the local store), or through `fetch` for any other URL (S3).
 */
import type { AgentProfile, ClaimedJob, CompletedOutput, Take } from "../../protocol/jobs.ts";
import type { Backend } from "../../protocol/nodes.ts";
import { call, type TestApp } from "../../edge/testing.ts";
import { toHex } from "../../edge/lib/bytes.ts";

/** What nvidia-smi reports for cards sold as 12, 16 and 24 GB. */
export const CARD_MIB = { gb12: 12282, gb16: 16376, gb24: 24564 } as const;

export function agentProfile(options: {
  vramMiB?: number;
  backends?: Backend[];
  models?: string[];
  concurrency?: number;
  unhealthy?: Backend[];
} = {}): AgentProfile {
  const backends = options.backends ?? ["comfyui", "ffmpeg"];
  return {
    hostname: "render-box",
    os: "linux",
    gpus: options.vramMiB === 0 ? [] : [{
      index: 0,
      name: "NVIDIA GeForce RTX",
      vendor: "nvidia",
      vramTotalMiB: options.vramMiB ?? CARD_MIB.gb24,
      vramFreeMiB: options.vramMiB ?? CARD_MIB.gb24,
    }],
    backends: [...backends, ...(options.unhealthy ?? [])].map((kind) => ({
      kind,
      version: "1.0",
      healthy: !options.unhealthy?.includes(kind),
      templates: [],
      models: options.models ?? [],
    })),
    concurrency: options.concurrency ?? 1,
  };
}

type App = Pick<TestApp, "app">;
type Reply = Awaited<ReturnType<typeof call>>;

export class FakeAgent {
  constructor(readonly t: App, readonly id: string, readonly credential: string) {}

  call(method: string, path: string, body?: unknown): Promise<Reply> {
    return call(this.t, method, `/api/agent/v1${path}`, { token: this.credential, body });
  }

  /** Completes a claimed job with one small output, reporting `peakVramMiB` if given. */
  async finishWithPeak(job: ClaimedJob, peakVramMiB?: number): Promise<Reply> {
    const output = await this.upload(job.id, new TextEncoder().encode(`take of ${job.id}`));
    return await this.complete(job.id, [output], {
      template: `${job.nodeType}.${job.tier}`,
      ...(peakVramMiB === undefined ? {} : { peakVramMiB }),
    });
  }

  async claim(waitMs = 0): Promise<ClaimedJob | null> {
    const res = await this.call("POST", "/claim", { waitMs });
    if (res.status !== 200) throw new Error(`claim: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.job;
  }

  event(jobId: string, percent = 50, extra: Record<string, unknown> = {}): Promise<Reply> {
    return this.call("POST", `/jobs/${jobId}/events`, {
      percent,
      message: `at ${percent}%`,
      ...extra,
    });
  }

  /** Reserves an output, uploads `bytes` to its URL; returns what `complete` needs. */
  async upload(
    jobId: string,
    bytes: Uint8Array<ArrayBuffer>,
    ext = "mp4",
    contentType = "video/mp4",
  ) {
    const out = await this.call("POST", `/jobs/${jobId}/outputs`, { ext, contentType });
    if (out.status !== 201) throw new Error(`outputs: ${out.status} ${JSON.stringify(out.body)}`);
    const put = await putBlob(this.t, out.body.uploadUrl, out.body.headers, bytes);
    if (put.status >= 300) throw new Error(`upload: ${put.status} ${await put.text()}`);
    await put.body?.cancel();
    const digest = toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)));
    return {
      takeId: out.body.takeId as string,
      key: out.body.key as string,
      bytes: bytes.byteLength,
      sha256: digest,
      contentType,
    };
  }

  complete(
    jobId: string,
    outputs: CompletedOutput[],
    lineage: Record<string, unknown> = {},
  ): Promise<Reply> {
    return this.call("POST", `/jobs/${jobId}/complete`, { outputs, ...lineage });
  }

  /** Runs a claimed job to success with one small output. */
  async finish(job: ClaimedJob, content = `take of ${job.id}`): Promise<Take[]> {
    const output = await this.upload(job.id, new TextEncoder().encode(content));
    const res = await this.complete(job.id, [output], { template: "wan_t2v", seed: 7 });
    if (res.status !== 200) throw new Error(`complete: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.takes;
  }

  fail(jobId: string, reason: string, retriable: boolean): Promise<Reply> {
    return this.call("POST", `/jobs/${jobId}/fail`, { reason, retriable });
  }

  release(jobId: string): Promise<Reply> {
    return this.call("POST", `/jobs/${jobId}/release`);
  }

  heartbeat(profile: AgentProfile): Promise<Reply> {
    return this.call("POST", "/heartbeat", { profile });
  }
}

/** PUTs to a presigned URL: through the app for its own blob route, else over the network. */
export function putBlob(
  t: App,
  url: string,
  headers: Record<string, string>,
  bytes: Uint8Array<ArrayBuffer>,
): Promise<Response> {
  const init = { method: "PUT", headers, body: bytes as BodyInit };
  return new URL(url).pathname.startsWith("/api/blobs/") && !/^https?:\/\/127\./.test(url)
    ? Promise.resolve(t.app.request(url, init))
    : fetch(url, init);
}

/** GETs a signed URL the same way. */
export function getBlob(
  t: App,
  url: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return new URL(url).pathname.startsWith("/api/blobs/") && !/^https?:\/\/127\./.test(url)
    ? Promise.resolve(t.app.request(url, { headers }))
    : fetch(url, { headers });
}

/**
 * Creates an enrollment token as `owner` and enrolls an agent with `profile`: into the owner's
 * personal pool, or into `poolId` (a pool the owner manages).
 */
export async function enrollAgent(
  t: App,
  owner: { token: string },
  profile = agentProfile(),
  name?: string,
  poolId?: string,
) {
  const tokenRes = poolId
    ? await call(t, "POST", `/api/pools/${poolId}/enrollment-tokens`, {
      token: owner.token,
      body: {},
    })
    : await call(t, "POST", "/api/agents/enrollment-tokens", { token: owner.token });
  if (tokenRes.status !== 201) {
    throw new Error(`token: ${tokenRes.status} ${JSON.stringify(tokenRes.body)}`);
  }
  const res = await call(t, "POST", "/api/agent/v1/enroll", {
    body: { token: tokenRes.body.token, profile, ...(name ? { name } : {}) },
  });
  if (res.status !== 201) throw new Error(`enroll: ${res.status} ${JSON.stringify(res.body)}`);
  return new FakeAgent(t, res.body.agentId, `${res.body.agentId}.${res.body.secret}`);
}
