/**
 * A throwaway Wan2GP "installation" for tests: the fake package (wgp.py, shared/api.py,
 * defaults/) copied into a temp folder, with `ckpts/` holding (empty) weight files for the model
 * types asked for, named as Wan2GP downloads them. `calls()` reads what the fake entry points
 * were given (argv, cwd, settings), one entry per call.
 *
 * @example
 * ```ts
 * await using wan2gp = await installFakeWan2gp({ weights: ["t2v_1.3B"] });
 * // --wan2gp wan2gp.dir
 * ```
 */
import { join } from "node:path";

const SOURCE = new URL(".", import.meta.url);

export interface FakeWan2gp {
  dir: string;
  /** Puts (empty) weight files for a model type into ckpts/, as a download would. */
  addWeights(modelType: string): Promise<void>;
  calls(): Promise<Record<string, unknown>[]>;
  [Symbol.asyncDispose](): Promise<void>;
}

async function copyTree(from: URL, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (entry.name === "__pycache__" || entry.name.endsWith(".ts")) continue;
    if (entry.isDirectory) await copyTree(new URL(`${entry.name}/`, from), join(to, entry.name));
    else await Deno.copyFile(new URL(entry.name, from), join(to, entry.name));
  }
}

export async function installFakeWan2gp(
  options: { weights?: string[] } = {},
): Promise<FakeWan2gp> {
  const dir = await Deno.makeTempDir({ prefix: "md-fake-wan2gp-" });
  await copyTree(SOURCE, dir);
  await Deno.mkdir(join(dir, "ckpts"));
  const addWeights = async (modelType: string) => {
    const defaults = JSON.parse(
      await Deno.readTextFile(join(dir, "defaults", `${modelType}.json`)),
    ) as { model: { URLs: string[]; URLs2?: string[] } };
    for (const list of [defaults.model.URLs, defaults.model.URLs2 ?? []]) {
      const file = list.at(-1)?.split("/").at(-1);
      if (file) await Deno.writeFile(join(dir, "ckpts", file), new Uint8Array());
    }
  };
  for (const modelType of options.weights ?? []) await addWeights(modelType);
  return {
    dir,
    addWeights,
    async calls() {
      const text = await Deno.readTextFile(join(dir, "calls.jsonl")).catch(() => "");
      return text.split("\n").filter(Boolean).map((line) => JSON.parse(line));
    },
    async [Symbol.asyncDispose]() {
      await Deno.remove(dir, { recursive: true });
    },
  };
}
