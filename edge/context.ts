/** The typed Hono environment every route and middleware shares. */
import type { Context } from "hono";
import type { Database } from "../db/database.ts";
import type { Role } from "../protocol/room_ticket.ts";
import type { Config } from "./config.ts";
import type { CallingAgent } from "./services/agents.ts";
import type { Dispatcher } from "./services/dispatcher.ts";
import type { RoomNotifier } from "./services/room_notifier.ts";
import type { BlobStore } from "./services/storage/blob_store.ts";

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
}

/** Who is asking: a user, or a guest reviewer bound to one project by a share link. */
export type Principal =
  | { kind: "user"; sessionId: string; user: SignedInUser }
  | { kind: "guest"; sessionId: string; shareLinkId: string; projectId: string; name: string };

/** What the app needs from the outside world; tests pass their own. */
export interface AppDeps {
  db: Database;
  config: Config;
  notifier: RoomNotifier;
  /** Where takes live (local folder or S3); hands out presigned URLs. */
  storage: BlobStore;
  /** Wakes long-polling claims in this process when a job is queued. */
  dispatcher: Dispatcher;
  /** Milliseconds since the epoch; injectable so expiry can be tested without waiting. */
  now: () => number;
  /**
   * The caller's network address, for per-address rate limits (Deno: the socket's peer;
   * Workers: `cf-connecting-ip`). Unknown where it returns undefined.
   */
  clientAddress?: (c: Context<AppEnv>) => string | undefined;
  /** One structured line per request and per unexpected error. */
  log: (line: Record<string, unknown>) => void;
}

/** The project a project-scoped route is working on, and the caller's role in it. */
export interface ProjectAccess {
  projectId: string;
  role: Role;
}

export type AppEnv = {
  Variables: {
    deps: AppDeps;
    requestId: string;
    /**
     * When the request arrived (`deps.now()`), before anything was read for it: what it hands
     * out (a room ticket's `iat`) dates from then.
     */
    receivedAt: number;
    principal: Principal | null;
    access: ProjectAccess;
    /** The calling agent, on `/api/agent/v1/*` routes behind `requireAgent`. */
    agent: CallingAgent;
  };
};
