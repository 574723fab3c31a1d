/**
 * The fake's upload folder and cache, on disk as Gradio keeps them: `POST /upload` stores each
 * part under `<uploads>/<sha256 of its bytes>/<cleaned name>` and answers the list of paths
 * (routes.py 1682-1752); a function's file output is copied into the cache and described as
 * FileData with a `/gradio_api/file=<path>` URL (processing_utils.py 531-597); `GET /file=`
 * serves only files in those two folders (routes.py 1004-1068, `is_allowed_file`).
 */
import { basename, extname, join, resolve } from "node:path";
import { API_PREFIX } from "./config.ts";

export class FakeFiles {
  readonly uploads: string;
  readonly cache: string;

  private constructor(readonly root: string) {
    this.uploads = join(root, "uploads");
    this.cache = join(root, "cache");
  }

  static async create(): Promise<FakeFiles> {
    const files = new FakeFiles(await Deno.makeTempDir({ prefix: "md-fake-gradio-" }));
    await Deno.mkdir(files.uploads);
    await Deno.mkdir(files.cache);
    return files;
  }

  async remove(): Promise<void> {
    await Deno.remove(this.root, { recursive: true }).catch(() => {});
  }

  async upload(file: File): Promise<string> {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const dir = join(this.uploads, await sha256(bytes));
    await Deno.mkdir(dir, { recursive: true });
    const path = join(dir, cleanName(file.name) || `tmp${crypto.randomUUID().slice(0, 10)}`);
    await Deno.writeFile(path, bytes);
    return path;
  }

  /** An input FileData's path, if it is one the server may read (an upload). */
  allowedInput(path: unknown): string | null {
    if (typeof path !== "string") return null;
    const full = resolve(path);
    return full.startsWith(this.uploads + "/") ? full : null;
  }

  /** Copies a function's output file into the cache; returns its FileData. */
  async output(path: string, root: string): Promise<Record<string, unknown>> {
    const bytes = await Deno.readFile(path);
    const dir = join(this.cache, await sha256(bytes));
    await Deno.mkdir(dir, { recursive: true });
    const cached = join(dir, basename(path));
    await Deno.writeFile(cached, bytes);
    return {
      path: cached,
      url: `${root}${API_PREFIX}/file=${cached}`,
      size: bytes.length,
      orig_name: basename(path),
      mime_type: null,
      is_stream: false,
      meta: { _type: "gradio.FileData" },
    };
  }

  /** `GET /file=<path>`: 403 "File not allowed" outside the upload folder and the cache. */
  async serve(path: string): Promise<Response> {
    const full = resolve(decodeURIComponent(path));
    const inside = [this.uploads, this.cache].some((dir) => full.startsWith(dir + "/"));
    const stat = inside ? await Deno.stat(full).catch(() => null) : null;
    if (!stat?.isFile) {
      return Response.json({ detail: `File not allowed: ${path}.` }, { status: 403 });
    }
    const file = await Deno.open(full);
    return new Response(file.readable, {
      headers: {
        "content-type": MIME[extname(full).toLowerCase()] ?? "application/octet-stream",
        "content-length": String(stat.size),
        "accept-ranges": "bytes",
      },
    });
  }
}

const MIME: Record<string, string> = {
  ".mp4": "video/mp4",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".wav": "audio/wav",
  ".mp3": "audio/mpeg",
  ".flac": "audio/flac",
};

/** gradio_client/utils.py `strip_invalid_filename_characters`: alphanumerics and "._-, ". */
function cleanName(name: string): string {
  const base = basename(name);
  const ext = extname(base);
  const stem = base.slice(0, base.length - ext.length).replace(/[^\p{L}\p{N}._\-, ]/gu, "");
  return stem + ext;
}

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
