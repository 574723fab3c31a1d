/**
 * A project's cuts, as its room holds them now: `GET …/cuts` (every cut with its length),
 * `GET …/cuts/:cutId/otio` (OpenTimelineIO; `?relative=1` points media at their production
 * paths instead of download URLs), `GET …/cuts/:cutId/edl` (CMX 3600, picture track) and
 * `POST …/cuts/:cutId/import-otio` (a timeline edited elsewhere replaces the cut, through the
 * room; unknown media become gaps named in the answer; the takes matched become their nodes'
 * selects) and `POST …/cuts/:cutId/render` (queues a `cut.render` job of the cut as the room
 * holds it now, each clip playing its node's selected take). Cuts are edited live through the
 * room (protocol/cut_ops.ts); these routes read and interchange them.
 */
import { Hono } from "hono";
import { z } from "zod";
import { type Cut, cutDuration } from "../../protocol/cut.ts";
import { graphIdSchema } from "../../protocol/graph.ts";
import type { AppEnv } from "../context.ts";
import { notFound } from "../errors.ts";
import { idSchema } from "../lib/ids.ts";
import { pathParams, queryParams } from "../lib/validate.ts";
import { currentUser } from "../middleware/authenticate.ts";
import { requireRole } from "../middleware/project_access.ts";
import { editCut } from "../services/cut/cut_edit.ts";
import { cutMedia, projectTakes } from "../services/cut/cut_media.ts";
import {
  exportEdl,
  exportOtio,
  importOtio,
  mediaIndex,
  serializeOtio,
} from "../services/cut/mod.ts";
import { cutRenderParams } from "../services/cut/render_params.ts";
import { enqueueRender } from "../services/jobs/enqueue_render.ts";
import { selectedTakes, selectPicked } from "../services/jobs/selects.ts";
import { jobViews } from "../services/jobs/view.ts";
import { idempotencyKeyOf } from "../lib/idempotency_key.ts";
import { liveGraph } from "../services/live_graph.ts";

const cutPath = pathParams(z.object({ id: idSchema, cutId: graphIdSchema }));

/** The cut as the room holds it now, or 404. */
async function liveCut(
  c: { get(key: "deps"): AppEnv["Variables"]["deps"] },
  projectId: string,
  cutId: string,
): Promise<{ cut: Cut; revision: number }> {
  const live = await liveGraph(c.get("deps"), projectId);
  const cut = live.graph.cuts?.[cutId];
  if (!cut) throw notFound(`cut ${cutId}`);
  return { cut, revision: live.revision };
}

/** `Main cut` → `Main_cut`: a download name that no file system or header refuses. */
function fileName(cut: Cut, ext: string): string {
  return `${cut.name.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 80) || "cut"}.${ext}`;
}

export const cutRoutes = new Hono<AppEnv>()
  .post("/:id/cuts/:cutId/render", requireRole("editor"), cutPath, async (c) => {
    const deps = c.get("deps");
    const projectId = c.get("access").projectId;
    const key = idempotencyKeyOf(c);
    const { cut, revision } = await liveCut(c, projectId, c.req.valid("param").cutId);
    const nodeIds = Object.values(cut.clips).map((clip) => clip.nodeId);
    const selects = await selectedTakes(deps, projectId, nodeIds);
    const takeOf = new Map([...selects].map(([nodeId, select]) => [nodeId, select.take.id]));
    const { params, inputs } = cutRenderParams(cut, revision, takeOf);
    const { job, created } = await enqueueRender(deps, {
      projectId,
      userId: currentUser(c).id,
      params,
      inputs: Object.fromEntries(inputs.map((i) => [i.socket, i.takeId])),
      idempotencyKey: key,
    });
    const [view] = await jobViews(deps, projectId, [job]);
    return c.json({ job: view }, created ? 201 : 200);
  })
  .get("/:id/cuts", requireRole("reviewer"), async (c) => {
    const live = await liveGraph(c.get("deps"), c.get("access").projectId);
    const cuts = Object.values(live.graph.cuts ?? {}).map((cut) => ({
      ...cut,
      durationFrames: cutDuration(cut),
    }));
    return c.json({ revision: live.revision, cuts });
  })
  .get(
    "/:id/cuts/:cutId/otio",
    requireRole("reviewer"),
    cutPath,
    queryParams(z.object({ relative: z.enum(["0", "1"]).optional() })),
    async (c) => {
      const projectId = c.get("access").projectId;
      const { cut } = await liveCut(c, projectId, c.req.valid("param").cutId);
      const audience = c.get("principal")?.kind === "guest" ? "guest" : "member";
      const media = await cutMedia(c.get("deps"), projectId, cut, audience);
      const relative = c.req.valid("query").relative === "1";
      return c.body(serializeOtio(exportOtio(cut, media, { relative })), 200, {
        "content-type": "application/json; charset=utf-8",
        "content-disposition": `attachment; filename="${fileName(cut, "otio")}"`,
      });
    },
  )
  .get("/:id/cuts/:cutId/edl", requireRole("reviewer"), cutPath, async (c) => {
    const projectId = c.get("access").projectId;
    const { cut } = await liveCut(c, projectId, c.req.valid("param").cutId);
    const media = await cutMedia(c.get("deps"), projectId, cut, "member");
    return c.body(exportEdl(cut, media), 200, {
      "content-type": "text/plain; charset=utf-8",
      "content-disposition": `attachment; filename="${fileName(cut, "edl")}"`,
    });
  })
  .post("/:id/cuts/:cutId/import-otio", requireRole("editor"), cutPath, async (c) => {
    const deps = c.get("deps");
    const projectId = c.get("access").projectId;
    const { cut } = await liveCut(c, projectId, c.req.valid("param").cutId);
    const lookup = mediaIndex(await projectTakes(deps, projectId));
    // Throws 413/422 naming the field for text that is not an OTIO timeline we can read.
    const imported = importOtio(await c.req.text(), {
      cut,
      lookup,
      newId: () => crypto.randomUUID().slice(0, 12),
    });
    const user = currentUser(c);
    const revision = await editCut(
      deps,
      projectId,
      { type: "cut.replace", cut: imported.cut },
      user.id,
    );
    // The takes the clips were cut with become the nodes' selects (a node has one: when two
    // clips of a node matched different takes, the later clip's wins, and a note says so).
    const picks = new Map<string, string>();
    const notes = [...imported.notes];
    for (const [clipId, takeId] of Object.entries(imported.takes)) {
      const nodeId = imported.cut.clips[clipId]?.nodeId;
      if (nodeId === undefined) continue;
      const earlier = picks.get(nodeId);
      if (earlier !== undefined && earlier !== takeId) {
        notes.push(`clips of node ${nodeId} play different takes; the cut plays ${takeId}`);
      }
      picks.set(nodeId, takeId);
    }
    const { selected, notes: selectNotes } = await selectPicked(deps, projectId, picks, {
      id: user.id,
      name: user.name,
    });
    return c.json({
      revision,
      cut: imported.cut,
      unknown: imported.unknown,
      selected,
      notes: [...notes, ...selectNotes],
    });
  });
