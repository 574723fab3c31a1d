/**
 * Reads the transcripts under `recordings/` (copied verbatim from shared/protocols/comfyui), so
 * the fake answers with the recorded bodies instead of hand-written guesses.
 */
import type { ComfyVersion, ObjectInfo } from "./types.ts";

const ROOT = new URL("./recordings/", import.meta.url);

/** The URL of a recorded file of one ComfyUI version. */
export function recordingUrl(version: ComfyVersion, name: string): URL {
  return new URL(`${version}/${name}`, ROOT);
}

/** A recorded JSON file, parsed. */
export async function readRecording<T = Record<string, unknown>>(
  version: ComfyVersion,
  name: string,
): Promise<T> {
  return JSON.parse(await Deno.readTextFile(recordingUrl(version, name))) as T;
}

interface Recorded<T> {
  body: T;
}

/** What the fake needs from the recordings of one version, read once per server start. */
export interface RecordedServer {
  systemStats: {
    system: Record<string, unknown>;
    devices: Record<string, unknown>[];
  };
  features: Record<string, unknown>;
  modelFolders: string[];
  /** Full definitions of every node class the recorded server had. */
  objectInfo: ObjectInfo;
  previewJpeg: Uint8Array;
  /** The PNG `GET /view` returned in the recorded success run. */
  defaultPng: Uint8Array;
}

/** The full `/object_info` recorded from each version (0.8.0's added in a later recording). */
async function readObjectInfo(version: ComfyVersion): Promise<ObjectInfo> {
  const gz = await Deno.open(recordingUrl(version, "object_info_full.json.gz"));
  const text = await new Response(gz.readable.pipeThrough(new DecompressionStream("gzip"))).text();
  return JSON.parse(text) as ObjectInfo;
}

export async function readRecordedServer(version: ComfyVersion): Promise<RecordedServer> {
  const stats = await readRecording<Recorded<RecordedServer["systemStats"]>>(
    version,
    "system_stats.json",
  );
  const misc = await readRecording<Record<string, Recorded<unknown>>>(version, "misc_get.json");
  const flags = await readRecording<{ ws: { type: string; data: Record<string, unknown> }[] }>(
    version,
    "ws_feature_flags.json",
  );
  const serverFlags = flags.ws.find((m) => m.type === "feature_flags")?.data ?? {};
  return {
    systemStats: stats.body,
    features: serverFlags,
    modelFolders: (misc["/models"]?.body ?? []) as string[],
    objectInfo: await readObjectInfo(version),
    previewJpeg: await Deno.readFile(new URL("preview.jpg", ROOT)),
    defaultPng: await Deno.readFile(recordingUrl("0.3.64", "probe_view.png")),
  };
}
