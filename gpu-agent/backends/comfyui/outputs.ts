/**
 * Finds a run's output files (in `executed` messages or the history entry) and streams each one
 * from `GET /view` into the job's work folder, never holding a whole file in memory.
 */
import type { BackendOutput } from "../backend.ts";
import type { ComfyClient, FileRef } from "./client.ts";
import { contentTypeFor } from "../media_types.ts";

function isFileRef(value: unknown): value is FileRef {
  const ref = value as FileRef;
  return !!ref && typeof ref.filename === "string" && typeof ref.type === "string" &&
    typeof (ref.subfolder ?? "") === "string";
}

/** File references in one node's UI output (`images`, `gifs`, `audio`, ...: any list of refs). */
export function fileRefs(output: Record<string, unknown> | undefined): FileRef[] {
  if (!output) return [];
  return Object.values(output).flatMap((list) =>
    Array.isArray(list)
      ? list.filter(isFileRef).map((r) => ({ ...r, subfolder: r.subfolder ?? "" }))
      : []
  );
}

/** Streams each file into `workDir` as `<node>_<n>.<ext>`; returns them in output order. */
export async function downloadOutputs(
  client: ComfyClient,
  refsByNode: [string, FileRef[]][],
  workDir: string,
  signal: AbortSignal,
): Promise<BackendOutput[]> {
  const outputs: BackendOutput[] = [];
  for (const [node, refs] of refsByNode) {
    for (const [index, ref] of refs.entries()) {
      const ext = (ref.filename.split(".").pop() ?? "bin").toLowerCase();
      const path = `${workDir}/${node}_${index + 1}.${ext}`;
      const response = await client.view(ref, signal);
      let file: Deno.FsFile;
      try {
        // A metadata call of microseconds: the async form would wait for a thread-pool turn.
        file = Deno.openSync(path, { write: true, create: true, truncate: true });
      } catch (error) {
        await response.body?.cancel();
        throw error;
      }
      await response.body!.pipeTo(file.writable, { signal }); // closes the file
      outputs.push({
        path,
        ext,
        contentType: contentTypeFor(ext) ?? response.headers.get("content-type") ??
          "application/octet-stream",
      });
    }
  }
  return outputs;
}
