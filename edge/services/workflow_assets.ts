/**
 * Workflow assets: a user's own ComfyUI workflow (API format) as a versioned library asset. The
 * file is checked (protocol/workflows/format.ts), stored once in the asset's folder under its
 * SHA-256 (`projects/{p}/assets/workflow/{assetId}/files/{sha256}.json`, immutable), and the
 * asset's params hold what it implements (node type, tier), which file, and the mapping, checked
 * against the workflow and the recorded ComfyUI class catalogue (protocol/workflows/check.ts).
 * Every change is a new asset version (services/assets.ts); a job freezes the version it ran.
 */
import { z } from "zod";
import { isExecutable, NODE_TYPES, nodeType, type NodeTypeDef } from "../../protocol/nodes.ts";
import { minVramMiB, type Tier } from "../../protocol/tiers.ts";
import {
  type ApiWorkflow,
  bindingProblems,
  classInfo,
  classNotes,
  detectBinding,
  nodeOrder,
  readWorkflow,
  WORKFLOW_MAX_BYTES,
  type WorkflowAssetParams,
  workflowAssetParamsSchema,
  type WorkflowBindingInput,
  workflowBindingSchema,
  type WorkflowFile,
} from "../../protocol/workflows/mod.ts";
import { and, eq, isNull, lt, sql } from "drizzle-orm";
import { assets, assetVersions, type JobWorkflow } from "../../db/schema/mod.ts";
import type { AppDeps } from "../context.ts";
import { ApiError, conflict } from "../errors.ts";
import { sha256Hex } from "../lib/bytes.ts";
import { newId } from "../lib/ids.ts";
import type { AssetRef } from "./asset_images.ts";
import {
  type Asset,
  type AssetEdit,
  assetToRun,
  createAsset,
  currentAssetsOfType,
  editAsset,
  loadAsset,
  parseStored,
} from "./assets.ts";

/** What a workflow upload or edit may say about the workflow. */
export interface WorkflowFields {
  nodeType?: string | undefined;
  tier?: Tier | undefined;
  /** The file's text, as exported with "Save (API)". */
  workflow?: string | undefined;
  fileName?: string | undefined;
  /** The mapping; omitted, the one detected in the (new) workflow. */
  binding?: WorkflowBindingInput | undefined;
}

const invalid = (path: string, message: string, code = "invalid_workflow") =>
  new ApiError(422, code, message.startsWith(`${path}:`) ? message : `${path}: ${message}`, [{
    path,
    message,
  }]);

const fileKey = (asset: AssetRef, sha256: string) =>
  `projects/${asset.projectId}/assets/workflow/${asset.id}/files/${sha256}.json`;

/** The node type a workflow may implement: one ComfyUI runs, at one of its tiers. */
function implemented(type: string, tier: Tier): NodeTypeDef {
  const def = nodeType(type);
  if (!def || !isExecutable(def) || !def.backends.includes("comfyui")) {
    throw invalid(
      "nodeType",
      def
        ? `"${type}" nodes do not run on ComfyUI; a workflow can implement ${comfyTypes()}`
        : `unknown node type "${type}"; a workflow can implement ${comfyTypes()}`,
    );
  }
  if (!def.tiers.includes(tier)) {
    throw invalid("tier", `"${type}" runs at ${def.tiers.join(" or ")}, not ${tier}`);
  }
  return def;
}

function comfyTypes(): string {
  return Object.values(NODE_TYPES).filter((d) => isExecutable(d) && d.backends.includes("comfyui"))
    .map((d) => d.type).join(", ");
}

/** The workflow in the request, parsed, or a 422 naming what is wrong with the file. */
function parseUpload(text: string) {
  const read = readWorkflow(text);
  if ("problem" in read) {
    const { path, message, code } = read.problem;
    throw invalid(path, message, code === "ui_format" ? "ui_format_workflow" : "invalid_workflow");
  }
  return read;
}

/** The mapping for a workflow: checked, with the tier's VRAM unless it says its own. */
function checkedBinding(
  workflow: ApiWorkflow,
  type: string,
  tier: Tier,
  binding: WorkflowBindingInput,
): WorkflowAssetParams["binding"] {
  const read = workflowBindingSchema.safeParse(binding);
  if (!read.success) {
    // Only a detected mapping can fail here (a sent one passed the body's schema): no save node.
    throw invalid(
      "binding.outputs",
      "the workflow saves nothing the studio recognises: add a Save node (SaveImage, " +
        "SaveVideo, SaveAudio...) or name the node whose files are the take in binding.outputs",
    );
  }
  const parsed = read.data;
  const problems = bindingProblems(workflow, type, parsed);
  if (problems.length > 0) {
    throw new ApiError(
      422,
      "invalid_binding",
      problems.slice(0, 3).map((p) => p.message).join("; "),
      problems,
    );
  }
  return { ...parsed, vramMiB: parsed.vramMiB ?? minVramMiB(tier) };
}

/** The stored file of a version, parsed; 409 when storage lost it. */
async function storedWorkflow(deps: AppDeps, file: WorkflowFile): Promise<ApiWorkflow> {
  const bytes = await deps.storage.get(file.key, WORKFLOW_MAX_BYTES);
  if (!bytes) {
    throw conflict(
      "workflow_file_missing",
      "the workflow's file is missing from storage: upload the workflow again",
    );
  }
  return JSON.parse(new TextDecoder().decode(bytes)) as ApiWorkflow;
}

/** A workflow asset's params; 422 for an asset of another type, 409 for unreadable params. */
export function workflowParams(asset: Pick<Asset, "type" | "params" | "name">) {
  if (asset.type !== "workflow") {
    throw invalid("workflowId", `"${asset.name}" is a ${asset.type} asset, not a workflow`);
  }
  const parsed = workflowAssetParamsSchema.safeParse(asset.params);
  if (!parsed.success) {
    throw conflict("unreadable_asset", `the stored mapping of "${asset.name}" cannot be read`);
  }
  return parsed.data;
}

/** Stores the uploaded file in the asset's folder (again is harmless: same key, same bytes). */
async function store(
  deps: AppDeps,
  asset: AssetRef,
  text: string,
  read: { bytes: number; workflow: ApiWorkflow },
  fileName?: string,
): Promise<WorkflowFile> {
  const sha256 = await sha256Hex(text);
  const key = fileKey(asset, sha256);
  await deps.storage.put(key, new TextEncoder().encode(text), "application/json");
  return {
    key,
    sha256,
    bytes: read.bytes,
    nodes: Object.keys(read.workflow).length,
    ...(fileName ? { fileName } : {}),
  };
}

/** Creates a workflow asset from an uploaded file: version 1 holds the file and the mapping. */
export async function createWorkflowAsset(
  deps: AppDeps,
  projectId: string,
  authorId: string,
  body: WorkflowFields & { name: string; description: string; nodeType: string; tier: Tier },
): Promise<Asset> {
  implemented(body.nodeType, body.tier);
  const read = parseUpload(body.workflow ?? "");
  const binding = checkedBinding(
    read.workflow,
    body.nodeType,
    body.tier,
    body.binding ?? detectBinding(read.workflow, body.nodeType, body.tier).binding,
  );
  const ref = { projectId, type: "workflow", id: newId() };
  const file = await store(deps, ref, body.workflow!, read, body.fileName);
  return await createAsset(deps, projectId, authorId, {
    id: ref.id,
    type: "workflow",
    name: body.name,
    description: body.description,
    params: { nodeType: body.nodeType, tier: body.tier, file, binding },
    referenceImageKeys: [],
  });
}

/**
 * The next version of a workflow asset: a new file (its mapping detected anew unless one is
 * given), another mapping, node type or tier; whatever is not given stays.
 */
export async function updateWorkflowAsset(
  deps: AppDeps,
  edit: AssetEdit,
  body: WorkflowFields,
  baseVersion?: number,
): Promise<Asset> {
  const asset = await loadAsset(deps, edit.projectId, edit.assetId);
  const current = workflowParams(asset);
  const type = body.nodeType ?? current.nodeType;
  const tier = body.tier ?? current.tier;
  implemented(type, tier);
  let file = current.file;
  let workflow: ApiWorkflow;
  let binding: WorkflowBindingInput | undefined = body.binding;
  if (body.workflow !== undefined) {
    const read = parseUpload(body.workflow);
    file = await store(deps, asset, body.workflow, read, body.fileName);
    workflow = read.workflow;
    binding ??= detectBinding(workflow, type, tier).binding;
  } else {
    workflow = await storedWorkflow(deps, current.file);
    // Another node type or tier without a mapping: propose again for what it now implements.
    binding ??= type === current.nodeType && tier === current.tier
      ? current.binding
      : detectBinding(workflow, type, tier).binding;
  }
  const params = {
    nodeType: type,
    tier,
    file,
    binding: checkedBinding(workflow, type, tier, binding),
  };
  return await editAsset(deps, edit, { params }, baseVersion);
}

/** One node of the workflow as the mapping editor lists it. */
export interface WorkflowNodeSummary {
  id: string;
  classType: string;
  title: string | null;
  /** The recorded ComfyUI versions that have the class; [] for a custom node. */
  versions: string[];
  /** Saves files (a stock output node, or a custom class named `Save*`). */
  saves: boolean;
  inputs: Array<{
    name: string;
    /** The input's type in the catalogue (`INT`, `STRING`, `MODEL`...), when known. */
    type: string | null;
    /** Set for inputs that hold a value; null for those wired to another node. */
    value: string | number | boolean | null;
    link: [string, number] | null;
  }>;
}

function summarize(workflow: ApiWorkflow): WorkflowNodeSummary[] {
  return nodeOrder(workflow).map((id) => {
    const node = workflow[id]!;
    const info = classInfo(node.class_type);
    return {
      id,
      classType: node.class_type,
      title: node._meta?.title ?? null,
      versions: info?.versions ?? [],
      saves: info ? info.output : node.class_type.startsWith("Save"),
      inputs: Object.entries(node.inputs).map(([name, raw]) => {
        const link = Array.isArray(raw) && raw.length === 2 && typeof raw[0] === "string" &&
            Number.isInteger(raw[1])
          ? raw as [string, number]
          : null;
        const scalar = typeof raw === "string" || typeof raw === "number" ||
          typeof raw === "boolean";
        return {
          name,
          type: info?.inputs[name] ?? null,
          value: link || !scalar ? null : raw,
          link,
        };
      }),
    };
  });
}

/**
 * What the studio's mapping editor shows for the asset's current version: the workflow's nodes,
 * the mapping as stored, the mapping detection would propose now with its notes, what people
 * should know about the classes, and a download URL of the file.
 */
export async function workflowAnalysis(deps: AppDeps, asset: Asset, urlTtlS: number) {
  const params = workflowParams(asset);
  const workflow = await storedWorkflow(deps, params.file);
  const detected = detectBinding(workflow, params.nodeType, params.tier);
  return {
    nodeType: params.nodeType,
    tier: params.tier,
    file: {
      sha256: params.file.sha256,
      bytes: params.file.bytes,
      nodes: params.file.nodes,
      fileName: params.file.fileName ?? null,
      url: await deps.storage.presignGet(params.file.key, { expiresInS: urlTtlS }),
    },
    binding: params.binding,
    detected: detected.binding,
    notes: [...detected.notes, ...classNotes(workflow)],
    problems: bindingProblems(workflow, params.nodeType, params.binding),
    nodes: summarize(workflow),
  };
}

/**
 * The workflow asset a node runs, frozen for a job at the version the node pins (else the one
 * it has now): 422 naming `params.workflowAssetId` when it is gone or implements another node
 * type, `params.workflowVersion` when it has no such version.
 */
export async function workflowForJob(
  deps: AppDeps,
  projectId: string,
  assetId: string,
  def: NodeTypeDef,
  version?: number,
): Promise<JobWorkflow & { tier: Tier }> {
  const refuse = (message: string, path = "params.workflowAssetId") =>
    new ApiError(422, "invalid_params", `Workflow: ${message}`, [{
      path,
      message: `Workflow: ${message}`,
    }]);
  const asset = await assetToRun(deps, projectId, assetId, version);
  if ("missing" in asset) {
    throw asset.missing === "asset"
      ? refuse("the workflow asset was deleted or is not in this project; pick another")
      : refuse(
        `it has no version ${version}; clear the pin to run the newest`,
        "params.workflowVersion",
      );
  }
  if (asset.type !== "workflow") throw refuse(`"${asset.name}" is not a workflow asset`);
  const params = workflowParams(asset);
  if (params.nodeType !== def.type) {
    throw refuse(
      `"${asset.name}" implements ${params.nodeType} nodes, not ${def.type}; pick another`,
    );
  }
  return {
    assetId: asset.id,
    version: asset.version,
    name: asset.name,
    file: params.file,
    binding: params.binding,
    tier: params.tier,
  };
}

/** The project's workflow assets as they are now; one whose params cannot be read is left out. */
export async function currentWorkflows(deps: AppDeps, projectId: string) {
  const rows = await currentAssetsOfType(deps, projectId, "workflow");
  return rows.flatMap((row) => {
    const params = workflowAssetParamsSchema.safeParse(row.params);
    return params.success ? [{ ...row, params: params.data }] : [];
  });
}

/**
 * The older versions of the project's workflow assets, as a node pinned to one would run it (its
 * name and mapping then); one whose params cannot be read is left out.
 */
export async function olderWorkflowVersions(deps: AppDeps, projectId: string) {
  const rows = await deps.db.select({
    id: assetVersions.assetId,
    name: assetVersions.name,
    version: assetVersions.version,
    // As text: one unreadable version is left out, not a failed list.
    params: sql<string>`${assetVersions.params}`,
  }).from(assetVersions)
    .innerJoin(assets, eq(assets.id, assetVersions.assetId))
    .where(and(workflowsOf(projectId), lt(assetVersions.version, assets.version)));
  return rows.flatMap((row) => {
    const params = workflowAssetParamsSchema.safeParse(parseStored(row.params));
    return params.success ? [{ ...row, params: params.data }] : [];
  });
}

function workflowsOf(projectId: string) {
  return and(
    eq(assets.projectId, projectId),
    eq(assets.type, "workflow"),
    isNull(assets.deletedAt),
  );
}

/** The body of `POST …/assets/workflows` and `PUT …/assets/:assetId/workflow`, shared parts. */
export const workflowFieldsSchema = {
  workflow: z.string({ message: `the file's text, as exported with "Save (API)"` }),
  fileName: z.string().trim().max(200).optional(),
  binding: workflowBindingSchema.optional(),
};
