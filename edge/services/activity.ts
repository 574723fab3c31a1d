/** The project activity log: who did what to which thing, and when. */
import type { InStatement } from "@libsql/client";
import type { AppDeps } from "../context.ts";
import { newId } from "../lib/ids.ts";

export interface ActivityEntry {
  projectId: string;
  actorId: string | null;
  action: string;
  subject: string;
}

/**
 * The log insert as a raw statement, so a write can commit it in the same batch as the change
 * it records. With `onlyIfChanged`, it is written only when the statement before it in the
 * batch changed a row (SQLite's `changes()`), so a change that matched nothing logs nothing.
 */
export function activityStatement(
  deps: AppDeps,
  entry: ActivityEntry,
  options: { onlyIfChanged?: boolean } = {},
): InStatement {
  return {
    sql: `insert into activity (id, project_id, actor_id, action, subject, at)
      select ?, ?, ?, ?, ?, ?${options.onlyIfChanged ? " where changes() > 0" : ""}`,
    args: [newId(), entry.projectId, entry.actorId, entry.action, entry.subject, deps.now()],
  };
}

export async function recordActivity(deps: AppDeps, entry: ActivityEntry): Promise<void> {
  await deps.db.$client.execute(activityStatement(deps, entry));
}
