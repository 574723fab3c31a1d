/**
 * Rate limits with exponential back-off for the doors a stranger can knock on: sign-in,
 * registration, share-link acceptance and preview, agent enrollment, invitations and comments. Each limit
 * allows some attempts in a window; past them, every further attempt makes the caller wait twice
 * as long as the last, up to a cap. The cap is what keeps this a limit, not a lock: someone
 * hammering a victim's account can slow the real user's next try by at most `maxDelayMs`, never
 * shut them out.
 *
 * Counts live in the database (db/schema/limits.ts), so serving threads and Workers isolates
 * share them; each attempt is one atomic upsert.
 */
import { inArray, lt, sql } from "drizzle-orm";
import type { Context } from "hono";
import { rateLimits } from "../../db/schema/mod.ts";
import type { AppDeps, AppEnv } from "../context.ts";
import { ApiError } from "../errors.ts";
import { sha256Hex } from "../lib/bytes.ts";

export interface LimitPolicy {
  /** Part of every key, and of the 429 message. */
  name: string;
  /** Attempts per window that cost no wait; the one after them waits `firstDelayMs`. */
  free: number;
  windowMs: number;
  /** The first wait once the free attempts are used up; it doubles with each further attempt. */
  firstDelayMs: number;
  /** The longest wait. */
  maxDelayMs: number;
}

const MINUTE = 60_000;

/** The studio's limits. Only failures count, except for registration, where every try does. */
export const LIMITS = {
  /** Wrong passwords for one account, from anywhere: about one guess a minute once it bites. */
  loginAccount: {
    name: "sign-in",
    free: 5,
    windowMs: 15 * MINUTE,
    firstDelayMs: 1000,
    maxDelayMs: MINUTE,
  },
  /** Wrong passwords from one address, for any accounts. */
  loginAddress: {
    name: "sign-in",
    free: 20,
    windowMs: 15 * MINUTE,
    firstDelayMs: 1000,
    maxDelayMs: 15 * MINUTE,
  },
  register: {
    name: "registration",
    free: 20,
    windowMs: 60 * MINUTE,
    firstDelayMs: 1000,
    maxDelayMs: 60 * MINUTE,
  },
  shareLink: {
    name: "share link",
    free: 20,
    windowMs: 15 * MINUTE,
    firstDelayMs: 1000,
    maxDelayMs: 15 * MINUTE,
  },
  enrollment: {
    name: "enrollment",
    free: 10,
    windowMs: 15 * MINUTE,
    firstDelayMs: 1000,
    maxDelayMs: 15 * MINUTE,
  },
  /**
   * Invitations sent from one address (every try counts, as for registration): each puts a
   * notice on someone's dashboard, so a stranger with throw-away accounts and projects is
   * bounded here. The answer no longer says whether an email has an account.
   */
  inviteAddress: {
    name: "invitation",
    free: 200,
    windowMs: 60 * MINUTE,
    firstDelayMs: 1000,
    maxDelayMs: 60 * MINUTE,
  },
  /** Wrong studio join codes from one address (a code is unguessable; guessing is refused). */
  studioJoin: {
    name: "studio join",
    free: 20,
    windowMs: 15 * MINUTE,
    firstDelayMs: 1000,
    maxDelayMs: 15 * MINUTE,
  },
  /** Invitations into one project: a team is invited in tens, not hundreds, an hour. */
  inviteProject: {
    name: "invitation",
    free: 50,
    windowMs: 60 * MINUTE,
    firstDelayMs: 1000,
    maxDelayMs: 60 * MINUTE,
  },
  /**
   * Comments and replies by one person (every one counts): 30 a minute cost nothing; past that
   * each waits twice as long as the last, up to a minute. One guest pasting in a loop cannot
   * bury a thread for everyone else.
   */
  comment: {
    name: "comment",
    free: 30,
    windowMs: MINUTE,
    firstDelayMs: 2000,
    maxDelayMs: MINUTE,
  },
} satisfies Record<string, LimitPolicy>;

/** One count: a policy applied to one subject (an account's email, a client's address). */
export interface LimitSubject {
  policy: LimitPolicy;
  /** Which count this is, e.g. `account:ada@example.com` or `address:203.0.113.9`. */
  subject: string;
}

/** Rows older than this, and not blocking, are deleted (longer than any window). */
const KEEP_MS = 24 * 60 * MINUTE;

function keyOf({ policy, subject }: LimitSubject): Promise<string> {
  return sha256Hex(`${policy.name}:${subject}`);
}

/** The subjects for a request: the given ones, plus the caller's address when it is known. */
export function subjectsFor(
  c: Context<AppEnv>,
  address: LimitPolicy,
  ...others: LimitSubject[]
): LimitSubject[] {
  const client = c.get("deps").clientAddress?.(c);
  return client ? [...others, { policy: address, subject: `address:${client}` }] : others;
}

/** Answers 429 with `Retry-After` while any of the subjects is made to wait. */
export async function refuseIfLimited(deps: AppDeps, subjects: LimitSubject[]): Promise<void> {
  if (subjects.length === 0) return;
  const keys = await Promise.all(subjects.map(keyOf));
  const rows = await deps.db.select({ blockedUntil: rateLimits.blockedUntil }).from(rateLimits)
    .where(inArray(rateLimits.key, keys));
  const until = Math.max(0, ...rows.map((r) => r.blockedUntil));
  const waitMs = until - deps.now();
  if (waitMs <= 0) return;
  const seconds = Math.ceil(waitMs / 1000);
  throw new ApiError(
    429,
    "rate_limited",
    `too many ${subjects[0]!.policy.name} attempts: try again in ${seconds} s`,
    undefined,
    { "Retry-After": String(seconds) },
  );
}

/** Counts one attempt against each subject; past its free attempts, each one backs off. */
export async function countAttempt(deps: AppDeps, subjects: LimitSubject[]): Promise<void> {
  const now = deps.now();
  for (const subject of subjects) {
    const { free, windowMs, firstDelayMs, maxDelayMs } = subject.policy;
    const expired = sql`${rateLimits.windowStartedAt} <= ${now - windowMs}`;
    const attempts = sql`(case when ${expired} then 1 else ${rateLimits.attempts} + 1 end)`;
    await deps.db.insert(rateLimits).values({
      key: await keyOf(subject),
      attempts: 1,
      windowStartedAt: now,
      blockedUntil: free <= 1 ? now + firstDelayMs : 0,
    }).onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        attempts,
        windowStartedAt:
          sql`case when ${expired} then ${now} else ${rateLimits.windowStartedAt} end`,
        // firstDelayMs · 2^(attempts past the free ones), at most maxDelayMs.
        blockedUntil: sql`case when ${attempts} >= ${free}
          then ${now} + min(${maxDelayMs}, ${firstDelayMs} << min(${attempts} - ${free}, 30))
          else 0 end`,
      },
    });
  }
  await deps.db.delete(rateLimits).where(
    sql`${lt(rateLimits.windowStartedAt, now - KEEP_MS)} and ${lt(rateLimits.blockedUntil, now)}`,
  );
}

/** Forgets the subjects' counts (a successful sign-in clears its account's). */
export async function clearAttempts(deps: AppDeps, subjects: LimitSubject[]): Promise<void> {
  if (subjects.length === 0) return;
  const keys = await Promise.all(subjects.map(keyOf));
  await deps.db.delete(rateLimits).where(inArray(rateLimits.key, keys));
}
