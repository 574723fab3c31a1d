/**
 * The edge API as one runtime-free Hono app. `main.ts` (Deno) and `worker.ts` (Cloudflare
 * Workers) only build the dependencies and hand requests to it; tests call `app.request()`.
 *
 * @example
 * ```ts
 * const app = createApp(deps);
 * const res = await app.request("/healthz");
 * ```
 */
import { Hono, type MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppDeps, AppEnv } from "./context.ts";
import { ApiError, apiErrorOf, errorBody } from "./errors.ts";
import { authenticate } from "./middleware/authenticate.ts";
import { limitBody } from "./middleware/body_size.ts";
import { requestLog } from "./middleware/request_log.ts";
import { securityHeaders } from "./middleware/security_headers.ts";
import { agentApiRoutes } from "./routes/agent_api/mod.ts";
import { agentRoutes } from "./routes/agents.ts";
import { assetRoutes } from "./routes/assets.ts";
import { blobRoutes } from "./routes/blobs.ts";
import { capabilityRoutes } from "./routes/capabilities.ts";
import { commentRoutes } from "./routes/comments.ts";
import { cutRoutes } from "./routes/cuts.ts";
import { decisionRoutes } from "./routes/decisions.ts";
import { authRoutes } from "./routes/auth.ts";
import { healthRoutes } from "./routes/health.ts";
import { inboxRoutes } from "./routes/inbox.ts";
import { internalRoutes } from "./routes/internal.ts";
import { myInviteRoutes, projectInviteRoutes } from "./routes/invites.ts";
import { jobRoutes } from "./routes/jobs.ts";
import { memberRoutes } from "./routes/members.ts";
import { metricsRoutes, scalingRoutes } from "./routes/metrics.ts";
import { poolRoutes } from "./routes/pools.ts";
import { projectPoolRoutes } from "./routes/project_pools.ts";
import { projectAgentRoutes } from "./routes/project_agents.ts";
import { projectRoutes } from "./routes/projects.ts";
import { revisionRoutes } from "./routes/revisions.ts";
import { shareAcceptRoutes, shareLinkRoutes } from "./routes/share_links.ts";
import { modelConfigAssetRoutes } from "./routes/model_config_assets.ts";
import { structureRoutes } from "./routes/structure.ts";
import { studioRoutes } from "./routes/studios.ts";
import { takeRoutes } from "./routes/takes.ts";
import { ticketRoutes } from "./routes/ticket.ts";
import {
  WORKFLOW_MAX_BODY_BYTES,
  WORKFLOW_UPLOAD_PATH,
  workflowAssetRoutes,
} from "./routes/workflow_assets.ts";
import { whatsNewRoutes } from "./routes/whats_new.ts";

export interface AppOptions {
  /** Serves the built web app for every non-API path (Deno only). */
  web?: MiddlewareHandler;
}

export function createApp(deps: AppDeps, options: AppOptions = {}) {
  const app = new Hono<AppEnv>();
  app.use(requestLog(deps));
  app.use(
    securityHeaders({ roomUrl: deps.config.ROOM_URL, blobOrigin: deps.storage.browserOrigin }),
  );
  // Signed media uploads and downloads: ahead of the JSON body limit (they have their own).
  app.route("/api/blobs", blobRoutes);
  app.use(
    "/api/*",
    limitBody((c, d) =>
      // An imported timeline may be as large as the graph that will hold it.
      c.req.path.startsWith("/api/internal/") || c.req.path.endsWith("/import-otio")
        ? d.config.MAX_GRAPH_BYTES
        : WORKFLOW_UPLOAD_PATH.test(c.req.path)
        ? {
          maxBytes: WORKFLOW_MAX_BODY_BYTES,
          message: "workflow: the file is far over 2 MB; a workflow is at most 2 MB",
        }
        : d.config.MAX_BODY_BYTES
    ),
  );
  app.route("/", healthRoutes);
  app.route("/api/internal", internalRoutes);
  // Agents authenticate with their own credentials, not sessions; Prometheus and autoscalers
  // with a metrics token.
  app.route("/api/agent/v1", agentApiRoutes);
  app.route("/", metricsRoutes);
  app.route("/api/pools", scalingRoutes);
  app.use("/api/*", authenticate);
  app.route("/api/auth", authRoutes);
  app.route("/api/share", shareAcceptRoutes);
  app.route("/api/agents", agentRoutes);
  app.route("/api/studios", studioRoutes);
  app.route("/api/pools", poolRoutes);
  app.route("/api/invites", myInviteRoutes);
  app.route("/api/inbox", inboxRoutes);
  for (
    const routes of [
      projectRoutes,
      memberRoutes,
      projectInviteRoutes,
      shareLinkRoutes,
      assetRoutes,
      workflowAssetRoutes,
      modelConfigAssetRoutes,
      revisionRoutes,
      structureRoutes,
      ticketRoutes,
      jobRoutes,
      takeRoutes,
      cutRoutes,
      projectAgentRoutes,
      capabilityRoutes,
      projectPoolRoutes,
      commentRoutes,
      decisionRoutes,
      whatsNewRoutes,
    ]
  ) {
    app.route("/api/projects", routes);
  }
  app.all("/api/*", () => {
    throw new ApiError(404, "not_found", "no such API route");
  });
  if (options.web) app.use("*", options.web);

  app.notFound((c) => c.json(errorBody("not_found", "not found"), 404));
  app.onError((error, c) => {
    const refusal = apiErrorOf(error);
    if (refusal) {
      return c.json(
        errorBody(refusal.code, refusal.message, refusal.issues),
        refusal.status,
        refusal.headers,
      );
    }
    if (error instanceof HTTPException && error.status < 500) {
      // Hono's own refusals, e.g. "Malformed JSON in request body".
      return c.json(errorBody("bad_request", error.message), error.status);
    }
    deps.log({
      msg: "unhandled error",
      id: c.get("requestId"),
      error: String(error),
      stack: (error as Error).stack,
    });
    return c.json(errorBody("internal", `unexpected error; request id ${c.get("requestId")}`), 500);
  });
  return app;
}

export type App = ReturnType<typeof createApp>;
