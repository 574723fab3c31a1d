/**
 * The fake's HTTP routes: `/config` at the root and the API under `/gradio_api`
 * (routes.py `API_PREFIX`), answering what @gradio/client 2.7.0 calls (client/js/src:
 * helpers/init_helpers.ts `resolve_config` → /config, utils/view_api.ts → /info,
 * utils/submit.ts → /queue/join then utils/stream.ts → /queue/data, utils/upload_files.ts →
 * /upload, submit.ts `cancel` → /cancel then /reset, client.ts `reconnect` → /app_id).
 * Gradio 5 (gradio@5.49.1 routes.py): /config 883-902, /info 770-783, /app_id 485-488,
 * /queue/join 1330-1372, /cancel 1374-1397, /reset 1187-1191, /queue/data 1424-1534,
 * /upload 1682-1752, /file= 1004-1068.
 */
import { API_PREFIX, configBody, infoBody } from "./config.ts";
import type { FakeQueue } from "./queue.ts";

export interface RecordedRequest {
  method: string;
  path: string;
  body?: unknown;
}

async function jsonBody(request: Request): Promise<Record<string, unknown> | null> {
  try {
    const body = await request.json();
    return body && typeof body === "object" && !Array.isArray(body)
      ? body as Record<string, unknown>
      : null;
  } catch {
    return null;
  }
}

/** FastAPI's answer to a body that fails its model (422 with `detail` issues). */
function unprocessable(field: string): Response {
  return Response.json({
    detail: [{ type: "missing", loc: ["body", field], msg: "Field required", input: null }],
  }, { status: 422 });
}

export async function route(
  queue: FakeQueue,
  request: Request,
  requests: RecordedRequest[],
): Promise<Response> {
  const url = new URL(request.url);
  const root = queue.root();
  const path = url.pathname;
  requests.push({ method: request.method, path: path + url.search });
  if (request.method === "GET" && (path === "/config" || path === "/config/")) {
    return Response.json(configBody(queue.app, root, queue.appId));
  }
  if (!path.startsWith(API_PREFIX)) return new Response("Not Found", { status: 404 });
  const api = path.slice(API_PREFIX.length);
  if (request.method === "GET" && (api === "/info" || api === "/info/")) {
    return Response.json(infoBody(queue.app));
  }
  if (request.method === "GET" && api === "/app_id") {
    return Response.json({ app_id: queue.appId });
  }
  if (request.method === "POST" && api === "/queue/join") {
    const body = await jsonBody(request);
    if (!body || !Array.isArray(body.data)) return unprocessable("data");
    requests.at(-1)!.body = body;
    const result = queue.join(body);
    return Response.json(result.body, { status: result.status });
  }
  if (request.method === "GET" && api === "/queue/data") {
    const session = url.searchParams.get("session_hash");
    if (session === null) {
      return Response.json({
        detail: [{ type: "missing", loc: ["query", "session_hash"], msg: "Field required" }],
      }, { status: 422 });
    }
    return new Response(queue.stream(session, request.signal), {
      headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" },
    });
  }
  if (request.method === "POST" && api === "/cancel") {
    const body = await jsonBody(request);
    if (!body || typeof body.event_id !== "string") return unprocessable("event_id");
    requests.at(-1)!.body = body;
    return Response.json(await queue.cancel(body));
  }
  if (request.method === "POST" && (api === "/reset" || api === "/reset/")) {
    // routes.py 1187-1191: a no-op; /cancel did the work.
    return Response.json({ success: true });
  }
  if (request.method === "POST" && api === "/upload") {
    if (!request.headers.get("content-type")?.startsWith("multipart/form-data")) {
      return Response.json({ detail: "Invalid content type." }, { status: 400 });
    }
    const form = await request.formData();
    const paths: string[] = [];
    for (const part of form.getAll("files")) {
      if (part instanceof File) paths.push(await queue.files.upload(part));
    }
    return Response.json(paths);
  }
  if (request.method === "GET" && api.startsWith("/file=")) {
    return await queue.files.serve(api.slice("/file=".length));
  }
  return Response.json({ detail: "Not Found" }, { status: 404 });
}
