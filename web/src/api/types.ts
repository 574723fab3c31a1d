/** Shapes the edge API returns (edge/API.md), as the web app reads them. */
import type { Graph } from "../../../protocol/graph.ts";
import type { AgentProfile, JobProgress } from "../../../protocol/jobs.ts";
import type { Role } from "../../../protocol/room_ticket.ts";
import type { Tier } from "../../../protocol/tiers.ts";
import type {
  JobFootprint,
  PoolPolicy,
  QueueEta,
  ScalingAnswer,
  StudioRole,
} from "../../../protocol/fleet.ts";

export type { AgentProfile, Take } from "../../../protocol/jobs.ts";

export interface User {
  id: string;
  email: string;
  name: string;
}

/** Who is signed in: a user, or a reviewer guest who came through a share link. */
export type Me = { user: User } | { guest: { projectId: string; name: string } };

export interface Project {
  id: string;
  name: string;
  title: string | null;
  description: string | null;
  role: Role;
  updatedAt: number;
  createdAt: number;
}

export interface Member {
  userId: string;
  email: string;
  name: string;
  role: Role;
}

export interface ShareLink {
  id: string;
  label: string | null;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
}

export const ASSET_KINDS = ["character", "style", "location"] as const;
export type AssetKind = typeof ASSET_KINDS[number];
/**
 * Every kind in the library: workflows are uploaded with their file (WorkflowsSection.tsx),
 * Docker model configs checked as agents check them (ModelConfigsSection.tsx).
 */
export type LibraryKind = AssetKind | "workflow" | "model-config";

export interface Asset {
  id: string;
  projectId: string;
  type: LibraryKind;
  name: string;
  description: string;
  params: Record<string, unknown>;
  referenceImageKeys: string[];
  version: number;
  createdBy: string;
  createdAt: number;
  updatedBy: string;
  updatedAt: number;
}

export interface AssetVersion {
  version: number;
  name: string;
  description: string;
  params: Record<string, unknown>;
  referenceImageKeys: string[];
  /** The version's reference images, as signed URLs that expire (thumbnails). */
  referenceImages: AssetImage[];
  authorId: string;
  /** Who saved this version. */
  authorName: string;
  createdAt: number;
}

export interface AssetImage {
  key: string;
  url: string;
}

/** Where to PUT a new reference image before adding its key to the asset. */
export interface AssetImageUpload {
  key: string;
  uploadUrl: string;
  headers: Record<string, string>;
  expiresAt: number;
}

export interface Revision {
  revision: number;
  authorId: string | null;
  authorName: string | null;
  message: string;
  /** Who changed what ("Ben moved 3 nodes, …"); null when the edge could not tell. */
  summary: string | null;
  createdAt: number;
}

/** A node's selected take: `selectedBy` null when nobody chose (its newest take). */
export interface Select {
  nodeId: string;
  takeId: string;
  selectedBy: { id: string; name: string } | null;
  selectedAt: number | null;
}

export interface ActivityEntry {
  id: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  subject: string;
  at: number;
}

export interface RoomTicketGrant {
  ticket: string;
  roomUrl: string;
  expiresAt: number;
}

export interface GraphAt {
  revision: number;
  graph: Graph;
}

/**
 * A job as `GET /api/projects/:id/jobs` and the generate, cancel and retry routes return it
 * (edge/services/jobs/view.ts); only the fields the studio reads.
 */
export interface JobSummary {
  id: string;
  nodeId: string;
  nodeType: string;
  state: "queued" | "leased" | "running" | "succeeded" | "failed" | "canceled";
  tier: Tier;
  requestedTier: Tier;
  /** Why the tier was lowered, e.g. "high→standard: largest online GPU 16 GB". */
  rationale: string | null;
  progress: JobProgress | null;
  error: string | null;
  /** For a queued job: why no agent has taken it yet. */
  waiting: { reason: string; message: string } | null;
  /** For a queued job: "~4 min: 2 ahead on 2 agents with 24 GB"; null when no agent can run it. */
  eta?: QueueEta | null;
  /** The VRAM figure it was matched on: declared, or learned from measured peaks. */
  footprint?: JobFootprint | null;
  /** The pool of the agent that holds or ran it. */
  pool?: { id: string; name: string } | null;
  attempt: number;
  maxAttempts: number;
  agentId: string | null;
  createdAt: number;
  updatedAt: number;
}

/** A (node type, tier) pair an agent advertises, with the node type's title. */
export interface AgentWork {
  nodeType: string;
  title: string;
  tier: Tier;
}

/** A pair an agent has a template for but cannot run yet, and what it lacks. */
export interface BlockedAgentWork extends AgentWork {
  template: string;
  backend: string;
  missingModels: { folder: string; file: string }[];
  missingClasses: string[];
}

/** What an agent can run now and what it cannot yet (edge/services/agents.ts `capabilitiesOf`). */
export interface AgentCapabilities {
  runnable: AgentWork[];
  blocked: BlockedAgentWork[];
}

/** One of the signed-in user's GPU agents (`GET /api/agents`). */
export interface Agent extends AgentCapabilities {
  id: string;
  name: string;
  online: boolean;
  lastSeenAt: number;
  createdAt: number;
  profile: AgentProfile;
  /** Total VRAM of its largest GPU. */
  maxVramMiB: number;
  /** Healthy backends, as the last heartbeat reported them. */
  backends: string[];
}

/** An agent serving a project, as its members see it (`GET /api/projects/:id/agents`). */
export interface ProjectAgent extends AgentCapabilities {
  id: string;
  name: string;
  /** Its studio pool; null for an owner's or editor's own machine. */
  pool: { id: string; name: string } | null;
  online: boolean;
  lastSeenAt: number;
  gpus: { name: string; vramTotalMiB: number | null }[];
  maxVramMiB: number;
  backends: string[];
}

/** An invitation as its owner lists it (`GET /api/projects/:id/invites`). */
export interface ProjectInvite {
  id: string;
  email: string;
  role: Role;
  invitedByName: string;
  createdAt: number;
  expiresAt: number;
  expired: boolean;
}

/** An invitation addressed to the signed-in person (`GET /api/invites`). */
export interface MyInvite {
  id: string;
  projectId: string;
  projectName: string;
  role: Role;
  invitedByName: string;
  createdAt: number;
  expiresAt: number;
}

/** A comment that names the signed-in person (`GET /api/inbox/mentions`). */
export interface MyMention {
  commentId: string;
  projectId: string;
  projectName: string;
  target:
    | { kind: "take"; takeId: string; nodeId: string }
    | { kind: "node"; nodeId: string }
    | { kind: "cut"; cutId: string };
  by: string;
  /** The comment's first 200 characters. */
  body: string;
  at: number;
}

/** What a share link's landing page names before anyone joins (`GET /api/share/:token`). */
export interface SharePreview {
  project: { name: string };
  sharedBy: { name: string };
  label: string;
  expiresAt: number | null;
}

/** `GET /api/inbox/ticket`: where the signed-in person's inbox socket is, and the ticket. */
export interface InboxTicketGrant {
  ticket: string;
  url: string;
  expiresAt: number;
}

/** `POST /api/agents/enrollment-tokens`: a single-use token, valid until `expiresAt`. */
export interface EnrollmentToken {
  token: string;
  expiresAt: number;
}

/** `[nodeId, "inputs", inputName]`: where a workflow asset's mapping writes a value. */
export type WorkflowInputPath = [string, "inputs", string];

/** What the studio found in a workflow asset's current version (GET …/assets/:id/workflow). */
export interface WorkflowAnalysis {
  nodeType: string;
  tier: Tier;
  file: { sha256: string; bytes: number; nodes: number; fileName: string | null; url: string };
  binding: WorkflowBinding;
  /** The mapping detection proposes for the file as it is (the editor's "use detected"). */
  detected: WorkflowBinding;
  notes: string[];
  problems: { path: string; message: string }[];
  nodes: WorkflowNode[];
}

/** A workflow asset's mapping (protocol/workflows/binding.ts). */
export interface WorkflowBinding {
  params: Record<string, WorkflowInputPath[]>;
  inputs: Record<string, { paths: WorkflowInputPath[]; required: boolean }>;
  outputs: string[];
  models: { folder: string; file: string }[];
  vramMiB: number;
}

/** One node of a workflow as the mapping editor lists it (edge/services/workflow_assets.ts). */
export interface WorkflowNode {
  id: string;
  classType: string;
  title: string | null;
  versions: string[];
  saves: boolean;
  inputs: {
    name: string;
    type: string | null;
    value: string | number | boolean | null;
    link: [string, number] | null;
  }[];
}

/** A studio the signed-in person is in, with everyone in it (`GET /api/studios`; no emails). */
export interface Studio {
  id: string;
  name: string;
  role: StudioRole;
  members: { userId: string; name: string; role: StudioRole }[];
}

/** A pool as `GET /api/pools` lists it: `role` is the caller's (owner: their personal pool). */
export interface Pool {
  id: string;
  name: string;
  kind: "personal" | "studio";
  studioId: string | null;
  role: "owner" | "admin" | "member";
  policy: PoolPolicy;
}

/** One agent of a pool (`GET /api/pools/:id`): `busy` when it holds as many jobs as it runs. */
export interface PoolAgent {
  id: string;
  name: string;
  online: boolean;
  maxVramMiB: number;
  vramClass: string;
  jobs: number;
  busy: boolean;
}

/** `GET /api/pools/:id`: the pool, its agents and the scaling answer autoscalers read. */
export interface PoolDetail {
  pool: Pool;
  agents: PoolAgent[];
  scaling: ScalingAnswer;
}

/** `POST /api/pools/:id/enrollment-tokens`: the token and the enroll command naming it. */
export interface PoolEnrollment {
  token: string;
  expiresAt: number;
  reusable: boolean;
  command: string;
}

/** A pool's scaling token as listed (`GET /api/pools/:id/scaling-tokens`): never its secret. */
export interface ScalingToken {
  id: string;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
}

/** A new scaling token: its secret (shown once), and where and how an autoscaler uses it. */
export interface ScalingTokenGrant {
  token: string;
  scalingToken: ScalingToken;
  url: string;
  command: string;
}

/** `GET /api/projects/:id/pools`: the pools that run its jobs; `chosen` false: the default. */
export interface ProjectPools {
  chosen: boolean;
  pools: { id: string; name: string; kind: "personal" | "studio" }[];
}
