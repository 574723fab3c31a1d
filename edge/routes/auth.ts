/** Register, sign in, sign out, and who am I. */
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import type { Context } from "hono";
import { z } from "zod";
import { users } from "../../db/schema/mod.ts";
import type { AppEnv } from "../context.ts";
import { conflict, unauthorized } from "../errors.ts";
import { newId } from "../lib/ids.ts";
import { jsonBody } from "../lib/validate.ts";
import {
  hashPassword,
  newPasswordSchema,
  verifyAgainstDummy,
  verifyPassword,
} from "../services/passwords.ts";
import {
  clearAttempts,
  countAttempt,
  LIMITS,
  refuseIfLimited,
  subjectsFor,
} from "../services/rate_limit.ts";
import { createSession, revokeSession, SESSION_COOKIE } from "../services/sessions.ts";

const email = z.email({ message: "not a valid email address" }).max(254)
  .transform((e) => e.toLowerCase());
const registerSchema = z.object({
  email,
  password: newPasswordSchema,
  name: z.string().trim().min(1, "name is required").max(100),
}).strict();
const loginSchema = z.object({ email, password: z.string().min(1).max(200) }).strict();

export function setSessionCookie(c: Context<AppEnv>, token: string, expiresAt: number) {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "Lax",
    secure: c.get("deps").config.PUBLIC_URL.startsWith("https:"),
    path: "/",
    expires: new Date(expiresAt),
  });
}

export const authRoutes = new Hono<AppEnv>()
  .post("/register", ...jsonBody(registerSchema), async (c) => {
    const deps = c.get("deps");
    const body = c.req.valid("json");
    const limits = subjectsFor(c, LIMITS.register);
    await refuseIfLimited(deps, limits);
    await countAttempt(deps, limits);
    // Hashed before the email is looked up, so a taken email answers no faster than a free one.
    const passwordHash = await hashPassword(body.password);
    const [existing] = await deps.db.select({ id: users.id }).from(users)
      .where(eq(users.email, body.email)).limit(1);
    // Saying so is worth the hint it gives (the person needs to know to sign in instead); the
    // registration limit above keeps anyone from asking about many emails.
    if (existing) throw conflict("email_taken", "an account with this email exists: sign in");
    const user = { id: newId(), email: body.email, name: body.name };
    await deps.db.insert(users).values({ ...user, passwordHash, createdAt: deps.now() })
      .onConflictDoNothing();
    const [stored] = await deps.db.select({ id: users.id }).from(users)
      .where(eq(users.id, user.id)).limit(1);
    if (!stored) throw conflict("email_taken", "an account with this email exists: sign in");
    const session = await createSession(deps, { userId: user.id });
    setSessionCookie(c, session.token, session.expiresAt);
    return c.json({ user, token: session.token }, 201);
  })
  .post("/login", ...jsonBody(loginSchema), async (c) => {
    const deps = c.get("deps");
    const body = c.req.valid("json");
    // Unknown emails are counted too, so the limit tells nothing about who has an account.
    const account = { policy: LIMITS.loginAccount, subject: `account:${body.email}` };
    const limits = subjectsFor(c, LIMITS.loginAddress, account);
    await refuseIfLimited(deps, limits);
    const [row] = await deps.db.select().from(users).where(eq(users.email, body.email)).limit(1);
    const ok = row
      ? await verifyPassword(body.password, row.passwordHash)
      : await verifyAgainstDummy(body.password);
    if (!row || !ok) {
      await countAttempt(deps, limits);
      throw unauthorized("wrong email or password");
    }
    await clearAttempts(deps, [account]);
    const session = await createSession(deps, { userId: row.id });
    setSessionCookie(c, session.token, session.expiresAt);
    return c.json({ user: { id: row.id, email: row.email, name: row.name }, token: session.token });
  })
  .post("/logout", async (c) => {
    const principal = c.get("principal");
    if (!principal) throw unauthorized();
    await revokeSession(c.get("deps"), principal.sessionId);
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    return c.body(null, 204);
  })
  .get("/me", (c) => {
    const principal = c.get("principal");
    if (!principal) throw unauthorized();
    if (principal.kind === "user") return c.json({ user: principal.user });
    return c.json({ guest: { projectId: principal.projectId, name: principal.name } });
  });
