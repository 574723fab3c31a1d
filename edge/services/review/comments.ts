/**
 * Comments: threads on a take (at a frame, with a shape on it), on a node, or on a cut at a
 * frame of the film (a shape on it too), replies, edits (the
 * author's only; earlier bodies kept), resolving and deleting. Every change is one database
 * write, then a `review.update` to the project's room (protocol/review.ts), which relays it to
 * everyone there; the room keeps none of it.
 */
import { and, asc, eq } from "drizzle-orm";
import { cutDuration, timecode } from "../../../protocol/cut.ts";
import type { Comment, CommentTarget, ReviewAuthor } from "../../../protocol/review.ts";
import { commentEdits, comments, takes } from "../../../db/schema/mod.ts";
import type { AppDeps } from "../../context.ts";
import { ApiError, forbidden, notFound } from "../../errors.ts";
import { newId } from "../../lib/ids.ts";
import { liveGraph } from "../live_graph.ts";
import { membersOf, mentionedIn } from "./mentions.ts";
import { moderates } from "./people.ts";
import { takeTiming } from "./take_timing.ts";

type CommentRow = typeof comments.$inferSelect;

/** 422 naming the field, as the body validator answers. */
function invalid(path: string, message: string): ApiError {
  return new ApiError(422, "invalid_body", `${path}: ${message}`, [{ path, message }]);
}

function publicTarget(row: CommentRow): Comment["target"] {
  if (row.targetKind === "cut" && row.cutId && row.frame !== null && row.fps) {
    return {
      kind: "cut",
      cutId: row.cutId,
      frame: row.frame,
      fps: row.fps,
      timecode: timecode(row.frame, row.fps),
      shape: row.shape,
    };
  }
  if (row.targetKind === "take" && row.takeId) {
    return {
      kind: "take",
      takeId: row.takeId,
      nodeId: row.nodeId,
      frame: row.frame,
      fps: row.fps,
      timecode: row.frame !== null && row.fps ? timecode(row.frame, row.fps) : null,
      shape: row.shape,
    };
  }
  return { kind: "node", nodeId: row.nodeId };
}

export function publicComment(row: CommentRow): Comment {
  return {
    id: row.id,
    parentId: row.parentId,
    target: publicTarget(row),
    author: { person: row.authorPerson, name: row.authorName, role: row.authorRole },
    body: row.body,
    mentions: row.mentions,
    createdAt: row.createdAt,
    editedAt: row.editedAt,
    resolvedAt: row.resolvedAt,
    resolvedBy: row.resolvedBy,
  };
}

/** The columns a cut's thread fills, checked against the cut as the room holds it now. */
async function cutColumns(
  deps: AppDeps,
  projectId: string,
  target: Extract<CommentTarget, { kind: "cut" }>,
) {
  const cut = (await liveGraph(deps, projectId)).graph.cuts?.[target.cutId];
  if (!cut) throw invalid("target.cutId", "no such cut in this project");
  const frames = cutDuration(cut);
  if (target.frame >= frames) {
    throw invalid(
      "target.frame",
      frames === 0 ? "the cut is empty" : `the cut has frames 0 to ${frames - 1}`,
    );
  }
  return {
    targetKind: "cut" as const,
    nodeId: "",
    takeId: null,
    cutId: cut.id,
    frame: target.frame,
    fps: cut.format.fps,
    shape: target.shape ?? null,
  };
}

/** The columns a new thread's target fills, checked against the take, node or cut it names. */
async function targetColumns(deps: AppDeps, projectId: string, target: CommentTarget) {
  if (target.kind === "cut") return await cutColumns(deps, projectId, target);
  if (target.kind === "node") {
    const graph = (await liveGraph(deps, projectId)).graph;
    if (!Object.hasOwn(graph.nodes, target.nodeId)) {
      throw invalid("target.nodeId", "no such node in this project's graph");
    }
    return {
      targetKind: "node" as const,
      nodeId: target.nodeId,
      takeId: null,
      cutId: null,
      frame: null,
      fps: null,
      shape: null,
    };
  }
  const [take] = await deps.db.select().from(takes).where(and(
    eq(takes.id, target.takeId),
    eq(takes.projectId, projectId),
    eq(takes.state, "ready"),
  )).limit(1);
  if (!take) throw invalid("target.takeId", "no such take in this project");
  const timing = takeTiming(take);
  if (target.frame !== undefined) {
    if (timing.kind !== "video") throw invalid("target.frame", "only a video take has frames");
    if (timing.frames !== null && target.frame >= timing.frames) {
      throw invalid("target.frame", `the take has frames 0 to ${timing.frames - 1}`);
    }
  } else if (timing.kind === "video" && target.shape) {
    throw invalid("target.frame", "a shape on a video take needs the frame it is drawn on");
  }
  if (target.shape && timing.kind === "other") {
    throw invalid("target.shape", "only an image or a video has a picture to draw on");
  }
  return {
    targetKind: "take" as const,
    nodeId: take.nodeId,
    takeId: take.id,
    cutId: null,
    frame: target.frame ?? null,
    fps: timing.kind === "video" && target.frame !== undefined ? timing.fps : null,
    shape: target.shape ?? null,
  };
}

/** Each person newly named in a comment hears of it on their dashboard (their inbox), but not
 * the author naming themself. */
function tellMentioned(deps: AppDeps, userIds: string[], author: ReviewAuthor): void {
  for (const userId of userIds) {
    if (`user:${userId}` === author.person) continue;
    deps.notifier.notifyUser(userId, { type: "inbox.changed", what: "mentions" });
  }
}

/** A thread's first comment in this project; a reply to a reply joins the same thread. */
async function threadOf(deps: AppDeps, projectId: string, parentId: string): Promise<CommentRow> {
  const [parent] = await deps.db.select().from(comments)
    .where(and(eq(comments.id, parentId), eq(comments.projectId, projectId))).limit(1);
  if (!parent) throw invalid("parentId", "no such comment in this project");
  if (parent.parentId === null) return parent;
  return await threadOf(deps, projectId, parent.parentId);
}

export async function createComment(
  deps: AppDeps,
  projectId: string,
  author: ReviewAuthor,
  input: { target: CommentTarget; body: string } | { parentId: string; body: string },
): Promise<Comment> {
  let columns;
  let parentId: string | null = null;
  if ("parentId" in input) {
    const thread = await threadOf(deps, projectId, input.parentId);
    parentId = thread.id;
    const { targetKind, nodeId, takeId, cutId, frame, fps, shape } = thread;
    columns = { targetKind, nodeId, takeId, cutId, frame, fps, shape };
  } else {
    columns = await targetColumns(deps, projectId, input.target);
  }
  const [row] = await deps.db.insert(comments).values({
    id: newId(),
    projectId,
    parentId,
    ...columns,
    authorPerson: author.person,
    authorName: author.name,
    authorRole: author.role,
    body: input.body,
    mentions: mentionedIn(input.body, await membersOf(deps, projectId)),
    createdAt: deps.now(),
  }).returning();
  const comment = publicComment(row!);
  deps.notifier.notify(projectId, { type: "review.update", change: "comment.created", comment });
  tellMentioned(deps, comment.mentions, author);
  return comment;
}

async function commentIn(deps: AppDeps, projectId: string, id: string): Promise<CommentRow> {
  const [row] = await deps.db.select().from(comments)
    .where(and(eq(comments.id, id), eq(comments.projectId, projectId))).limit(1);
  if (!row) throw notFound("comment");
  return row;
}

/** Only the author edits; the body it replaces is kept in `comment_edits`. */
export async function editComment(
  deps: AppDeps,
  projectId: string,
  author: ReviewAuthor,
  id: string,
  body: string,
): Promise<Comment> {
  const row = await commentIn(deps, projectId, id);
  if (row.authorPerson !== author.person) throw forbidden("only its author edits a comment");
  const at = deps.now();
  const mentions = mentionedIn(body, await membersOf(deps, projectId));
  await deps.db.batch([
    deps.db.insert(commentEdits).values({ commentId: id, body: row.body, replacedAt: at }),
    deps.db.update(comments).set({ body, editedAt: at, mentions }).where(eq(comments.id, id)),
  ]);
  tellMentioned(deps, mentions.filter((m) => !row.mentions.includes(m)), author);
  return changed(deps, projectId, await commentIn(deps, projectId, id));
}

/** A thread's author resolves or reopens it; so do editors and owners, any thread. */
export async function setResolved(
  deps: AppDeps,
  projectId: string,
  author: ReviewAuthor,
  id: string,
  resolved: boolean,
): Promise<Comment> {
  const row = await commentIn(deps, projectId, id);
  if (row.parentId !== null) {
    throw new ApiError(409, "not_a_thread", "resolve the thread's first comment, not a reply");
  }
  if (row.authorPerson !== author.person && !moderates(author)) {
    throw forbidden("only the thread's author, an editor or an owner resolves a thread");
  }
  await deps.db.update(comments).set(
    resolved ? { resolvedAt: deps.now(), resolvedBy: author.name } : {
      resolvedAt: null,
      resolvedBy: null,
    },
  ).where(eq(comments.id, id));
  return changed(deps, projectId, await commentIn(deps, projectId, id));
}

function changed(deps: AppDeps, projectId: string, row: CommentRow): Comment {
  const comment = publicComment(row);
  deps.notifier.notify(projectId, { type: "review.update", change: "comment.updated", comment });
  return comment;
}

/** Its author, an editor or an owner deletes a comment; a thread goes with its replies. */
export async function deleteComment(
  deps: AppDeps,
  projectId: string,
  author: ReviewAuthor,
  id: string,
): Promise<void> {
  const row = await commentIn(deps, projectId, id);
  if (row.authorPerson !== author.person && !moderates(author)) {
    throw forbidden("only its author, an editor or an owner deletes a comment");
  }
  await deps.db.delete(comments).where(eq(comments.id, id));
  deps.notifier.notify(projectId, {
    type: "review.update",
    change: "comment.deleted",
    comment: { id, parentId: row.parentId, target: publicComment(row).target },
  });
}

/** protocol/cut.ts `timecode`, in SQL: `HH:MM:SS:FF` of `frame` at `fps`, null without them. */
const TIMECODE_SQL = `case when frame is not null and fps > 0 then printf('%02d:%02d:%02d:%02d',
  frame / fps / 3600, frame / fps / 60 % 60, frame / fps % 60, frame % fps) end`;

/**
 * A comment as `publicComment` shapes it, built by SQLite: the list below is read as one JSON
 * text. Measured (bench/review, 2,000 comments of a take): building 2,000 rows of 18 columns
 * in the client, then serialising them again, cost several times the query itself, as the
 * session lookup found (services/sessions.ts). Keep the two shapes in step: the route tests
 * compare a listed comment with the one `createComment` returned.
 */
const COMMENT_JSON = `json_object(
  'id', id, 'parentId', parent_id,
  'target', case when target_kind = 'take' then json_object(
      'kind', 'take', 'takeId', take_id, 'nodeId', node_id, 'frame', frame, 'fps', fps,
      'timecode', ${TIMECODE_SQL}, 'shape', json(shape))
    when target_kind = 'cut' then json_object(
      'kind', 'cut', 'cutId', cut_id, 'frame', frame, 'fps', fps,
      'timecode', ${TIMECODE_SQL}, 'shape', json(shape))
    else json_object('kind', 'node', 'nodeId', node_id) end,
  'author', json_object('person', author_person, 'name', author_name, 'role', author_role),
  'body', body, 'mentions', json(mentions), 'createdAt', created_at, 'editedAt', edited_at,
  'resolvedAt', resolved_at, 'resolvedBy', resolved_by)`;

/**
 * A project's comments, oldest first: of one take, of one node (its takes' too), of one cut, or
 * all; as the JSON text of an array of `Comment`.
 */
export async function listCommentsJson(
  deps: AppDeps,
  projectId: string,
  filter: { takeId?: string; nodeId?: string; cutId?: string },
): Promise<string> {
  const where = ["project_id = ?"];
  const args = [projectId];
  if (filter.takeId !== undefined) where.push("take_id = ?"), args.push(filter.takeId);
  if (filter.nodeId !== undefined) where.push("node_id = ?"), args.push(filter.nodeId);
  if (filter.cutId !== undefined) where.push("cut_id = ?"), args.push(filter.cutId);
  const result = await deps.db.$client.execute({
    sql: `select json_group_array(${COMMENT_JSON} order by created_at, id) as list
      from comments where ${where.join(" and ")}`,
    args,
  });
  return String(result.rows[0]?.list ?? "[]");
}

/** A comment's earlier bodies, oldest first. */
export async function commentHistory(deps: AppDeps, projectId: string, id: string) {
  await commentIn(deps, projectId, id);
  return await deps.db.select({ body: commentEdits.body, replacedAt: commentEdits.replacedAt })
    .from(commentEdits).where(eq(commentEdits.commentId, id)).orderBy(asc(commentEdits.id));
}
