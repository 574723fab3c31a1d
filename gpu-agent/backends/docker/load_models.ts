/**
 * Model configs from folders: every `*.json` in each, sorted by name. A bad one is skipped with
 * one line naming the file, the field and the fix; the others load. A config with the id of an
 * earlier one replaces it (your folder after the shipped examples).
 *
 * @example
 * ```ts
 * const { models, problems } = await loadModels([SHIPPED_MODELS_DIR, `${configDir}/models`]);
 * ```
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type CheckedModel,
  ModelConfigError,
  parseModelConfig,
} from "../../../protocol/docker_models/model_config.ts";

/** The examples shipped with the agent (gpu-agent/models/). */
export const SHIPPED_MODELS_DIR = fileURLToPath(new URL("../../models/", import.meta.url));

export interface LoadedModels {
  models: CheckedModel[];
  problems: string[];
}

export async function loadModels(dirs: readonly string[]): Promise<LoadedModels> {
  const byId = new Map<string, CheckedModel>();
  const problems: string[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = (await Array.fromAsync(Deno.readDir(dir)))
        .filter((e) => e.isFile && e.name.endsWith(".json"))
        .map((e) => e.name)
        .sort();
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) continue;
      throw error;
    }
    for (const name of names) {
      const path = resolve(dir, name);
      try {
        let value: unknown;
        try {
          value = JSON.parse(await Deno.readTextFile(path));
        } catch (error) {
          throw new ModelConfigError(
            name,
            "",
            `not valid JSON (${(error as Error).message})`,
          );
        }
        const model = parseModelConfig(name, value);
        byId.set(model.id, model);
      } catch (error) {
        if (!(error instanceof ModelConfigError)) throw error;
        problems.push(
          `Docker model config skipped: ${resolve(dir)}/${error.message}; fix the file ` +
            `(gpu-agent/README.md, "Docker models"); everything else runs`,
        );
      }
    }
  }
  return { models: [...byId.values()], problems };
}
