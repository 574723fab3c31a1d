/**
 * Review: comments (threads, frame-accurate times, a point or rectangle on the frame), decisions
 * on takes, and "what's new". The edge is the authority (database rows behind HTTP routes,
 * edge/routes/comments.ts and decisions.ts); it posts a `review.update` to the project's room,
 * which fans it out as it does job progress, so every open studio shows it live.
 *
 * A comment's target is a union by `kind`: a take (at a frame of a video take), a node, or a
 * cut at a frame of the film (the cut's own fps; cuts live in the project's room document).
 *
 * @example
 * ```ts
 * const body = newCommentSchema.parse({
 *   target: { kind: "take", takeId, frame: 12, shape: { kind: "rect", x: 0.1, y: 0.2, w: 0.3, h: 0.3 } },
 *   body: "the door should be red here",
 * });
 * ```
 */
import { z } from "zod";
import { graphIdSchema } from "./graph.ts";

/** Longest comment body, in characters (UTF-16 code units, as the browser counts them). */
export const MAX_COMMENT_CHARS = 5000;
/** Longest decision note. */
export const MAX_NOTE_CHARS = 2000;

const unit = z.number().finite().min(0).max(1);

/** Where on the frame a comment points: normalised 0..1 from the top left. */
export const commentShapeSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("point"), x: unit, y: unit }).strict(),
  z.object({ kind: z.literal("rect"), x: unit, y: unit, w: unit, h: unit }).strict()
    .refine((r) => r.x + r.w <= 1 + 1e-9, { message: "x + w must be at most 1", path: ["w"] })
    .refine((r) => r.y + r.h <= 1 + 1e-9, { message: "y + h must be at most 1", path: ["h"] }),
]);
export type CommentShape = z.infer<typeof commentShapeSchema>;

const uuid = z.uuid({ message: "not a valid id" });

/** What a new thread is about, as the client names it. */
export const commentTargetSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("take"),
    takeId: uuid,
    /** The frame of a video take (0-based, at the take's fps); absent for a still image. */
    frame: z.number().int().min(0).optional(),
    shape: commentShapeSchema.optional(),
  }).strict(),
  z.object({ kind: z.literal("node"), nodeId: graphIdSchema }).strict(),
  z.object({
    kind: z.literal("cut"),
    cutId: graphIdSchema,
    /** The frame of the film (0-based, at the cut's fps): a time on a cut is required. */
    frame: z.number().int().min(0),
    shape: commentShapeSchema.optional(),
  }).strict(),
]);
export type CommentTarget = z.infer<typeof commentTargetSchema>;

const bodySchema = z.string().refine((s) => s.trim().length > 0, "write something")
  .refine((s) => s.length <= MAX_COMMENT_CHARS, `at most ${MAX_COMMENT_CHARS} characters`);

/** `POST /api/projects/:id/comments`: a new thread (`target`) or a reply (`parentId`). */
export const newCommentSchema = z.object({
  target: commentTargetSchema.optional(),
  parentId: uuid.optional(),
  body: bodySchema,
}).strict().refine((c) => (c.target === undefined) !== (c.parentId === undefined), {
  message: "give either target (a new thread) or parentId (a reply)",
  path: ["target"],
});
export type NewComment = z.infer<typeof newCommentSchema>;
export const editCommentSchema = z.object({ body: bodySchema }).strict();
export const resolveSchema = z.object({ resolved: z.boolean() }).strict();

export const DECISIONS = ["approved", "needs_changes", "rejected"] as const;
export type Decision = typeof DECISIONS[number];
export const decideSchema = z.object({
  decision: z.enum(DECISIONS),
  note: z.string().max(MAX_NOTE_CHARS).optional(),
}).strict();

/** Who wrote or decided: a member with their role, or a share-link guest ("guest"). */
export interface ReviewAuthor {
  /** `user:<id>` or `guest:<sessionId>`: one person, as read markers and rate limits key them. */
  person: string;
  name: string;
  /** A member's role when they wrote, or `guest` for someone who came through a share link. */
  role: "owner" | "editor" | "reviewer" | "guest";
}

/** A comment as the API and the room show it. `target` is the thread's (replies repeat it). */
export interface Comment {
  id: string;
  parentId: string | null;
  target:
    | {
      kind: "take";
      takeId: string;
      nodeId: string;
      frame: number | null;
      fps: number | null;
      timecode: string | null;
      shape: CommentShape | null;
    }
    | { kind: "node"; nodeId: string }
    | {
      kind: "cut";
      cutId: string;
      frame: number;
      fps: number;
      timecode: string;
      shape: CommentShape | null;
    };
  author: ReviewAuthor;
  body: string;
  /** Members named with `@Name` in the body (user ids). */
  mentions: string[];
  createdAt: number;
  editedAt: number | null;
  /** Threads only (replies carry null): when and by whom it was resolved. */
  resolvedAt: number | null;
  resolvedBy: string | null;
}

/** The latest decision of one person on one take. */
export interface TakeDecision {
  takeId: string;
  nodeId: string;
  decision: Decision;
  note: string;
  by: ReviewAuthor;
  at: number;
}

/** What the edge posts to the room after a review change; the room relays it as is. */
export const reviewUpdateSchema = z.object({
  type: z.literal("review.update"),
  change: z.enum(["comment.created", "comment.updated", "comment.deleted", "decision.made"]),
  /** The comment as it is now (for a deletion: its id, thread and target only). */
  comment: z.object({ id: z.string().min(1).max(64) }).passthrough().optional(),
  decision: z.object({ takeId: z.string().min(1).max(64) }).passthrough().optional(),
}).strict();
export type ReviewUpdate = z.infer<typeof reviewUpdateSchema>;

/** One thing in "what's new". */
export interface WhatsNewItem {
  kind: "take" | "render" | "comment" | "reply" | "mention" | "decision";
  at: number;
  /** The take (a render's too), comment or decision's take id. */
  id: string;
  nodeId: string | null;
  /** The cut of a render or of a comment on a cut; null otherwise. */
  cutId: string | null;
  by: string | null;
  text: string;
}
