/**
 * The project's virtual folder tree in the production convention:
 * `assets/{characters|styles|locations|workflows}/{name}/v{N}` and
 * `renders/{SCENE}/{SHOT}/v{NN}/{SHOT}_v{NN}_take{NN}.{ext}`. Built from the database only; it
 * names things, never server paths. Renders are filled in from takes by `renderEntries`; a cut's
 * renders appear under `renders/CUTS/{cutName}/v{NN}/{cutName}_v{NN}.mp4` (jobs/renders.ts).
 */
import { and, eq, isNull } from "drizzle-orm";
import { assets } from "../../db/schema/mod.ts";
import type { AppDeps } from "../context.ts";
import { renderFileName, shotCode } from "./jobs/file_names.ts";

export interface TreeNode {
  name: string;
  kind: "folder" | "asset" | "take";
  id?: string;
  children?: TreeNode[];
}

/** One render file to place in the tree (from the takes table once jobs exist). */
export interface RenderEntry {
  takeId: string;
  scene: string;
  shot: string;
  /** The node's series letter under this shot ("" for the first node; take_numbers.ts). */
  variant: string;
  version: number;
  take: number;
  ext: string;
}

const ASSET_FOLDERS = {
  character: "characters",
  style: "styles",
  location: "locations",
  workflow: "workflows",
  "model-config": "model-configs",
} as const;

const pad2 = (n: number) => String(n).padStart(2, "0");

function folder(name: string, children: TreeNode[]): TreeNode {
  return { name, kind: "folder", children };
}

/** Finds or adds the child folder `name`, keeping children sorted by name. */
function child(parent: TreeNode, name: string): TreeNode {
  const children = parent.children ??= [];
  let found = children.find((c) => c.name === name && c.kind === "folder");
  if (!found) {
    found = folder(name, []);
    children.push(found);
    children.sort((a, b) => a.name.localeCompare(b.name));
  }
  return found;
}

export async function projectStructure(
  deps: AppDeps,
  project: { id: string; name: string },
  renders: RenderEntry[],
): Promise<TreeNode> {
  const rows = await deps.db.select({
    id: assets.id,
    type: assets.type,
    name: assets.name,
    version: assets.version,
  }).from(assets).where(and(eq(assets.projectId, project.id), isNull(assets.deletedAt)));
  const assetsFolder = folder("assets", Object.values(ASSET_FOLDERS).map((f) => folder(f, [])));
  for (const row of rows.sort((a, b) => a.name.localeCompare(b.name))) {
    child(child(assetsFolder, ASSET_FOLDERS[row.type]), row.name).children!.push(
      { name: `v${row.version}`, kind: "asset", id: row.id },
    );
  }
  const rendersFolder = folder("renders", []);
  for (const r of renders) {
    const versionFolder = child(
      child(child(rendersFolder, r.scene), shotCode(r)),
      `v${pad2(r.version)}`,
    );
    versionFolder.children!.push({ name: renderFileName(r), kind: "take", id: r.takeId });
  }
  return folder(project.name, [assetsFolder, rendersFolder]);
}
