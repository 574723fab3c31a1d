/**
 * A stand-in for the edge's internal API (edge/API.md, "Internal") on loopback: serves each
 * project's seeded graph and records the revisions rooms flush. Its graph never changes on a
 * flush, so a test can tell a room that loaded from its own storage from one that asked the edge.
 */
import type { Graph } from "../../protocol/graph.ts";
import type { FlushRequest } from "../../party/ports.ts";

export interface FakeEdgeServer {
  url: string;
  revisions: { projectId: string; body: FlushRequest }[];
  loads: string[];
  stop(): Promise<void>;
}

/**
 * `projects` maps project ids to their graph; a function can serve any id (benchmarks).
 * `keepRevisions: false` answers flushes without keeping their bodies (long benchmark runs).
 */
export function startFakeEdge(
  secret: string,
  projects: Record<string, Graph> | ((id: string) => Graph | undefined),
  { keepRevisions = true }: { keepRevisions?: boolean } = {},
): FakeEdgeServer {
  const lookup = typeof projects === "function"
    ? projects
    : (id: string) => Object.hasOwn(projects, id) ? projects[id] : undefined;
  const revisions: FakeEdgeServer["revisions"] = [];
  const loads: string[] = [];
  let flushes = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    if (req.headers.get("authorization") !== `Bearer ${secret}`) {
      return new Response(null, { status: 401 });
    }
    const match = new URL(req.url).pathname.match(
      /^\/api\/internal\/projects\/([^/]+)\/(graph|revisions)$/,
    );
    const id = match?.[1];
    const graph = id ? lookup(id) : undefined;
    if (!match || !id || !graph) {
      await req.body?.cancel();
      return Response.json({ error: { code: "not_found", message: "no such project" } }, {
        status: 404,
      });
    }
    if (match[2] === "graph" && req.method === "GET") {
      loads.push(id);
      return Response.json({ revision: 1, graph });
    }
    if (match[2] === "revisions" && req.method === "POST") {
      const body: FlushRequest = await req.json();
      if (keepRevisions) revisions.push({ projectId: id, body });
      return Response.json({ revision: 1 + ++flushes }, { status: 201 });
    }
    return new Response(null, { status: 405 });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    revisions,
    loads,
    stop: () => server.shutdown(),
  };
}
