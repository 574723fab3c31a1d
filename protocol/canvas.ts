/**
 * The live canvas wire protocol, shared by the room (party/), the web app and tests, plus the
 * events the edge posts to a room. Every message is one JSON object with a `type`.
 *
 * Session: the client connects to `/parties/main/{projectId}?ticket=...`, then sends `hello`
 * with its `PROTOCOL_VERSION` and, when reconnecting, the `epoch` and last `seq` it saw. The
 * room answers `welcome`, then either the missed `state.update`s or one `state.snapshot`.
 * An older protocol gets `incompatible` and the socket is closed.
 *
 * Graph operations carry a client-chosen `opId`; the sender gets `ack {opId, seq}` or
 * `reject {opId, code, reason}` and may apply the operation optimistically meanwhile. Everyone
 * (sender included, through its ack) sees accepted operations in `seq` order.
 *
 * `generate.start` is part of the vocabulary but the room does not run jobs: the edge does
 * (`POST /api/projects/:id/nodes/:nodeId/generate`), so the room always rejects it with code
 * `use_http` naming that route. Progress then reaches everyone through `progress.update`.
 *
 * @example
 * ```ts
 * import { parseClientMessage, PROTOCOL_VERSION } from "./canvas.ts";
 * const msg = parseClientMessage('{"type":"hello","protocol":2}');
 * if (msg.ok) console.log(msg.value.type, PROTOCOL_VERSION);
 * ```
 */
import { z } from "zod";
import { boundedJsonObject } from "./bounded_json.ts";
import { CUT_OP_TYPES, cutOpSchemas } from "./cut_ops.ts";
import { graphEdgeSchema, graphIdSchema, graphNodeSchema, graphSchema } from "./graph.ts";
import { reviewUpdateSchema } from "./review.ts";
import { ROLES } from "./room_ticket.ts";

/** Bumped on any change a client of the previous version could misread. */
export const PROTOCOL_VERSION = 2;
/**
 * Messages larger than this (UTF-16 code units of the JSON text) are rejected unread, with a
 * `reject` of code `too_large`. Frames over 1 MiB never reach the room: the runtime (workerd,
 * as Durable Objects run) closes the socket with `CLOSE_CODES.messageTooLarge` and a reason.
 */
export const MAX_MESSAGE_CHARS = 64 * 1024;
/**
 * Sockets one person (one ticket subject) may hold open in one room: enough for several tabs,
 * few enough that one leaked ticket cannot flood a room.
 */
export const MAX_SOCKETS_PER_USER = 8;
/** Close codes the room uses, so clients know whether reconnecting can help. */
export const CLOSE_CODES = {
  incompatible: 4000,
  /** Removed from the project, or the share link was revoked. */
  removed: 4403,
  unknownProject: 4404,
  /** Over `MAX_SOCKETS_PER_USER` for this person in this room. */
  tooManyConnections: 4429,
  unavailable: 4503,
  /** Sent by the runtime, not the room, for a frame over 1 MiB: do not send it again. */
  messageTooLarge: 1009,
} as const;

const opId = z.string().min(1).max(64);
const coordinate = z.number().finite();

/**
 * Per-property changes; a param set to `null` is removed. Last writer (in room order) wins.
 * The changed params are bounded like a node's params; the params they make are checked again
 * when applied (rules/node_rules.ts), since many small updates could add up past the size limit.
 */
export const nodeChangesSchema = z.object({
  title: z.string().max(200).optional(),
  x: coordinate.optional(),
  y: coordinate.optional(),
  params: boundedJsonObject(z.string().min(1).max(64)).optional(),
}).strict();
export type NodeChanges = z.infer<typeof nodeChangesSchema>;

/**
 * `restore` brings back a deleted node under its own id (undo of a delete, or restoring a node a
 * teammate deleted while you edited it), so its takes and history stay with it. Without it a
 * deleted node's id is refused: a replayed create must not resurrect a node.
 */
const restore = z.literal(true).optional();

export const graphOpSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("node.create"), node: graphNodeSchema, restore }).strict(),
  z.object({ type: z.literal("node.update"), id: graphIdSchema, set: nodeChangesSchema }).strict(),
  z.object({ type: z.literal("node.delete"), id: graphIdSchema }).strict(),
  z.object({ type: z.literal("edge.create"), edge: graphEdgeSchema }).strict(),
  z.object({ type: z.literal("edge.delete"), id: graphIdSchema }).strict(),
  ...cutOpSchemas,
]);
/** A change to the graph or its cuts: what the room sequences, stores and relays. */
export type GraphOp = z.infer<typeof graphOpSchema>;
export const GRAPH_OP_TYPES = [
  "node.create",
  "node.update",
  "node.delete",
  "edge.create",
  "edge.delete",
  ...CUT_OP_TYPES,
] as const;

const withOpId = <T extends z.ZodRawShape>(shape: T) => z.object({ ...shape, opId }).strict();

export const clientMessageSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("hello"),
    protocol: z.number().int(),
    /** Set when reconnecting: the room's epoch and the last sequence number this client saw. */
    epoch: z.string().max(64).optional(),
    lastSeq: z.number().int().min(0).optional(),
  }).strict(),
  z.object({ type: z.literal("ping"), t: z.number().optional() }).strict(),
  withOpId({ type: z.literal("node.create"), node: graphNodeSchema, restore }),
  withOpId({ type: z.literal("node.update"), id: graphIdSchema, set: nodeChangesSchema }),
  withOpId({ type: z.literal("node.delete"), id: graphIdSchema }),
  withOpId({ type: z.literal("edge.create"), edge: graphEdgeSchema }),
  withOpId({ type: z.literal("edge.delete"), id: graphIdSchema }),
  ...cutOpSchemas.map((schema) => schema.extend({ opId })),
  withOpId({ type: z.literal("generate.start"), nodeId: graphIdSchema }),
  z.object({ type: z.literal("cursor.move"), x: coordinate, y: coordinate }).strict(),
  z.object({
    type: z.literal("selection.change"),
    nodeIds: z.array(graphIdSchema).max(1000),
  }).strict(),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

/** Someone in the room; one entry per connection (a user with two tabs appears twice). */
export interface Peer {
  connectionId: string;
  userId: string;
  name: string;
  role: typeof ROLES[number];
  /** CSS colour derived from the user id, stable across sessions. */
  color: string;
}

export const REJECT_CODES = [
  "invalid", // malformed JSON or a field out of range (see `field`)
  "too_large",
  "forbidden", // reviewers cannot change the graph
  "not_ready", // hello not sent yet
  "conflict", // id already used, or the target was deleted
  "not_found",
  "incompatible_sockets",
  "cycle",
  "use_http", // generate.start: jobs are started through the edge's HTTP API
] as const;
export type RejectCode = typeof REJECT_CODES[number];

/** A take as the edge reports it; the room relays it without interpreting it. */
export const takeSchema = z.object({ id: z.string().min(1) }).passthrough();

export const progressEventSchema = z.object({
  type: z.literal("progress.update"),
  nodeId: graphIdSchema,
  taskId: z.string().min(1).max(64),
  percent: z.number().min(0).max(100),
  message: z.string().max(1000),
  /** Seconds left, when the backend can tell. */
  eta: z.number().min(0).optional(),
  /** The job runs at a lower tier than asked: why ("high→standard: largest online GPU 16 GB"). */
  rationale: z.string().max(1000).optional(),
  /** A new preview frame came with this event (its time): load the job's preview again. */
  previewAt: z.number().optional(),
}).strict();
export const generationCompleteEventSchema = z.object({
  type: z.literal("generation.complete"),
  nodeId: graphIdSchema,
  taskId: z.string().min(1).max(64),
  take: takeSchema,
}).strict();
/**
 * What the edge posts for a new take: also the take's download URL signed for guests' shorter
 * lifetime, which the room gives share-link guests in place of `take.url`.
 */
const generationCompleteFromEdgeSchema = generationCompleteEventSchema.extend({
  guestUrl: z.string().min(1),
}).strict();
/**
 * A take's poster frame and media facts arrived after its `generation.complete` (the agent makes
 * them beside its next job): the same take again, to merge by id. Never ends or starts a run.
 */
export const takeDescribedEventSchema = z.object({
  type: z.literal("take.described"),
  nodeId: graphIdSchema,
  taskId: z.string().min(1).max(64),
  take: takeSchema,
}).strict();
const takeDescribedFromEdgeSchema = takeDescribedEventSchema.extend({
  guestUrl: z.string().min(1),
}).strict();
export const errorEventSchema = z.object({
  type: z.literal("error.occurred"),
  nodeId: graphIdSchema,
  taskId: z.string().min(1).max(64),
  message: z.string().max(4000),
  /** How the run ended: a failure to show in red, or a cancel someone asked for. */
  state: z.enum(["failed", "canceled"]).default("failed"),
}).strict();

/**
 * Someone selected ("circled") a node's take: the one its downstream jobs and the cut use.
 * Posted by the edge (`PUT /api/projects/:id/nodes/:nodeId/selected-take`), fanned out as is.
 */
export const takeSelectedEventSchema = z.object({
  type: z.literal("take.selected"),
  nodeId: graphIdSchema,
  takeId: z.string().min(1).max(64),
  by: z.object({ userId: z.string().min(1).max(100), name: z.string().max(200) }).strict(),
  at: z.number(),
}).strict();

/**
 * What the edge POSTs to `/parties/main/{projectId}` (Bearer ROOM_SECRET). Most are events the
 * room fans out (answered `{ok: true}`). Two are requests that make the room the one authority
 * for the graph, answered `{revision}`: `graph.flush` stores the graph as the room holds it now
 * (if anything is unflushed) and names the revision that holds every op accepted before it;
 * `graph.revert` replaces the room's graph by an earlier revision's at this point in the room's
 * order, storing unflushed edits first so history keeps them.
 */
export const edgeEventSchema = z.discriminatedUnion("type", [
  progressEventSchema,
  generationCompleteFromEdgeSchema,
  takeDescribedFromEdgeSchema,
  errorEventSchema,
  takeSelectedEventSchema,
  /** A comment or decision changed (protocol/review.ts): relayed to everyone as is. */
  reviewUpdateSchema,
  /**
   * From `at` on, `subject` (a user id, or `link:<shareLinkId>` for everyone who came through
   * that link: protocol/room_ticket.ts `accessSubjects`) has `role` in the project, or no access
   * (null: removed, link revoked). Open sockets take the new role at once; tickets issued before
   * `at` (their `iat`) carry it instead of their own.
   */
  z.object({
    type: z.literal("access.changed"),
    subject: z.string().min(1),
    role: z.enum(ROLES).nullable(),
    /** When the edge made the change (ms since the epoch, edge clock). */
    at: z.number(),
  }).strict(),
  /**
   * Who is a member, or invited, changed without an access change (an invitation declined):
   * relayed to members' sockets as is, so open members panels reload.
   */
  z.object({ type: z.literal("members.changed") }).strict(),
  z.object({ type: z.literal("graph.flush") }).strict(),
  z.object({
    type: z.literal("graph.revert"),
    revision: z.number().int().min(1),
    authorId: z.string().min(1).max(100),
  }).strict(),
  /**
   * A cut edit made through the edge for `authorId` (an OpenTimelineIO import): ordered and
   * relayed like a client's op, then stored; answered `{revision}`, or 409 with the refusal.
   */
  z.object({
    type: z.literal("cut.edit"),
    op: z.discriminatedUnion("type", [...cutOpSchemas]),
    authorId: z.string().min(1).max(100),
  }).strict(),
]);
export type EdgeEvent = z.infer<typeof edgeEventSchema>;
/** The room's answer to an edge event: `{revision}` for the graph requests and cut edits. */
export type EdgeEventAnswer = { ok: true } | { revision: number };
/** What a node shows about its runs changed: a job event, or a take selected, as clients receive it. */
export type JobEvent =
  | z.infer<typeof progressEventSchema>
  | z.infer<typeof generationCompleteEventSchema>
  | z.infer<typeof takeDescribedEventSchema>
  | z.infer<typeof errorEventSchema>
  | z.infer<typeof takeSelectedEventSchema>;

export type ServerMessage =
  | { type: "welcome"; protocol: number; epoch: string; seq: number; you: Peer; peers: Peer[] }
  | { type: "incompatible"; protocol: number; reason: string }
  | { type: "state.snapshot"; epoch: string; seq: number; graph: z.infer<typeof graphSchema> }
  | { type: "state.update"; seq: number; op: GraphOp; opId: string; by: string }
  | { type: "ack"; opId: string; seq: number }
  | { type: "reject"; opId: string | null; code: RejectCode; reason: string; field?: string }
  | { type: "pong"; t?: number; now: number }
  | { type: "user.joined"; peer: Peer }
  | { type: "user.left"; connectionId: string; userId: string }
  /** Someone's role changed while connected (sent to them too). */
  | { type: "user.updated"; peer: Peer }
  /**
   * Who is a member changed (an invitation accepted, a role changed, someone removed): reload
   * the member and invitation lists. No data: the page reads them through the API, which checks
   * who asks. Older clients ignore it.
   */
  | { type: "members.changed" }
  | { type: "cursor.update"; cursors: { connectionId: string; x: number; y: number }[] }
  | { type: "selection.update"; selections: { connectionId: string; nodeIds: string[] }[] }
  | JobEvent
  | z.infer<typeof reviewUpdateSchema>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; field: string; reason: string };

function _firstIssue(error: z.ZodError): { field: string; reason: string } {
  const issue = error.issues[0];
  const field = issue?.path.join(".") || "(message)";
  return { field, reason: `${field}: ${issue?.message ?? "invalid"}` };
}

/**
 * The largest event the edge posts: a whole imported cut (the edge, holding the secret, is
 * trusted with more than a client's frame).
 */
export const MAX_EDGE_EVENT_CHARS = 8 * 1024 * 1024;

function _parse<T>(schema: z.ZodType<T>, text: string, limit = MAX_MESSAGE_CHARS): Parsed<T> {
  if (text.length > limit) {
    return { ok: false, field: "(message)", reason: `message over ${limit} characters` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, field: "(message)", reason: "message is not JSON" };
  }
  const result = schema.safeParse(json);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, ..._firstIssue(result.error) };
}

/** Validates one client frame; never throws. */
export function parseClientMessage(text: string): Parsed<ClientMessage> {
  return _parse(clientMessageSchema, text);
}

/** Validates one edge → room event body; never throws. */
export function parseEdgeEvent(text: string): Parsed<EdgeEvent> {
  return _parse(edgeEventSchema, text, MAX_EDGE_EVENT_CHARS);
}

/** Splits a client graph message into its op and opId (the shape the room sequences). */
export function toGraphOp(msg: ClientMessage): { op: GraphOp; opId: string } | null {
  if (!(GRAPH_OP_TYPES as readonly string[]).includes(msg.type) || !("opId" in msg)) return null;
  const { opId, ...op } = msg;
  // The client message of an op type is that op with an opId (the schemas above).
  return { opId, op: op as GraphOp };
}
