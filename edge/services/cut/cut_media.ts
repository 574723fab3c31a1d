/**
 * The takes a cut plays, from the database: each clip's node's selected take as the exports write
 * it (`CutMediaMap`), and every ready take of the project for matching an imported timeline's
 * media (`KnownTake`s for `mediaIndex`). A node with no take is absent: its clips are gaps.
 */
import type { Cut } from "../../../protocol/cut.ts";
import type { AppDeps } from "../../context.ts";
import { selectedTakes } from "../jobs/selects.ts";
import { type Audience, listTakes, takePath, takeUrl } from "../jobs/takes.ts";
import { renderFileName } from "../jobs/file_names.ts";
import type { CutMedia, KnownTake } from "./media.ts";

export async function cutMedia(
  deps: AppDeps,
  projectId: string,
  cut: Cut,
  audience: Audience,
): Promise<Map<string, CutMedia>> {
  const nodeIds = Object.values(cut.clips).map((c) => c.nodeId);
  const selects = await selectedTakes(deps, projectId, nodeIds);
  const media = new Map<string, CutMedia>();
  for (const [nodeId, { take }] of selects) {
    media.set(nodeId, {
      name: renderFileName(take),
      url: await takeUrl(deps, take, audience),
      relativePath: takePath(take),
    });
  }
  return media;
}

export async function projectTakes(deps: AppDeps, projectId: string): Promise<KnownTake[]> {
  const rows = await listTakes(deps, projectId);
  return await Promise.all(rows.map(async (take) => ({
    nodeId: take.nodeId,
    takeId: take.id,
    url: await takeUrl(deps, take, "member"),
    relativePath: takePath(take),
  })));
}
