/**
 * Review comments (services/review/comments.ts): list a take's, a node's, a cut's or the
 * project's;
 * start a thread or reply; the author edits (history kept at `…/edits`); resolve or reopen a
 * thread; delete. Every member and share-link guest may comment; who may resolve, edit or
 * delete what is decided in the service. Comments count against a per-person rate limit.
 */
import { Hono } from "hono";
import { z } from "zod";
import { graphIdSchema } from "../../protocol/graph.ts";
import { editCommentSchema, newCommentSchema, resolveSchema } from "../../protocol/review.ts";
import type { AppEnv } from "../context.ts";
import { idSchema } from "../lib/ids.ts";
import { jsonBody, pathParams, queryParams } from "../lib/validate.ts";
import { requireRole } from "../middleware/project_access.ts";
import { countAttempt, LIMITS, refuseIfLimited } from "../services/rate_limit.ts";
import {
  commentHistory,
  createComment,
  deleteComment,
  editComment,
  listCommentsJson,
  setResolved,
} from "../services/review/comments.ts";
import { authorOf } from "../services/review/people.ts";

const commentPath = pathParams(z.object({ id: idSchema, commentId: idSchema }));

export const commentRoutes = new Hono<AppEnv>()
  .get(
    "/:id/comments",
    requireRole("reviewer"),
    queryParams(z.object({
      takeId: idSchema.optional(),
      nodeId: graphIdSchema.optional(),
      cutId: graphIdSchema.optional(),
    })),
    async (c) => {
      const list = await listCommentsJson(
        c.get("deps"),
        c.get("access").projectId,
        c.req.valid("query"),
      );
      // Already JSON, built by the database (see listCommentsJson).
      return c.body(`{"comments":${list}}`, 200, { "content-type": "application/json" });
    },
  )
  .post("/:id/comments", requireRole("reviewer"), ...jsonBody(newCommentSchema), async (c) => {
    const deps = c.get("deps");
    const author = authorOf(c);
    const limit = [{ policy: LIMITS.comment, subject: author.person }];
    await refuseIfLimited(deps, limit);
    const { target, parentId, body } = c.req.valid("json");
    const comment = await createComment(
      deps,
      c.get("access").projectId,
      author,
      parentId !== undefined ? { parentId, body } : { target: target!, body },
    );
    await countAttempt(deps, limit);
    return c.json({ comment }, 201);
  })
  .patch(
    "/:id/comments/:commentId",
    requireRole("reviewer"),
    commentPath,
    ...jsonBody(editCommentSchema),
    async (c) => {
      const comment = await editComment(
        c.get("deps"),
        c.get("access").projectId,
        authorOf(c),
        c.req.valid("param").commentId,
        c.req.valid("json").body,
      );
      return c.json({ comment });
    },
  )
  .put(
    "/:id/comments/:commentId/resolved",
    requireRole("reviewer"),
    commentPath,
    ...jsonBody(resolveSchema),
    async (c) => {
      const comment = await setResolved(
        c.get("deps"),
        c.get("access").projectId,
        authorOf(c),
        c.req.valid("param").commentId,
        c.req.valid("json").resolved,
      );
      return c.json({ comment });
    },
  )
  .delete("/:id/comments/:commentId", requireRole("reviewer"), commentPath, async (c) => {
    await deleteComment(
      c.get("deps"),
      c.get("access").projectId,
      authorOf(c),
      c.req.valid("param").commentId,
    );
    return c.body(null, 204);
  })
  .get("/:id/comments/:commentId/edits", requireRole("reviewer"), commentPath, async (c) => {
    const edits = await commentHistory(
      c.get("deps"),
      c.get("access").projectId,
      c.req.valid("param").commentId,
    );
    return c.json({ edits });
  });
