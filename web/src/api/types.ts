/** Shapes the edge API returns (edge/API.md), as the web app reads them. */
import type { Graph } from "../../../protocol/graph.ts";
import type { Role } from "../../../protocol/room_ticket.ts";
import type { Tier } from "../../../protocol/tiers.ts";

export type { Take } from "../../../protocol/jobs.ts";

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

/** A job as the studio shows it on its node. */
export interface JobSummary {
  id: string;
  nodeId: string;
  state: "queued" | "leased" | "running" | "succeeded" | "failed" | "canceled";
  tier: Tier;
  progress?: number;
  message?: string | null;
  error?: string | null;
  rationale?: string | null;
}
