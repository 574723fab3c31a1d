/**
 * The end-to-end studio rig: the real edge (a child process serving the built web app), the
 * real room server (`partykit dev`), the fake ComfyUI, GPU agents run as real processes
 * (`deno run -A gpu-agent/main.ts enroll|run`), and headless Chromium driven by playwright-core.
 * Everything listens on 127.0.0.1 on free ports; `close()` stops every process and removes
 * every temp dir. Start one per test file: starting takes a few seconds.
 *
 * @example
 * ```ts
 * await using studio = await startStudio();
 * const ana = await studio.signUp("Ana");
 * const projectId = await studio.createProject(ana);
 * const page = await studio.open(ana, `/projects/${projectId}`);
 * ```
 */
import { type Browser, chromium, type Page } from "playwright-core";
import type { Graph } from "../../protocol/graph.ts";
import { startEdge } from "../edge/edge_process.ts";
import { type FakeComfyUI, startFakeComfyUI } from "../fakes/comfyui/mod.ts";
import { freePort, type PartyKitServer, startPartyKit } from "../rooms/partykit_server.ts";
import { ensureWebBuild } from "./web_build.ts";
export { until } from "../until.ts";
import { type AgentProcess, enrollAgent, startAgentProcess } from "./agent_process.ts";
import { loadTemplates } from "../../gpu-agent/backends/comfyui/mod.ts";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const SCREENSHOTS = new URL("../../test-output/e2e/", import.meta.url).pathname;

/** The browser context options a test may set: the window, and touch for a phone. */
export interface Device {
  viewport?: { width: number; height: number };
  hasTouch?: boolean;
  isMobile?: boolean;
}

export interface User {
  id: string;
  name: string;
  email: string;
  token: string;
}

export interface Studio {
  /** The edge's origin, which also serves the studio. */
  readonly url: string;
  readonly fake: FakeComfyUI;
  readonly browser: Browser;
  signUp(name: string): Promise<User>;
  createProject(owner: User, name?: string): Promise<string>;
  /** Saves a graph revision as the room would (the room loads it when it starts). */
  saveGraph(projectId: string, graph: Graph, author: User): Promise<void>;
  /** A JSON API call with a bearer token; throws on an unexpected status. */
  api<T = Record<string, unknown>>(
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
    expect?: number,
  ): Promise<T>;
  /**
   * A fresh browser context signed in as `user` (or signed out), at `path`; a desktop window
   * unless `device` says otherwise (a phone: `{ viewport: { width: 390, height: 844 },
   * hasTouch: true, isMobile: true }`).
   */
  open(user: User | null, path: string, device?: Device): Promise<Page>;
  /**
   * Enrolls (a token from the API, `enroll` as a process) and runs an agent for `owner`; `env`
   * adds to (or overrides) its environment, e.g. `MD_VRAM_MIB` for a smaller card.
   */
  startAgent(owner: User, name?: string, env?: Record<string, string>): Promise<AgentProcess>;
  /** Runs `enroll` with the given arguments and then `run`, as the user would from the page. */
  runAgentCommand(args: string[], env?: Record<string, string>): Promise<AgentProcess>;
  /** Stops the room server and starts it again on the same port with the same storage. */
  stopRoom(): Promise<void>;
  startRoom(): Promise<void>;
  /** Saves a full-page screenshot as test-output/e2e/<name>.png. */
  screenshot(page: Page, name: string): Promise<void>;
  /** What the edge and room printed, for failure messages. */
  logs(): string;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Every model file the ComfyUI templates need, so the fake can run every template. */
async function allModels(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of await loadTemplates()) {
    for (const m of t.binding.models) {
      if (!(out[m.folder] ??= []).includes(m.file)) out[m.folder]!.push(m.file);
    }
  }
  return out;
}

/** Runs in every page: keeps each Content-Security-Policy violation the browser reports. */
function recordCspViolations() {
  const seen: string[] = [];
  (globalThis as unknown as { __cspViolations: string[] }).__cspViolations = seen;
  document.addEventListener("securitypolicyviolation", (e) => {
    seen.push(`${e.effectiveDirective} blocked ${e.blockedURI || "(inline)"} at ${e.sourceFile}`);
  });
}

/** The CSP violations a page opened with `studio.open` has reported so far. */
export function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    (globalThis as unknown as { __cspViolations?: string[] }).__cspViolations ?? []
  );
}

export async function startStudio(): Promise<Studio> {
  await ensureWebBuild();
  const dir = await Deno.makeTempDir({ prefix: "md-e2e-" });
  const secret = crypto.randomUUID() + crypto.randomUUID();
  const edgePort = freePort();
  const roomPort = freePort();
  const url = `http://127.0.0.1:${edgePort}`;
  const cleanups: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => {});
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };
  try {
    const roomOptions = {
      port: roomPort,
      vars: { ROOM_SECRET: secret, EDGE_URL: url },
      persistDir: `${dir}/rooms`,
    };
    let room: PartyKitServer | null = await startPartyKit(roomOptions);
    cleanups.push(async () => void await room?.stop());
    const edge = await startEdge({
      PORT: String(edgePort),
      PUBLIC_URL: url,
      DATABASE_URL: `file:${dir}/app.db`,
      ROOM_URL: `http://127.0.0.1:${roomPort}`,
      ROOM_SECRET: secret,
      BLOB_SECRET: crypto.randomUUID() + crypto.randomUUID(),
      BLOB_DIR: `${dir}/blobs`,
      WEB_DIST: new URL("../../web/dist", import.meta.url).pathname,
      LEASE_MS: "5000",
      HEARTBEAT_INTERVAL_MS: "1000",
      CLAIM_RECHECK_MS: "100",
      REAPER_INTERVAL_MS: "500",
    });
    cleanups.push(() => edge.stop());
    const fake = await startFakeComfyUI({ models: await allModels() });
    cleanups.push(() => fake.stop());
    const browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: CHROMIUM_ARGS,
    });
    cleanups.push(() => browser.close());
    const agents: AgentProcess[] = [];
    cleanups.push(async () => void await Promise.all(agents.map((a) => a.stop())));
    await Deno.mkdir(SCREENSHOTS, { recursive: true });

    const api: Studio["api"] = async (method, path, token, body, expect) => {
      const headers: Record<string, string> = {};
      if (token) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers["content-type"] = "application/json";
      const res = await fetch(`${url}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      const ok = expect === undefined ? res.ok : res.status === expect;
      if (!ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
      return (text ? JSON.parse(text) : {}) as never;
    };
    let users = 0;
    const agentDirs = async () => {
      const base = await Deno.makeTempDir({ dir, prefix: "agent-" });
      return { config: `${base}/config`, work: `${base}/work` };
    };
    const agentEnv = (dirs: { config: string; work: string }) => ({
      MD_CONFIG_DIR: dirs.config,
      MD_WORK_DIR: dirs.work,
      MD_COMFYUI_URL: fake.url,
      MD_VRAM_MIB: "24576",
    });

    const studio: Studio = {
      url,
      fake,
      browser,
      async signUp(name) {
        const email = `${name.toLowerCase().replace(/\W/g, "")}${++users}@example.com`;
        const res = await api<{ user: { id: string }; token: string }>(
          "POST",
          "/api/auth/register",
          null,
          { email, password: "correct horse battery", name },
        );
        return { id: res.user.id, name, email, token: res.token };
      },
      async createProject(owner, name = "Film") {
        const res = await api<{ project: { id: string } }>("POST", "/api/projects", owner.token, {
          name,
        });
        return res.project.id;
      },
      async saveGraph(projectId, graph, author) {
        await api("POST", `/api/internal/projects/${projectId}/revisions`, secret, {
          graph,
          message: "seeded",
          authorIds: [author.id],
        });
      },
      api,
      async open(user, path, device = {}) {
        const context = await browser.newContext({
          viewport: { width: 1400, height: 860 },
          ...device,
        });
        await context.addInitScript(recordCspViolations);
        if (user) {
          await context.addCookies([{ name: "md_session", value: user.token, url }]);
        }
        const page = await context.newPage();
        page.setDefaultTimeout(10_000);
        await page.goto(`${url}${path}`);
        return page;
      },
      async startAgent(owner, name = "render-01", env = {}) {
        const { token } = await api<{ token: string }>(
          "POST",
          "/api/agents/enrollment-tokens",
          owner.token,
          {},
        );
        const args = ["--server", url, "--token", token, "--name", name];
        return await studio.runAgentCommand(args, env);
      },
      async runAgentCommand(args, env = {}) {
        const dirs = await agentDirs();
        await enrollAgent(args, { ...agentEnv(dirs), ...env });
        const agent = startAgentProcess({ ...agentEnv(dirs), ...env });
        agents.push(agent);
        return agent;
      },
      async stopRoom() {
        await room?.stop();
        room = null;
      },
      async startRoom() {
        room ??= await startPartyKit(roomOptions);
      },
      async screenshot(page, name) {
        await page.screenshot({ path: `${SCREENSHOTS}${name}.png` });
      },
      logs: () => `--- edge\n${edge.output()}\n--- room\n${room?.output() ?? "(stopped)"}`,
      close,
      [Symbol.asyncDispose]: close,
    };
    return studio;
  } catch (error) {
    await close();
    throw error;
  }
}

export type { AgentProcess };
