/**
 * The fake's HTTP routes, answering with the recorded shapes: `/system_stats`, `/object_info`,
 * `/models/<folder>`, `/features`, `/prompt`, `/queue`, `/history`, `/upload/image`, `/view`,
 * `/interrupt`, `/free` and the `/ws` upgrade.
 */
import type { FakeState } from "./state.ts";
import { validatePrompt } from "./validate.ts";

const JSON_TYPE = "application/json; charset=utf-8";

const CONTENT_TYPES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  webp: "image/webp",
  mp4: "video/mp4",
  webm: "video/webm",
  flac: "audio/flac",
  wav: "audio/wav",
};

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": JSON_TYPE } });
}

/** ComfyUI answers these POSTs with 200 and an empty body (recorded). */
function empty(status = 200): Response {
  return new Response(null, { status });
}

async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  return text === "" ? {} : JSON.parse(text);
}

export async function route(state: FakeState, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const path = url.pathname;
  const method = request.method;
  const logged = { method, path: path + url.search, body: undefined as unknown };
  state.requests.push(logged);

  if (path === "/ws") return state.upgrade(request, url.searchParams.get("clientId"));
  if (method === "GET") {
    if (path === "/system_stats") return json(state.systemStats());
    if (path === "/object_info") return json(state.objectInfo());
    if (path.startsWith("/object_info/")) {
      const name = decodeURIComponent(path.slice("/object_info/".length));
      const info = state.objectInfo()[name];
      return json(info ? { [name]: info } : {});
    }
    if (path === "/models") return json(state.modelFolders());
    if (path.startsWith("/models/")) {
      const folder = decodeURIComponent(path.slice("/models/".length));
      if (!state.modelFolders().includes(folder)) return new Response(null, { status: 404 });
      return json(state.models(folder));
    }
    if (path === "/features") return json(state.recorded.features);
    if (path === "/embeddings" || path === "/extensions") return json([]);
    if (path === "/prompt") return json({ exec_info: { queue_remaining: state.queue.remaining } });
    if (path === "/queue") {
      return json({
        queue_running: state.queue.running ? [state.queue.running] : [],
        queue_pending: state.queue.pending,
      });
    }
    if (path === "/history") {
      const max = Number(url.searchParams.get("max_items") ?? Infinity);
      const entries = [...state.queue.history].slice(-max);
      return json(Object.fromEntries(entries));
    }
    if (path.startsWith("/history/")) {
      const id = decodeURIComponent(path.slice("/history/".length));
      const entry = state.queue.history.get(id);
      return json(entry ? { [id]: entry } : {});
    }
    if (path === "/view") return view(state, url.searchParams);
  }
  if (method === "POST") {
    if (path === "/upload/image") return await upload(state, request, logged);
    let body: unknown;
    try {
      body = await readJson(request);
    } catch {
      // Recorded: a non-JSON body makes aiohttp answer 500 in plain text.
      return new Response("500 Internal Server Error\n\nServer got itself in trouble", {
        status: 500,
        headers: { "content-type": "text/plain; charset=utf-8" },
      });
    }
    logged.body = body;
    const fields = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
    if (path === "/prompt") return postPrompt(state, fields);
    if (path === "/interrupt") {
      state.queue.interrupt(typeof fields.prompt_id === "string" ? fields.prompt_id : undefined);
      return empty();
    }
    if (path === "/queue") {
      if (fields.clear === true) state.queue.deletePending("all");
      if (Array.isArray(fields.delete)) state.queue.deletePending(fields.delete.map(String));
      return empty();
    }
    if (path === "/history") {
      if (fields.clear === true) state.queue.history.clear();
      if (Array.isArray(fields.delete)) {
        for (const id of fields.delete) state.queue.history.delete(String(id));
      }
      return empty();
    }
    if (path === "/free") {
      if (fields.unload_models === true) state.loadedModels = false;
      return empty();
    }
  }
  return new Response("404: Not Found", {
    status: 404,
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
}

function postPrompt(state: FakeState, body: Record<string, unknown>): Response {
  const number = state.queue.number++;
  const info = state.objectInfo();
  const prompt = body.prompt;
  const result = validatePrompt(
    prompt,
    info,
    (name) => state.files.get({ filename: name, subfolder: "", type: "input" }) !== undefined,
  );
  if (!result.ok) return json({ error: result.error, node_errors: result.nodeErrors }, 400);
  const promptId = typeof body.prompt_id === "string" ? body.prompt_id : crypto.randomUUID();
  const extra = {
    ...(body.extra_data && typeof body.extra_data === "object" ? body.extra_data : {}),
    ...(typeof body.client_id === "string" ? { client_id: body.client_id } : {}),
  };
  state.queue.enqueue(promptId, structuredClone(prompt) as never, extra, result.outputs, number);
  return json({ prompt_id: promptId, number, node_errors: result.nodeErrors });
}

async function upload(
  state: FakeState,
  request: Request,
  logged: { body: unknown },
): Promise<Response> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return new Response(null, { status: 400 });
  }
  const image = form.get("image");
  if (!(image instanceof File)) return new Response(null, { status: 400 });
  const subfolder = String(form.get("subfolder") ?? "");
  const overwrite = ["true", "1"].includes(String(form.get("overwrite") ?? "").toLowerCase());
  const ref = state.files.upload(
    image.name,
    subfolder,
    overwrite,
    new Uint8Array(await image.arrayBuffer()),
  );
  logged.body = { image: image.name, subfolder, overwrite, bytes: image.size };
  return json({ name: ref.filename, subfolder: ref.subfolder, type: ref.type });
}

function view(state: FakeState, params: URLSearchParams): Response {
  const filename = params.get("filename") ?? "";
  const type = (params.get("type") ?? "output") as "output" | "temp" | "input";
  const bytes = state.files.get({ filename, subfolder: params.get("subfolder") ?? "", type });
  // Recorded: a missing file is a 404 with an empty body.
  if (!bytes) return new Response(null, { status: 404 });
  const ext = filename.slice(filename.lastIndexOf(".") + 1).toLowerCase();
  return new Response(new Blob([bytes as Uint8Array<ArrayBuffer>]).stream(), {
    headers: {
      "content-type": CONTENT_TYPES[ext] ?? "application/octet-stream",
      "content-length": String(bytes.length),
      "content-disposition": `filename="${filename}"`,
    },
  });
}
