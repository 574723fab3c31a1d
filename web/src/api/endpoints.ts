/**
 * One typed function per edge route the studio uses. Routes follow edge/API.md; the job routes
 * follow edge/routes/jobs.ts, takes.ts and capabilities.ts (generate, list, cancel, retry, takes,
 * previews, what the online agents can run).
 */
import type {
  GenerateRequest,
  ModelConfigAvailability,
  Take,
  WorkAvailability,
  WorkflowAvailability,
} from "../../../protocol/jobs.ts";
import type {
  Comment,
  CommentTarget,
  Decision,
  TakeDecision,
  WhatsNewItem,
} from "../../../protocol/review.ts";
import type { Role } from "../../../protocol/room_ticket.ts";
import type { PoolPolicy, StudioRole } from "../../../protocol/fleet.ts";
import type { Tier } from "../../../protocol/tiers.ts";
import type { ApiClient } from "./client.ts";
import type {
  ActivityEntry,
  Agent,
  Asset,
  AssetImageUpload,
  AssetKind,
  AssetVersion,
  EnrollmentToken,
  GraphAt,
  InboxTicketGrant,
  JobSummary,
  LibraryKind,
  Me,
  Member,
  MyInvite,
  MyMention,
  Pool,
  PoolDetail,
  PoolEnrollment,
  Project,
  ProjectAgent,
  ProjectInvite,
  ProjectPools,
  Revision,
  RoomTicketGrant,
  ScalingToken,
  ScalingTokenGrant,
  Select,
  ShareLink,
  SharePreview,
  Studio,
  User,
  WorkflowAnalysis,
  WorkflowBinding,
} from "./types.ts";

const enc = encodeURIComponent;

export function createEndpoints(api: ApiClient) {
  const project = (id: string) => `/api/projects/${enc(id)}`;
  return {
    auth: {
      register: (body: { email: string; password: string; name: string }) =>
        api.request<{ user: User; token: string }>("POST", "/api/auth/register", body),
      login: (body: { email: string; password: string }) =>
        api.request<{ user: User; token: string }>("POST", "/api/auth/login", body),
      logout: () => api.request<void>("POST", "/api/auth/logout"),
      me: () => api.request<Me>("GET", "/api/auth/me"),
      previewShare: (token: string) => api.request<SharePreview>("GET", `/api/share/${enc(token)}`),
      acceptShare: (token: string, name?: string) =>
        api.request<{ token: string; projectId: string }>(
          "POST",
          `/api/share/${enc(token)}/accept`,
          name ? { name } : {},
        ),
    },
    projects: {
      list: async () =>
        (await api.request<{ projects: Project[] }>("GET", "/api/projects")).projects,
      create: async (body: { name: string; title?: string; description?: string }) =>
        (await api.request<{ project: Project }>("POST", "/api/projects", body)).project,
      get: async (id: string) =>
        (await api.request<{ project: Project }>("GET", project(id))).project,
      update: async (id: string, body: { name?: string; title?: string; description?: string }) =>
        (await api.request<{ project: Project }>("PATCH", project(id), body)).project,
      remove: (id: string) => api.request<void>("DELETE", project(id)),
      ticket: (id: string) => api.request<RoomTicketGrant>("GET", `${project(id)}/ticket`),
      activity: async (id: string) =>
        (await api.request<{ activity: ActivityEntry[] }>("GET", `${project(id)}/activity`))
          .activity,
    },
    members: {
      list: async (id: string) =>
        (await api.request<{ members: Member[] }>("GET", `${project(id)}/members`)).members,
      setRole: async (id: string, userId: string, role: Role) =>
        (await api.request<{ member: Member }>("PATCH", `${project(id)}/members/${enc(userId)}`, {
          role,
        })).member,
      remove: (id: string, userId: string) =>
        api.request<void>("DELETE", `${project(id)}/members/${enc(userId)}`),
    },
    invites: {
      /** The project's pending invitations (owners). */
      list: async (id: string) =>
        (await api.request<{ invites: ProjectInvite[] }>("GET", `${project(id)}/invites`))
          .invites,
      create: async (id: string, email: string, role: Role) =>
        (await api.request<{ invite: ProjectInvite }>("POST", `${project(id)}/invites`, {
          email,
          role,
        })).invite,
      revoke: (id: string, inviteId: string) =>
        api.request<void>("DELETE", `${project(id)}/invites/${enc(inviteId)}`),
      /** Invitations addressed to the signed-in person. */
      mine: async () => (await api.request<{ invites: MyInvite[] }>("GET", "/api/invites")).invites,
      accept: (inviteId: string) =>
        api.request<{ projectId: string; role: Role }>(
          "POST",
          `/api/invites/${enc(inviteId)}/accept`,
        ),
      decline: (inviteId: string) =>
        api.request<void>("POST", `/api/invites/${enc(inviteId)}/decline`),
    },
    inbox: {
      ticket: () => api.request<InboxTicketGrant>("GET", "/api/inbox/ticket"),
      mentions: async () =>
        (await api.request<{ mentions: MyMention[] }>("GET", "/api/inbox/mentions")).mentions,
    },
    shareLinks: {
      list: async (id: string) =>
        (await api.request<{ shareLinks: ShareLink[] }>("GET", `${project(id)}/share-links`))
          .shareLinks,
      create: (id: string, body: { label?: string; expiresInHours?: number }) =>
        api.request<{ shareLink: ShareLink; token: string }>(
          "POST",
          `${project(id)}/share-links`,
          body,
        ),
      revoke: (id: string, linkId: string) =>
        api.request<void>("DELETE", `${project(id)}/share-links/${enc(linkId)}`),
    },
    assets: {
      list: async (id: string, type?: LibraryKind) =>
        (await api.request<{ assets: Asset[] }>(
          "GET",
          `${project(id)}/assets${type ? `?type=${type}` : ""}`,
        )).assets,
      create: async (
        id: string,
        body: {
          type: AssetKind;
          name: string;
          description?: string;
          params?: Record<string, unknown>;
        },
      ) => (await api.request<{ asset: Asset }>("POST", `${project(id)}/assets`, body)).asset,
      update: async (
        id: string,
        assetId: string,
        body: {
          name?: string;
          description?: string;
          params?: Record<string, unknown>;
          referenceImageKeys?: string[];
          baseVersion?: number;
        },
      ) =>
        (await api.request<{ asset: Asset }>(
          "PATCH",
          `${project(id)}/assets/${enc(assetId)}`,
          body,
        )).asset,
      remove: (id: string, assetId: string) =>
        api.request<void>("DELETE", `${project(id)}/assets/${enc(assetId)}`),
      /** Where to upload a reference image (then add its key with `update`). */
      imageUpload: (id: string, assetId: string, body: { contentType: string; bytes: number }) =>
        api.request<AssetImageUpload>(
          "POST",
          `${project(id)}/assets/${enc(assetId)}/images`,
          body,
        ),
      versions: async (id: string, assetId: string) =>
        (await api.request<{ versions: AssetVersion[] }>(
          "GET",
          `${project(id)}/assets/${enc(assetId)}/versions`,
        ))
          .versions,
      rollback: async (id: string, assetId: string, version: number) =>
        (await api.request<{ asset: Asset }>(
          "POST",
          `${project(id)}/assets/${enc(assetId)}/rollback`,
          { version },
        ))
          .asset,
      /** Uploads a ComfyUI workflow (API format) as a workflow asset; the mapping is detected. */
      uploadWorkflow: (
        id: string,
        body: { name: string; nodeType: string; tier: Tier; workflow: string; fileName?: string },
      ) =>
        api.request<{ asset: Asset; analysis: WorkflowAnalysis }>(
          "POST",
          `${project(id)}/assets/workflows`,
          body,
        ),
      workflow: (id: string, assetId: string) =>
        api.request<{ asset: Asset; analysis: WorkflowAnalysis }>(
          "GET",
          `${project(id)}/assets/${enc(assetId)}/workflow`,
        ),
      /** Adds a Docker model config (checked as agents check it: 422 naming `config.<field>`). */
      createModelConfig: async (id: string, body: { config: Record<string, unknown> }) =>
        (await api.request<{ asset: Asset }>("POST", `${project(id)}/assets/model-configs`, body))
          .asset,
      /** A new version with another config; 409 when `baseVersion` is no longer the newest. */
      updateModelConfig: async (
        id: string,
        assetId: string,
        body: { config: Record<string, unknown>; baseVersion: number },
      ) =>
        (await api.request<{ asset: Asset }>(
          "PUT",
          `${project(id)}/assets/${enc(assetId)}/model-config`,
          body,
        )).asset,
      /** A new version with another mapping; 409 when `baseVersion` is no longer the newest. */
      updateWorkflowBinding: (
        id: string,
        assetId: string,
        body: { binding: WorkflowBinding; baseVersion: number },
      ) =>
        api.request<{ asset: Asset; analysis: WorkflowAnalysis }>(
          "PUT",
          `${project(id)}/assets/${enc(assetId)}/workflow`,
          body,
        ),
    },
    agents: {
      list: async () => (await api.request<{ agents: Agent[] }>("GET", "/api/agents")).agents,
      createEnrollmentToken: () =>
        api.request<EnrollmentToken>("POST", "/api/agents/enrollment-tokens", {}),
      rename: async (agentId: string, name: string) =>
        (await api.request<{ agent: Agent }>("PATCH", `/api/agents/${enc(agentId)}`, { name }))
          .agent,
      revoke: (agentId: string) => api.request<void>("DELETE", `/api/agents/${enc(agentId)}`),
      /** The agents that serve a project (its owners' and editors'), for any member. */
      ofProject: async (id: string) =>
        (await api.request<{ agents: ProjectAgent[] }>("GET", `${project(id)}/agents`)).agents,
    },
    /** Studios (edge/routes/studios.ts): groups of people that own pools of agents. */
    studios: {
      list: async () => (await api.request<{ studios: Studio[] }>("GET", "/api/studios")).studios,
      create: async (name: string) =>
        (await api.request<{ studio: Studio }>("POST", "/api/studios", { name })).studio,
      /** A new join code (admins), shown once; the previous one stops working. */
      joinCode: async (studioId: string) =>
        (await api.request<{ code: string }>("POST", `/api/studios/${enc(studioId)}/join-code`))
          .code,
      join: async (code: string) =>
        (await api.request<{ studio: Studio }>("POST", "/api/studios/join", { code })).studio,
      setRole: (studioId: string, userId: string, role: StudioRole) =>
        api.request<void>(
          "PATCH",
          `/api/studios/${enc(studioId)}/members/${enc(userId)}`,
          { role },
        ),
      /** Removes a member (admins), or leaves (anyone, for themselves). */
      remove: (studioId: string, userId: string) =>
        api.request<void>("DELETE", `/api/studios/${enc(studioId)}/members/${enc(userId)}`),
    },
    /** Pools of agents (edge/routes/pools.ts, project_pools.ts). */
    pools: {
      list: async () => (await api.request<{ pools: Pool[] }>("GET", "/api/pools")).pools,
      create: async (body: { name: string; studioId: string } & Partial<PoolPolicy>) =>
        (await api.request<{ pool: Pool }>("POST", "/api/pools", body)).pool,
      get: (poolId: string) => api.request<PoolDetail>("GET", `/api/pools/${enc(poolId)}`),
      update: async (poolId: string, body: { name?: string } & Partial<PoolPolicy>) =>
        (await api.request<{ pool: Pool }>("PATCH", `/api/pools/${enc(poolId)}`, body)).pool,
      enroll: (poolId: string, body: { reusable?: boolean; days?: number }) =>
        api.request<PoolEnrollment>("POST", `/api/pools/${enc(poolId)}/enrollment-tokens`, body),
      /** Its autoscalers' tokens (managers), newest first, without their secrets. */
      scalingTokens: async (poolId: string) =>
        (await api.request<{ tokens: ScalingToken[] }>(
          "GET",
          `/api/pools/${enc(poolId)}/scaling-tokens`,
        )).tokens,
      createScalingToken: (poolId: string, name: string) =>
        api.request<ScalingTokenGrant>("POST", `/api/pools/${enc(poolId)}/scaling-tokens`, {
          name,
        }),
      revokeScalingToken: (poolId: string, tokenId: string) =>
        api.request<void>(
          "DELETE",
          `/api/pools/${enc(poolId)}/scaling-tokens/${enc(tokenId)}`,
        ),
      /** The pools that run a project's jobs (members; not share-link guests). */
      ofProject: (id: string) => api.request<ProjectPools>("GET", `${project(id)}/pools`),
      /** The owner chooses them; [] returns to the default (owners' and editors' own pools). */
      choose: (id: string, poolIds: string[]) =>
        api.request<ProjectPools>("PUT", `${project(id)}/pools`, { poolIds }),
    },
    revisions: {
      current: (id: string) => api.request<GraphAt>("GET", `${project(id)}/graph`),
      list: (id: string, before?: number) =>
        api.request<{ revisions: Revision[]; next: number | null }>(
          "GET",
          `${project(id)}/revisions${before === undefined ? "" : `?before=${before}`}`,
        ),
      get: (id: string, revision: number) =>
        api.request<GraphAt & Revision>("GET", `${project(id)}/revisions/${revision}`),
      revert: (id: string, revision: number) =>
        api.request<{ revision: number }>("POST", `${project(id)}/revisions/${revision}/revert`),
    },
    jobs: {
      generate: (id: string, nodeId: string, body: GenerateRequest) =>
        api.request<{ job: JobSummary }>(
          "POST",
          `${project(id)}/nodes/${enc(nodeId)}/generate`,
          body,
          {
            "idempotency-key": crypto.randomUUID(),
          },
        ),
      /** Queues a render of the cut as the room holds it (editors); a take of the cut when done. */
      render: (id: string, cutId: string) =>
        api.request<{ job: JobSummary }>(
          "POST",
          `${project(id)}/cuts/${enc(cutId)}/render`,
          undefined,
          { "idempotency-key": crypto.randomUUID() },
        ),
      /** The project's latest jobs, newest first (at most `limit`, the edge's default 100). */
      list: async (id: string, query: { state?: JobSummary["state"]; limit?: number } = {}) => {
        const params = new URLSearchParams();
        if (query.state) params.set("state", query.state);
        if (query.limit) params.set("limit", String(query.limit));
        const qs = params.size ? `?${params}` : "";
        return (await api.request<{ jobs: JobSummary[] }>("GET", `${project(id)}/jobs${qs}`)).jobs;
      },
      /** One job (its pool, the VRAM figure it was matched on, its ETA while queued). */
      get: async (id: string, jobId: string) =>
        (await api.request<{ job: JobSummary }>("GET", `${project(id)}/jobs/${enc(jobId)}`)).job,
      cancel: (id: string, jobId: string) =>
        api.request<{ job: JobSummary }>("POST", `${project(id)}/jobs/${enc(jobId)}/cancel`),
      /** Runs a failed or canceled job again with the same inputs. */
      retry: (id: string, jobId: string) =>
        api.request<{ job: JobSummary }>("POST", `${project(id)}/jobs/${enc(jobId)}/retry`),
      /** Every take of the project, for the nodes' strips. */
      takes: async (id: string) =>
        (await api.request<{ takes: Take[] }>("GET", `${project(id)}/takes`)).takes,
      /** Each node's selected take (nodes with takes only). */
      selects: async (id: string) =>
        (await api.request<{ selects: Select[] }>("GET", `${project(id)}/selects`)).selects,
      /** Makes `takeId` the node's selected take (editors). */
      select: async (id: string, nodeId: string, takeId: string) =>
        (await api.request<{ select: Select }>(
          "PUT",
          `${project(id)}/nodes/${enc(nodeId)}/selected-take`,
          { takeId },
        )).select,
      /**
       * What the agents online for the project can run now: node types by tier, workflows (their
       * newest versions), the workflows' older versions (what a pinned node runs), Docker model
       * configs.
       */
      capabilities: (id: string) =>
        api.request<{
          capabilities: WorkAvailability[];
          workflows: WorkflowAvailability[];
          modelConfigs: ModelConfigAvailability[];
          workflowVersions?: WorkflowAvailability[];
        }>("GET", `${project(id)}/capabilities`),
      /** Where a job's latest preview frame is served (an image; `at` tells frames apart). */
      previewUrl: (id: string, jobId: string, at: number) =>
        `${project(id)}/jobs/${enc(jobId)}/preview?at=${at}`,
    },
    /** Review (edge/routes/comments.ts, decisions.ts, whats_new.ts). */
    review: {
      comments: async (id: string) =>
        (await api.request<{ comments: Comment[] }>("GET", `${project(id)}/comments`)).comments,
      comment: async (
        id: string,
        body: { target: CommentTarget; body: string } | { parentId: string; body: string },
      ) =>
        (await api.request<{ comment: Comment }>("POST", `${project(id)}/comments`, body)).comment,
      edit: async (id: string, commentId: string, body: string) =>
        (await api.request<{ comment: Comment }>(
          "PATCH",
          `${project(id)}/comments/${enc(commentId)}`,
          { body },
        )).comment,
      resolve: async (id: string, commentId: string, resolved: boolean) =>
        (await api.request<{ comment: Comment }>(
          "PUT",
          `${project(id)}/comments/${enc(commentId)}/resolved`,
          { resolved },
        )).comment,
      remove: (id: string, commentId: string) =>
        api.request<void>("DELETE", `${project(id)}/comments/${enc(commentId)}`),
      decisions: async (id: string) =>
        (await api.request<{ decisions: TakeDecision[] }>("GET", `${project(id)}/decisions`))
          .decisions,
      decide: async (id: string, takeId: string, decision: Decision, note?: string) =>
        (await api.request<{ decision: TakeDecision }>(
          "PUT",
          `${project(id)}/takes/${enc(takeId)}/decision`,
          note ? { decision, note } : { decision },
        )).decision,
      whatsNew: (id: string) =>
        api.request<{ you: string; since: number; unread: number; items: WhatsNewItem[] }>(
          "GET",
          `${project(id)}/whats-new`,
        ),
      markRead: (id: string, until?: number) =>
        api.request<{ readAt: number }>(
          "POST",
          `${project(id)}/whats-new/read`,
          until === undefined ? {} : { until },
        ),
    },
  };
}

export type Endpoints = ReturnType<typeof createEndpoints>;
