/**
 * Model config assets: a Docker model config (protocol/docker_models/model_config.ts) shared
 * through the project's library, so every agent of the project can run it without a file in its
 * own models folder. The config is checked with the agents' own rules when uploaded and on every
 * change (unknown placeholders, a placeholder glued into a larger argument, host paths,
 * privileged flags...: 422 naming `config.<field>`); the asset's params hold it as uploaded, and
 * every change is a new version (services/assets.ts). A node runs one when its
 * `modelConfigAssetId` names it; the job freezes the version it ran and carries the config.
 */
import type { JobModelConfig } from "../../db/schema/mod.ts";
import type { NodeTypeDef } from "../../protocol/nodes.ts";
import type { Tier } from "../../protocol/tiers.ts";
import {
  type CheckedModel,
  ModelConfigError,
  parseModelConfig,
} from "../../protocol/docker_models/model_config.ts";
import { tierMismatch } from "../../protocol/docker_models/tiers.ts";
import type { AppDeps } from "../context.ts";
import { ApiError, conflict } from "../errors.ts";
import {
  type Asset,
  type AssetEdit,
  assetToRun,
  createAsset,
  currentAssetsOfType,
  editAsset,
  loadAsset,
} from "./assets.ts";

/** The config checked as the agents check it, or a 422 naming `config.<field>` and the fix. */
export function checkModelConfig(config: unknown): CheckedModel {
  try {
    return parseModelConfig("config", config);
  } catch (error) {
    if (!(error instanceof ModelConfigError)) throw error;
    const path = error.field && error.field !== "(root)" ? `config.${error.field}` : "config";
    const message = `${path}: ${error.detail}`;
    throw new ApiError(422, "invalid_model_config", message, [{ path, message }]);
  }
}

/** 422 for an asset of another type. */
function mustBeModelConfig(asset: Pick<Asset, "type" | "name">): void {
  if (asset.type === "model-config") return;
  const message = `"${asset.name}" is a ${asset.type} asset, not a model config`;
  throw new ApiError(422, "invalid_body", `assetId: ${message}`, [{ path: "assetId", message }]);
}

/** A model config asset's stored config, checked; 409 when it no longer passes the checks. */
function storedConfig(asset: Pick<Asset, "params" | "name">): {
  config: Record<string, unknown>;
  checked: CheckedModel;
} {
  const config = asset.params.config as Record<string, unknown>;
  try {
    return { config, checked: parseModelConfig("config", config) };
  } catch (error) {
    if (!(error instanceof ModelConfigError)) throw error;
    // The rules grew stricter since it was uploaded: say so rather than run it.
    throw conflict(
      "unreadable_asset",
      `the model config "${asset.name}" no longer passes the checks (${error.message}): ` +
        `upload it again fixed`,
    );
  }
}

/** Creates a model config asset; its name and description default to the config's own. */
export async function createModelConfigAsset(
  deps: AppDeps,
  projectId: string,
  authorId: string,
  body: { name?: string | undefined; description?: string | undefined; config: unknown },
): Promise<Asset> {
  const checked = checkModelConfig(body.config);
  return await createAsset(deps, projectId, authorId, {
    type: "model-config",
    name: body.name ?? checked.title,
    description: body.description ?? checked.description,
    params: { config: body.config as Record<string, unknown> },
    referenceImageKeys: [],
  });
}

/** The next version of a model config asset with a new config, checked the same way. */
export async function updateModelConfigAsset(
  deps: AppDeps,
  edit: AssetEdit,
  config: unknown,
  baseVersion?: number,
): Promise<Asset> {
  const asset = await loadAsset(deps, edit.projectId, edit.assetId);
  mustBeModelConfig(asset);
  checkModelConfig(config);
  return await editAsset(
    deps,
    edit,
    { params: { config: config as Record<string, unknown> } },
    baseVersion,
  );
}

/**
 * The model config asset a node runs, frozen for a job at the version the node pins (else the
 * one it has now), with the tier it runs at (the one asked for when the config implements it): 422 naming
 * `params.modelConfigAssetId` when it is gone or implements another node type, `tier` when it
 * does not run at the tier asked for, `params.modelConfigVersion` when it has no such version.
 */
export async function modelConfigForJob(
  deps: AppDeps,
  projectId: string,
  assetId: string,
  def: NodeTypeDef,
  tier: Tier,
  version?: number,
): Promise<{ job: JobModelConfig; checked: CheckedModel }> {
  const refuse = (path: string, message: string) =>
    new ApiError(422, "invalid_params", `Docker model: ${message}`, [{
      path,
      message: `Docker model: ${message}`,
    }]);
  const asset = await assetToRun(deps, projectId, assetId, version);
  if ("missing" in asset) {
    throw asset.missing === "asset"
      ? refuse(
        "params.modelConfigAssetId",
        "the model config asset was deleted or is not in this project; pick another",
      )
      : refuse(
        "params.modelConfigVersion",
        `it has no version ${version}; clear the pin to run the newest`,
      );
  }
  if (asset.type !== "model-config") {
    throw refuse("params.modelConfigAssetId", `"${asset.name}" is not a model config asset`);
  }
  const { config, checked } = storedConfig(asset);
  const mismatch = tierMismatch(asset.name, def.type, checked.pairs, tier);
  if (mismatch) {
    const wrongType = !checked.pairs.some((p) => p.nodeType === def.type);
    throw refuse(wrongType ? "params.modelConfigAssetId" : "tier", mismatch);
  }
  return {
    job: { assetId: asset.id, version: asset.version, name: asset.name, config },
    checked,
  };
}

/** A model config asset as it is now, checked (for `modelConfigAvailability`). */
export interface CurrentModelConfig {
  id: string;
  name: string;
  version: number;
  checked: CheckedModel;
}

/** The project's model config assets as they are now; one that no longer passes is left out. */
export async function currentModelConfigs(
  deps: AppDeps,
  projectId: string,
): Promise<CurrentModelConfig[]> {
  const rows = await currentAssetsOfType(deps, projectId, "model-config");
  return rows.flatMap((row) => {
    try {
      return [{
        id: row.id,
        name: row.name,
        version: row.version,
        checked: storedConfig(row).checked,
      }];
    } catch {
      return [];
    }
  });
}
