/** Shapes the edge API returns (edge/API.md), as the web app reads them. */
import type { Graph } from "../../../protocol/graph.ts";
import type { AgentProfile, JobProgress } from "../../../protocol/jobs.ts";
import type { Role } from "../../../protocol/room_ticket.ts";
import type { Tier } from "../../../protocol/tiers.ts";

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

export interface Asset {
  id: string;
  projectId: string;
  type: AssetKind;
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
  authorId: string;
  /** Who saved this version. */
  authorName: string;
  createdAt: number;
}

export interface Revision {
  revision: number;
  authorId: string | null;
  authorName: string | null;
  message: string;
  createdAt: number;
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
  attempt: number;
  maxAttempts: number;
  agentId: string | null;
  createdAt: number;
  updatedAt: number;
}

/** One of the signed-in user's GPU agents (`GET /api/agents`). */
export interface Agent {
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

/** `POST /api/agents/enrollment-tokens`: a single-use token, valid until `expiresAt`. */
export interface EnrollmentToken {
  token: string;
  expiresAt: number;
}
