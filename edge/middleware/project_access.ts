/**
 * Project-scoped routes declare the least role they need. Anyone who is not a member, and any
 * id that does not exist or was deleted, gets the same 404, so nothing leaks about other teams'
 * projects. Members below the needed role get 403: they already know the project exists.
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Database } from "../../db/database.ts";
import { createMiddleware } from "hono/factory";
import { projectMembers, projects } from "../../db/schema/mod.ts";
import type { Role } from "../../protocol/room_ticket.ts";
import type { AppDeps, AppEnv, Principal } from "../context.ts";
import { ApiError, notFound, unauthorized } from "../errors.ts";
import { idSchema } from "../lib/ids.ts";

const RANK: Record<Role, number> = { reviewer: 1, editor: 2, owner: 3 };

export function roleAtLeast(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

function membershipQuery(db: Database) {
  return db
    .select({ id: projects.id, role: projectMembers.role })
    .from(projects)
    .leftJoin(projectMembers, and(
      eq(projectMembers.projectId, projects.id),
      eq(projectMembers.userId, sql.placeholder("userId")),
    ))
    .where(and(eq(projects.id, sql.placeholder("projectId")), isNull(projects.deletedAt)))
    .limit(1)
    .prepare();
}
/** Runs on every project-scoped request: prepared once per database. */
const preparedMembership = new WeakMap<Database, ReturnType<typeof membershipQuery>>();

/** The caller's role in a live project, or null when they may not see it at all. */
export async function roleInProject(
  deps: AppDeps,
  principal: Principal,
  projectId: string,
): Promise<Role | null> {
  let query = preparedMembership.get(deps.db);
  if (!query) preparedMembership.set(deps.db, query = membershipQuery(deps.db));
  const userId = principal.kind === "user" ? principal.user.id : "";
  const [row] = await query.execute({ userId, projectId });
  if (!row) return null;
  if (principal.kind === "guest") return principal.projectId === projectId ? "reviewer" : null;
  return row.role ?? null;
}

export function requireRole(needed: Role) {
  return createMiddleware<AppEnv>(async function requireRole(c, next) {
    const principal = c.var.principal;
    if (!principal) throw unauthorized();
    const projectId = c.req.param("id") ?? "";
    if (!idSchema.safeParse(projectId).success) {
      throw new ApiError(400, "invalid_path", "id: not a valid id", [
        { path: "id", message: "not a valid id" },
      ]);
    }
    const role = await roleInProject(c.var.deps, principal, projectId);
    if (!role) throw notFound("project");
    if (!roleAtLeast(role, needed)) {
      throw new ApiError(403, "forbidden", `this needs the ${needed} role; you are ${role}`);
    }
    c.set("access", { projectId, role });
    await next();
  });
}
