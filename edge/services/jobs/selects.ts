/**
 * Selects: each node's chosen ("circled") take, the one downstream jobs read (inputs.ts) and the
 * cut plays. A node nobody chose for plays its newest ready take. Choosing is an edit: it is
 * recorded with who and when, logged, and told to the project's room so everyone sees it.
 *
 * @example
 * ```ts
 * const chosen = await selectedTakes(deps, projectId, ["shot1", "shot2"]);
 * chosen.get("shot1")?.take; // the take the cut plays for shot1
 * ```
 */
import { and, desc, eq, inArray } from "drizzle-orm";
import { takes, takeSelects, users } from "../../../db/schema/mod.ts";
import type { AppDeps } from "../../context.ts";
import { ApiError, notFound } from "../../errors.ts";
import { activityStatement } from "../activity.ts";
import { renderFileName } from "./file_names.ts";
import type { TakeRow } from "./takes.ts";

/** A node's selected take, and who chose it (null: nobody did, it is the newest). */
export interface Select {
  nodeId: string;
  take: TakeRow;
  selectedBy: { id: string; name: string } | null;
  selectedAt: number | null;
}

/**
 * The selected take of each of `nodeIds` (every node of the project when omitted) that has a
 * ready take: the chosen one, else the newest. Nodes without takes are absent.
 */
export async function selectedTakes(
  deps: AppDeps,
  projectId: string,
  nodeIds?: readonly string[],
): Promise<Map<string, Select>> {
  if (nodeIds?.length === 0) return new Map();
  const onlyThese = nodeIds === undefined ? undefined : [...new Set(nodeIds)];
  const ready = await deps.db.select().from(takes).where(and(
    eq(takes.projectId, projectId),
    eq(takes.state, "ready"),
    onlyThese === undefined ? undefined : inArray(takes.nodeId, onlyThese),
  )).orderBy(desc(takes.completedAt), desc(takes.take));
  const chosen = await deps.db.select({
    nodeId: takeSelects.nodeId,
    takeId: takeSelects.takeId,
    selectedAt: takeSelects.selectedAt,
    userId: users.id,
    userName: users.name,
  }).from(takeSelects).leftJoin(users, eq(users.id, takeSelects.selectedBy)).where(and(
    eq(takeSelects.projectId, projectId),
    onlyThese === undefined ? undefined : inArray(takeSelects.nodeId, onlyThese),
  ));
  const choice = new Map(chosen.map((c) => [c.nodeId, c]));
  const byId = new Map(ready.map((t) => [t.id, t]));
  const selects = new Map<string, Select>();
  for (const take of ready) {
    if (selects.has(take.nodeId)) continue;
    const c = choice.get(take.nodeId);
    const picked = c ? byId.get(c.takeId) : undefined;
    selects.set(
      take.nodeId,
      picked && c
        ? {
          nodeId: take.nodeId,
          take: picked,
          selectedBy: c.userId ? { id: c.userId, name: c.userName ?? "" } : null,
          selectedAt: c.selectedAt,
        }
        // Newest first: a node nobody chose for plays its first ready take here.
        : { nodeId: take.nodeId, take, selectedBy: null, selectedAt: null },
    );
  }
  return selects;
}

/** The take a node's downstream jobs read: its selected one; undefined when it has none. */
export async function selectedTake(
  deps: AppDeps,
  projectId: string,
  nodeId: string,
): Promise<TakeRow | undefined> {
  return (await selectedTakes(deps, projectId, [nodeId])).get(nodeId)?.take;
}

/**
 * Selects the take `picks` names for each node, except where it is already the one chosen: an
 * OpenTimelineIO import makes the takes its clips were cut with the ones the cut plays. Each is
 * an ordinary select (who, when, logged, told to the room). Answers what it selected, and why
 * it could not for a take no longer ready.
 */
export async function selectPicked(
  deps: AppDeps,
  projectId: string,
  picks: ReadonlyMap<string, string>,
  user: { id: string; name: string },
): Promise<{ selected: { nodeId: string; takeId: string }[]; notes: string[] }> {
  const current = await selectedTakes(deps, projectId, [...picks.keys()]);
  const selected: { nodeId: string; takeId: string }[] = [];
  const notes: string[] = [];
  for (const [nodeId, takeId] of picks) {
    const now = current.get(nodeId);
    if (now?.take.id === takeId && now.selectedAt !== null) continue;
    try {
      await selectTake(deps, { projectId, nodeId, takeId, user });
      selected.push({ nodeId, takeId });
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 404) throw error;
      notes.push(`take ${takeId} of node ${nodeId} is no longer ready: not selected`);
    }
  }
  return { selected, notes };
}

/**
 * Makes `takeId` the node's selected take, recorded with who and when and logged in the same
 * transaction, and tells the room. 404 when the take is not a ready take of that node.
 */
export async function selectTake(
  deps: AppDeps,
  request: {
    projectId: string;
    nodeId: string;
    takeId: string;
    user: { id: string; name: string };
  },
): Promise<Select> {
  const { projectId, nodeId, takeId, user } = request;
  const [take] = await deps.db.select().from(takes).where(and(
    eq(takes.id, takeId),
    eq(takes.projectId, projectId),
    eq(takes.nodeId, nodeId),
    eq(takes.state, "ready"),
  )).limit(1);
  if (!take) throw notFound(`take ${takeId} of node ${nodeId}`);
  const at = deps.now();
  await deps.db.$client.batch([
    {
      sql: `insert into take_selects (project_id, node_id, take_id, selected_by, selected_at)
        values (?, ?, ?, ?, ?)
        on conflict (project_id, node_id) do update set take_id = excluded.take_id,
          selected_by = excluded.selected_by, selected_at = excluded.selected_at`,
      args: [projectId, nodeId, takeId, user.id, at],
    },
    activityStatement(deps, {
      projectId,
      actorId: user.id,
      action: "take.select",
      subject: renderFileName(take),
    }),
  ], "write");
  deps.notifier.notify(projectId, {
    type: "take.selected",
    nodeId,
    takeId,
    by: { userId: user.id, name: user.name },
    at,
  });
  return { nodeId, take, selectedBy: { id: user.id, name: user.name }, selectedAt: at };
}
