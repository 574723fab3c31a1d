/**
 * Project-scoped routes declare the least role they need. Anyone who is not a member, and any
 * id that does not exist or was deleted, gets the same 404, so nothing leaks about other teams'
 * projects. Members below the needed role get 403: they already know the project exists.
 */
import { createMiddleware } from "hono/factory";
import type { Role } from "../../protocol/room_ticket.ts";
import type { AppDeps, AppEnv, Principal } from "../context.ts";
import { ApiError, notFound, unauthorized } from "../errors.ts";
import { idSchema } from "../lib/ids.ts";

const RANK: Record<Role, number> = { reviewer: 1, editor: 2, owner: 3 };

export function roleAtLeast(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

/** Runs on every project-scoped request: one raw statement, as in services/sessions.ts. */
const MEMBERSHIP_SQL = `
  select p.id as id, m.role as role
  from projects p
  left join project_members m on m.project_id = p.id and m.user_id = ?
  where p.id = ? and p.deleted_at is null
  limit 1`;

/** The caller's role in a live project, or null when they may not see it at all. */
export async function roleInProject(
  deps: AppDeps,
  principal: Principal,
  projectId: string,
): Promise<Role | null> {
  const userId = principal.kind === "user" ? principal.user.id : "";
  const result = await deps.db.$client.execute({
    sql: MEMBERSHIP_SQL,
    args: [userId, projectId],
  });
  const row = result.rows[0] as unknown as { role: Role | null } | undefined;
  if (!row) return null;
  if (principal.kind === "guest") return principal.projectId === projectId ? "reviewer" : null;
  return row.role;
}

export function requireRole(needed: Role) {
  return createMiddleware<AppEnv>(async function requireRole(c, next) {
    const principal = c.get("principal");
    if (!principal) throw unauthorized();
    const projectId = c.req.param("id") ?? "";
    if (!idSchema.safeParse(projectId).success) {
      throw new ApiError(400, "invalid_path", "id: not a valid id", [
        { path: "id", message: "not a valid id" },
      ]);
    }
    const role = await roleInProject(c.get("deps"), principal, projectId);
    if (!role) throw notFound("project");
    if (!roleAtLeast(role, needed)) {
      throw new ApiError(403, "forbidden", `this needs the ${needed} role; you are ${role}`);
    }
    c.set("access", { projectId, role });
    await next();
  });
}
