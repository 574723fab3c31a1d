/**
 * One end-to-end setup for agent tests: a real edge over HTTP (temp database and blob folder),
 * a studio user with a project, the fake ComfyUI, and the agent enrolled through the real API
 * (the user makes a token, `enroll` trades it) and run in-process through `runCli(["run"])`,
 * with Ctrl-C simulated by `signal()`.
 */
import { call, createProject, signUp, TEST_ROOM_SECRET } from "../../edge/testing.ts";
import type { JobView } from "../../edge/services/jobs/view.ts";
import type { Graph } from "../../protocol/graph.ts";
import type { Take } from "../../protocol/jobs.ts";
import type { Tier } from "../../protocol/tiers.ts";
import { enroll } from "../../gpu-agent/cli/enroll.ts";
import { runCli } from "../../gpu-agent/cli/run_cli.ts";
import { advertisedProfile } from "../../gpu-agent/detect/advertise.ts";
import { MemoryLogger } from "../../gpu-agent/log/memory_logger.ts";
import { ProgressRenderer } from "../../gpu-agent/progress/renderer.ts";
import { type FakeComfyUI, startFakeComfyUI } from "../fakes/comfyui/mod.ts";
import { agentIo, type AgentSetup, allModels, DETECTION } from "./agent_io.ts";
import { type EdgeObserver, type EdgeServer, startEdgeServer } from "./edge_server.ts";

export interface JobDetail {
  job: JobView;
  events: { from: string | null; to: string; attempt: number; message: string | null }[];
}

export interface AgentProcess {
  /** Resolves with the exit code `run` returned. */
  readonly exit: Promise<number>;
  readonly logger: MemoryLogger;
  /** What the progress renderer printed (plain mode). */
  readonly screen: string[];
  /** Codes passed to exitNow (the third signal). */
  readonly exitedNow: number[];
  /** One Ctrl-C. */
  signal(): void;
}

export interface Rig {
  edge: EdgeServer;
  fake: FakeComfyUI;
  user: { id: string; token: string };
  projectId: string;
  agentId: string;
  /** The enrolled agent's credentials folder and job folder (to run it in another process). */
  configDir: string;
  workDir: string;
  saveGraph(graph: Graph): Promise<void>;
  /** Saves a graph with this one node (plus `extra`) and queues a job for it. */
  generate(
    node: { id: string; type: string; params?: Record<string, unknown>; tier?: Tier },
  ): Promise<string>;
  job(jobId: string): Promise<JobDetail>;
  /** The job once it has succeeded or failed (polled as `until` does). */
  ended(jobId: string): Promise<JobDetail["job"]>;
  takes(nodeId: string): Promise<Take[]>;
  startAgent(
    options?: Pick<
      AgentSetup,
      | "concurrency"
      | "trace"
      | "posterBacklog"
      | "monitorIntervalMs"
      | "backends"
      | "ownBackends"
      | "detection"
      | "env"
    >,
  ): AgentProcess;
  /** Polls until `check` returns a value (not undefined/false), at most ~15 s. */
  until<T>(what: string, check: () => T | Promise<T>): Promise<Exclude<T, undefined | false>>;
  [Symbol.asyncDispose](): Promise<void>;
}

export async function rig(
  edgeOverrides: Record<string, string> = {},
  observeEdge?: EdgeObserver,
): Promise<Rig> {
  const edge = await startEdgeServer(edgeOverrides, observeEdge);
  const fake = await startFakeComfyUI({ models: allModels() });
  const configDir = await Deno.makeTempDir({ prefix: "md-agent-config-" });
  const workDir = await Deno.makeTempDir({ prefix: "md-agent-work-" });
  const t = edge.t;
  const user = await signUp(t, "Director");
  const projectId = await createProject(t, user);
  const token = await call(t, "POST", "/api/agents/enrollment-tokens", { token: user.token });
  if (token.status !== 201) throw new Error(`enrollment token: ${JSON.stringify(token.body)}`);
  const { credentials } = await enroll({
    serverUrl: edge.url,
    token: token.body.token,
    name: "test-rig",
    profile: advertisedProfile(DETECTION.profile, [], 1),
    configDir,
  });
  let graph: Graph = { nodes: {}, edges: {} };
  const agents: AgentProcess[] = [];

  const saveGraph = async (next: Graph) => {
    graph = next;
    const res = await call(t, "POST", `/api/internal/projects/${projectId}/revisions`, {
      token: TEST_ROOM_SECRET,
      body: { graph, message: "test", authorIds: [user.id] },
    });
    if (res.status !== 201) {
      throw new Error(`save graph: ${res.status} ${JSON.stringify(res.body)}`);
    }
  };

  const until: Rig["until"] = async (what, check) => {
    for (let i = 0; i < 750; i++) {
      const value = await check();
      if (value !== undefined && value !== false) return value as never;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`timed out waiting for ${what}`);
  };

  return {
    edge,
    fake,
    user,
    projectId,
    agentId: credentials.agentId,
    configDir,
    workDir,
    saveGraph,
    async generate(node) {
      if (!graph.nodes[node.id]) {
        await saveGraph({
          ...graph,
          nodes: {
            ...graph.nodes,
            [node.id]: { id: node.id, type: node.type, title: node.id, x: 0, y: 0, params: {} },
          },
        });
      }
      const res = await call(t, "POST", `/api/projects/${projectId}/nodes/${node.id}/generate`, {
        token: user.token,
        body: { type: node.type, params: node.params ?? {}, tier: node.tier ?? "standard" },
      });
      if (res.status !== 201) {
        throw new Error(`generate: ${res.status} ${JSON.stringify(res.body)}`);
      }
      return res.body.job.id as string;
    },
    async job(jobId) {
      const res = await call(t, "GET", `/api/projects/${projectId}/jobs/${jobId}`, {
        token: user.token,
      });
      return res.body;
    },
    async ended(jobId) {
      return (await until("the job to end", async () => {
        const res = await call(t, "GET", `/api/projects/${projectId}/jobs/${jobId}`, {
          token: user.token,
        });
        const detail = res.body as JobDetail;
        return ["succeeded", "failed"].includes(detail.job.state) && detail;
      })).job;
    },
    async takes(nodeId) {
      const res = await call(t, "GET", `/api/projects/${projectId}/takes?nodeId=${nodeId}`, {
        token: user.token,
      });
      return res.body.takes;
    },
    startAgent(options = {}) {
      const logger = new MemoryLogger();
      const screen: string[] = [];
      const exitedNow: number[] = [];
      let listener: (() => void) | null = null;
      const io = agentIo({
        configDir,
        workDir,
        comfyuiUrl: fake.url,
        ...(options.concurrency ? { concurrency: options.concurrency } : {}),
        ...(options.trace ? { trace: options.trace } : {}),
        ...(options.posterBacklog ? { posterBacklog: options.posterBacklog } : {}),
        ...(options.monitorIntervalMs ? { monitorIntervalMs: options.monitorIntervalMs } : {}),
        ...(options.backends ? { backends: options.backends } : {}),
        ...(options.ownBackends ? { ownBackends: true } : {}),
        ...(options.detection ? { detection: options.detection } : {}),
        ...(options.env ? { env: options.env } : {}),
      }, {
        out: (line) => screen.push(line),
        err: (line) => logger.error(line),
        logger,
        renderer: new ProgressRenderer({ isTty: false, write: (text) => screen.push(text) }),
        onSignal: (l) => {
          listener = l;
          return () => {
            listener = null;
          };
        },
        exitNow: (code) => void exitedNow.push(code),
      });
      const agent: AgentProcess = {
        exit: runCli(["run"], io),
        logger,
        screen,
        exitedNow,
        signal: () => listener?.(),
      };
      agents.push(agent);
      return agent;
    },
    until,
    async [Symbol.asyncDispose]() {
      fake.behaviour.hold = undefined;
      for (const agent of agents) {
        // Stop any agent a test left running: drain, then interrupt, then kill.
        for (let i = 0; i < 3; i++) agent.signal();
        await agent.exit;
      }
      await fake.stop();
      await edge.close();
      await Deno.remove(configDir, { recursive: true });
      await Deno.remove(workDir, { recursive: true }).catch(() => {});
    },
  };
}
