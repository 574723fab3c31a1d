/**
 * The room's client for the edge's internal API (edge/API.md, "Internal"), authenticated with
 * the shared room secret. Non-2xx answers other than the documented 404 throw, so the flusher
 * retries them; the error carries the edge's answer (a graph it cannot read says so).
 */
import { salvageGraph } from "../protocol/graph.ts";
import type { EdgeApi, FlushRequest } from "./ports.ts";

export function httpEdgeApi(
  edgeUrl: string,
  secret: string,
  projectId: string,
  fetchFn: typeof fetch = fetch,
): EdgeApi {
  const base = `${edgeUrl.replace(/\/+$/, "")}/api/internal/projects/${
    encodeURIComponent(projectId)
  }`;
  const headers = { authorization: `Bearer ${secret}`, "content-type": "application/json" };
  return {
    async loadGraph() {
      const res = await fetchFn(`${base}/graph`, { headers });
      if (res.status === 404) {
        await res.body?.cancel();
        return null;
      }
      if (!res.ok) throw new Error(`GET ${base}/graph answered ${res.status}: ${await res.text()}`);
      const body = await res.json() as { revision?: unknown; graph?: unknown };
      // A revision stored before today's rules may hold a node that no longer fits them: the
      // room opens without it (it stays in the history) rather than not at all.
      const { graph, setAside } = salvageGraph(body.graph);
      for (const line of setAside) {
        console.error(`room ${projectId}: set aside ${line} of the edge's revision`);
      }
      return { revision: typeof body.revision === "number" ? body.revision : 0, graph };
    },
    async loadRevision(revision: number) {
      const url = `${base}/revisions/${revision}`;
      const res = await fetchFn(url, { headers });
      if (!res.ok) throw new Error(`GET ${url} answered ${res.status}: ${await res.text()}`);
      return salvageGraph((await res.json() as { graph?: unknown }).graph).graph;
    },
    async flushRevision(request: FlushRequest) {
      const res = await fetchFn(`${base}/revisions`, {
        method: "POST",
        headers,
        body: JSON.stringify(request),
      });
      if (!res.ok) {
        throw new Error(`POST ${base}/revisions answered ${res.status}: ${await res.text()}`);
      }
      const body = await res.json() as { revision?: unknown };
      return { revision: typeof body.revision === "number" ? body.revision : 0 };
    },
  };
}
