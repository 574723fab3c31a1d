/**
 * The files a finished container left in the job's output folder that its config names, each a
 * take to upload. Matching uses the runtime's own glob (`node:fs` `promises.glob`). The folder
 * was writable by the container, so nothing in it is trusted: a match must be a regular file
 * inside the folder (a symbolic link to /etc/passwd is refused, not uploaded) with a media type
 * of the output's kind.
 *
 * @example
 * ```ts
 * const outputs = await collectOutputs(model.outputs, "/work/job-1/outputs");
 * ```
 */
import { promises as fs } from "node:fs";
import { join, relative } from "node:path";
import { type BackendOutput, JobFailure } from "../backend.ts";
import { contentTypeFor, extensionOf } from "../media_types.ts";
import type { CheckedModel } from "../../../protocol/docker_models/model_config.ts";

/** More files than this from one job is a model misbehaving, not takes. */
export const MAX_OUTPUTS = 16;

export async function collectOutputs(
  wanted: CheckedModel["outputs"],
  outputsDir: string,
): Promise<BackendOutput[]> {
  const root = await Deno.realPath(outputsDir);
  const outputs: BackendOutput[] = [];
  for (const { glob, kind } of wanted) {
    const matches: string[] = [];
    for await (const match of fs.glob(glob, { cwd: root })) {
      if (!(await Deno.lstat(join(root, String(match)))).isDirectory) matches.push(String(match));
    }
    if (matches.length === 0) {
      throw new JobFailure(
        `the model finished without an output matching ${glob} in /outputs`,
        false,
        "output",
      );
    }
    for (const name of matches.sort()) {
      const path = join(root, name);
      if (!(await Deno.lstat(path)).isFile) {
        throw new JobFailure(
          `output ${name} is a link or special file, not a file the model wrote; not uploaded`,
          false,
          "output",
        );
      }
      if (relative(root, await Deno.realPath(path)).startsWith("..")) {
        throw new JobFailure(`output ${name} lies outside /outputs; not uploaded`, false, "output");
      }
      const ext = extensionOf(name);
      const contentType = contentTypeFor(ext);
      if (!contentType?.startsWith(`${kind}/`)) {
        throw new JobFailure(
          `output ${name} is not ${/^[aeiou]/.test(kind) ? "an" : "a"} ${kind} file the studio ` +
            `knows (by its extension)`,
          false,
          "output",
        );
      }
      outputs.push({ path, ext, contentType });
    }
  }
  if (outputs.length > MAX_OUTPUTS) {
    throw new JobFailure(
      `the model left ${outputs.length} outputs; at most ${MAX_OUTPUTS} are taken`,
      false,
      "output",
    );
  }
  return outputs;
}
