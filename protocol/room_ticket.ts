/**
 * Room tickets: short-lived, HMAC-SHA256-signed claims the edge issues
 * (`GET /api/projects/:id/ticket`) and the room verifies before a socket opens. Pure WebCrypto,
 * so it runs on Deno, Workers and PartyKit alike.
 *
 * Format: `base64url(JSON payload) + "." + base64url(HMAC(payload part))`.
 *
 * @example
 * ```ts
 * const t = await signRoomTicket({ sub: "u1", project: "p1", role: "editor", name: "Ada", iat: 1e12 - 6e4, exp: 1e12 }, "secret");
 * await verifyRoomTicket(t, "secret", Date.now()); // payload, or null when bad or expired
 * ```
 */
import { z } from "zod";

export const ROLES = ["owner", "editor", "reviewer"] as const;
export type Role = typeof ROLES[number];

export const roomTicketSchema = z.object({
  /** User id, or `guest:<sessionId>` for a reviewer who came through a share link. */
  sub: z.string().min(1),
  project: z.string().min(1),
  /** The role the edge read when it issued the ticket. */
  role: z.enum(ROLES),
  name: z.string(),
  /**
   * When the edge received the ticket request (ms since the epoch, edge clock), before it read
   * the role: an access change the edge made at or after this time overrides `role`.
   */
  iat: z.number(),
  /** Expiry, milliseconds since the epoch. */
  exp: z.number(),
  /** The share link a guest came through: revoking the link ends the ticket's access. */
  link: z.string().min(1).optional(),
});
export type RoomTicket = z.infer<typeof roomTicketSchema>;

/**
 * Whose access a ticket rests on, as the edge names them in `access.changed` events
 * (protocol/canvas.ts): its subject, and for a guest also `link:<shareLinkId>`.
 */
export function accessSubjects(ticket: Pick<RoomTicket, "sub" | "link">): string[] {
  return ticket.link === undefined ? [ticket.sub] : [ticket.sub, linkSubject(ticket.link)];
}

/** The access subject of everyone who came through one share link. */
export function linkSubject(shareLinkId: string): string {
  return `link:${shareLinkId}`;
}

const encoder = new TextEncoder();

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

async function hmacKey(secret: string): Promise<CryptoKey> {
  return await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign", "verify"],
  );
}

export function signRoomTicket(payload: RoomTicket, secret: string): Promise<string> {
  return signTicket(payload, secret);
}

/** The ticket's payload when its signature is good and it has not expired; otherwise null. */
export function verifyRoomTicket(
  ticket: string,
  secret: string,
  now: number,
): Promise<RoomTicket | null> {
  return verifyTicket(ticket, secret, now, roomTicketSchema);
}

/**
 * Signs any ticket payload (room tickets, and the inbox tickets of protocol/inbox.ts). Kinds
 * share the key, so each kind's schema must refuse the others' payloads.
 */
export async function signTicket(payload: { exp: number }, secret: string): Promise<string> {
  const body = toBase64Url(encoder.encode(JSON.stringify(payload)));
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret), encoder.encode(body));
  return `${body}.${toBase64Url(new Uint8Array(mac))}`;
}

/** A ticket's payload when it is signed, unexpired and of `schema`'s kind; otherwise null. */
export async function verifyTicket<T extends { exp: number }>(
  ticket: string,
  secret: string,
  now: number,
  schema: z.ZodType<T>,
): Promise<T | null> {
  const [body, mac, extra] = ticket.split(".");
  if (!body || !mac || extra !== undefined) return null;
  try {
    const ok = await crypto.subtle.verify(
      "HMAC",
      await hmacKey(secret),
      fromBase64Url(mac),
      encoder.encode(body),
    );
    if (!ok) return null;
    const parsed = schema.safeParse(
      JSON.parse(new TextDecoder().decode(fromBase64Url(body))),
    );
    if (!parsed.success || parsed.data.exp <= now) return null;
    return parsed.data;
  } catch {
    return null; // malformed base64 or JSON: a bad ticket, not a server error
  }
}
