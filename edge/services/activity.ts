/** The project activity log: who did what to which thing, and when. */
import { activity } from "../../db/schema/mod.ts";
import type { AppDeps } from "../context.ts";
import { newId } from "../lib/ids.ts";

export async function recordActivity(
  deps: AppDeps,
  entry: { projectId: string; actorId: string | null; action: string; subject: string },
): Promise<void> {
  await deps.db.insert(activity).values({ id: newId(), at: deps.now(), ...entry });
}
