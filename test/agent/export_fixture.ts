/**
 * A project worth exporting, on a real edge over HTTP: Ada (owner) and Bob (editor) saved graph
 * revisions a minute apart, a character holds a reference image, and Ada's fake agent made real
 * takes of the shot. `runExport` runs `export` through the agent's command line with the real
 * git (and git-lfs when the PATH has it), HOME pointed at an empty folder and the system's Git
 * settings off, so the machine's own Git settings play no part.
 */
import { addMember, call, createProject, signUp } from "../../edge/testing.ts";
import { storeRevision } from "../../edge/services/graph_store.ts";
import { runCli } from "../../gpu-agent/cli/run_cli.ts";
import { enrollAgent, putBlob } from "../jobs/fake_agent.ts";
import { DEFAULT_CUT_FORMAT } from "../../protocol/cut.ts";
import { cutFromGraph } from "../../protocol/cut_from_graph.ts";
import { graphOf, node } from "../jobs/graphs.ts";
import { type EdgeServer, startEdgeServer } from "./edge_server.ts";

/** A tiny real PNG (1×1). */
export const PNG = Uint8Array.from(
  atob(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==",
  ),
  (c) => c.charCodeAt(0),
);

type User = Awaited<ReturnType<typeof signUp>>;

export interface ExportProject {
  edge: EdgeServer;
  ada: User;
  bob: User;
  projectId: string;
  /**
   * Stores a revision of the shot graph with this prompt, by these people (with a cut "Main
   * cut" of the shot when `cut`); its number.
   */
  revise(prompt: string, authors: User[], options?: { cut?: boolean }): Promise<number>;
  /**
   * Generates a take of the shot and finishes it with `bytes`: the take's path in the export, and
   * the file the edge keeps it in.
   */
  take(bytes: Uint8Array<ArrayBuffer>): Promise<{ path: string; blobFile: string }>;
  [Symbol.asyncDispose](): Promise<void>;
}

export async function exportProjectFixture(): Promise<ExportProject> {
  const edge = await startEdgeServer();
  const t = edge.t;
  const ada = await signUp(t, "Ada");
  const bob = await signUp(t, "Bob");
  const projectId = await createProject(t, ada, "Night Ferry");
  await addMember(t, projectId, ada, bob, "editor");
  const agent = await enrollAgent(t, ada);
  const revise = (prompt: string, authors: User[], options: { cut?: boolean } = {}) => {
    // A minute between revisions, so each commit's date is its own.
    t.advance(60_000);
    const graph = graphOf([node("shot1", "shot.generate", { prompt })]);
    if (options.cut) {
      const format = DEFAULT_CUT_FORMAT;
      graph.cuts = { main: cutFromGraph(graph, { id: "main", name: "Main cut", format }) };
    }
    return storeRevision(t.deps, projectId, {
      graph,
      message: "canvas edits",
      authorIds: authors.map((a) => a.id),
    });
  };
  const take = async (bytes: Uint8Array<ArrayBuffer>) => {
    const queued = await call(t, "POST", `/api/projects/${projectId}/nodes/shot1/generate`, {
      token: ada.token,
      body: { type: "shot.generate", params: { prompt: "a ferry" } },
    });
    if (queued.status !== 201) throw new Error(`generate: ${JSON.stringify(queued.body)}`);
    const job = await agent.claim();
    if (!job) throw new Error("no job to claim");
    const output = await agent.upload(job.id, bytes);
    const done = await agent.complete(job.id, [output], { template: "wan_t2v", seed: 7 });
    if (done.status !== 200) throw new Error(`complete: ${JSON.stringify(done.body)}`);
    const made = done.body.takes[0];
    const version = String(made.version).padStart(2, "0");
    return {
      path: `renders/${made.scene}/${made.name.split("_v")[0]}/v${version}/${made.name}`,
      blobFile: `${t.config.BLOB_DIR}/${output.key}`,
    };
  };
  return {
    edge,
    ada,
    bob,
    projectId,
    revise,
    take,
    [Symbol.asyncDispose]: () => edge.close(),
  };
}

/**
 * Creates a character with one reference image (a second version of the asset): its id, and the
 * file the edge keeps the image in.
 */
export async function characterWithImage(
  p: ExportProject,
  name: string,
  description: string,
): Promise<{ assetId: string; imageFile: string }> {
  const t = p.edge.t;
  const base = `/api/projects/${p.projectId}/assets`;
  const created = await call(t, "POST", base, {
    token: p.ada.token,
    body: { type: "character", name, description, params: { age: 36 } },
  });
  const assetBase = `${base}/${created.body.asset.id}`;
  const upload = await call(t, "POST", `${assetBase}/images`, {
    token: p.ada.token,
    body: { contentType: "image/png", bytes: PNG.byteLength },
  });
  await (await putBlob(t, upload.body.uploadUrl, upload.body.headers, PNG)).body?.cancel();
  const added = await call(t, "PATCH", assetBase, {
    token: p.bob.token,
    body: { referenceImageKeys: [upload.body.key] },
  });
  if (added.status !== 200) throw new Error(`image: ${JSON.stringify(added.body)}`);
  return {
    assetId: created.body.asset.id,
    imageFile: `${t.config.BLOB_DIR}/${upload.body.key}`,
  };
}

export interface ExportRun {
  code: number;
  out: string;
  err: string;
}

/** `export --project ID DIR` as the user `token`, with `path` as the PATH git is found on. */
export async function runExport(
  p: ExportProject,
  dir: string,
  options: {
    token?: string;
    project?: string;
    path?: string;
    home: string;
    /** Whether git reads /etc/gitconfig (where an installed git-lfs names its filter). */
    systemConfig?: boolean;
    /** More variables (MD_EMAIL and MD_PASSWORD instead of the token). */
    env?: Record<string, string>;
  },
): Promise<ExportRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    ["export", "--project", options.project ?? p.projectId, "--server", p.edge.url, dir],
    {
      env: {
        PATH: options.path ?? Deno.env.get("PATH"),
        HOME: options.home,
        // Only what the export sets up counts (this machine's /etc/gitconfig may name LFS).
        GIT_CONFIG_NOSYSTEM: options.systemConfig ? undefined : "1",
        MD_CONFIG_DIR: `${options.home}/config`,
        ...(options.env ? options.env : { MD_TOKEN: options.token ?? p.ada.token }),
      },
      out: (line) => out.push(line),
      err: (line) => err.push(line),
    },
  );
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** Runs git in `dir` (the real one, HOME empty as in the export): its stdout. */
export async function git(dir: string, home: string, ...args: string[]): Promise<string> {
  const result = await new Deno.Command("git", {
    args,
    cwd: dir,
    env: { HOME: home, GIT_CONFIG_NOSYSTEM: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(result.stdout);
  if (!result.success) {
    throw new Error(`git ${args.join(" ")}: ${new TextDecoder().decode(result.stderr)}`);
  }
  return text;
}
