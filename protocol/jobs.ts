/**
 * The agent API (`/api/agent/v1/*`) and the job shapes the web app reads, as zod schemas shared
 * by the edge (validating what agents send) and the GPU agent (validating what the edge sends).
 *
 * Agents authenticate every call but `enroll` with `Authorization: Bearer <agentId>.<secret>`.
 * Errors use the edge's one error shape (`{error: {code, message, issues?}}`); the codes an
 * agent must act on are in `AGENT_ERROR_CODES`.
 *
 * Life of a job as an agent sees it:
 * 1. `POST /claim` (long-polls up to `CLAIM_MAX_WAIT_MS`) → `{job}` with a lease, or `{job: null}`.
 * 2. `POST /jobs/:id/events` while running: extends the lease; `{canceled: true}` means stop.
 * 3. `POST /jobs/:id/outputs` once per output file → a presigned PUT URL; upload the file.
 * 4. `POST /jobs/:id/complete` with each output's bytes and sha256, or `POST /jobs/:id/fail`.
 *    `POST /jobs/:id/release` gives the job back untouched (agent shutting down).
 * 5. After completion, the lease gone: `POST /jobs/:id/takes/:takeId/description` once per video
 *    take with its media facts and the poster frame uploaded to the output's `poster` slot.
 * A 409 `lease_lost` on any of these means another agent may now hold the job: stop at once.
 *
 * @example
 * ```ts
 * import { claimResponseSchema } from "./jobs.ts";
 * const { job } = claimResponseSchema.parse(await response.json());
 * if (job) console.log(job.nodeType, job.tier, job.leaseExpiresAt);
 * ```
 */
import { z } from "zod";
import { boundedJsonObject } from "./bounded_json.ts";
import { backendSchema } from "./nodes.ts";
import { type Tier, tierSchema } from "./tiers.ts";
import { workflowBindingSchema } from "./workflows/binding.ts";

/** Path prefix of the agent API; bumped (v2) only for changes an older agent would misread. */
export const AGENT_API_PREFIX = "/api/agent/v1";
/** The longest a claim may wait for work before answering `{job: null}`. */
export const CLAIM_MAX_WAIT_MS = 25_000;

/** Error codes an agent must handle (besides 401 `unauthorized`: enroll again). */
export const AGENT_ERROR_CODES = {
  /** 409: this agent no longer holds the job's lease (expired, canceled or taken over). */
  leaseLost: "lease_lost",
  /** 401 on enroll: the token is unknown, used or expired. */
  badEnrollmentToken: "bad_enrollment_token",
  /** 422 on complete: an output is missing from storage or its size differs. */
  outputMismatch: "output_mismatch",
} as const;

const name = z.string().trim().min(1).max(200);
const shortText = z.string().max(200);
const mib = z.number().int().min(0).max(16 * 1024 * 1024);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, "sha256 is 64 lower-case hex digits");

// ---------------------------------------------------------------- agent profile

export const GPU_VENDORS = ["nvidia", "amd", "intel", "apple", "other"] as const;

export const gpuSchema = z.object({
  index: z.number().int().min(0).max(255),
  name: shortText,
  vendor: z.enum(GPU_VENDORS),
  /** Dedicated memory; null when it could not be read (the agent's MD_VRAM_MIB sets it). */
  vramTotalMiB: mib.nullable(),
  vramFreeMiB: mib.nullable(),
});
export type Gpu = z.infer<typeof gpuSchema>;

/** One (node type, tier) pair: the unit an agent advertises and the edge matches jobs on. */
export const workSchema = z.object({ nodeType: shortText, tier: tierSchema });
export type Work = z.infer<typeof workSchema>;

/**
 * A pair a backend has templates for, with the job parameters those templates read (ComfyUI
 * bindings): the studio shows the others as not used at that tier. Absent: every parameter
 * (backends without templates, agents before 0.3).
 */
export const templateWorkSchema = workSchema.extend({
  params: z.array(shortText).max(100).optional(),
});
export type TemplateWork = z.infer<typeof templateWorkSchema>;

/** A model file a backend lacks, by the folder it belongs in (ComfyUI's `models/<folder>`). */
export const modelFileSchema = z.object({ folder: shortText, file: shortText });
export type ModelFile = z.infer<typeof modelFileSchema>;

/**
 * A pair the backend has a template for but cannot run now, and what is missing: shown to
 * people as why a job waits ("put sd_xl_base_1.0.safetensors in ComfyUI's models/checkpoints").
 */
export const blockedWorkSchema = templateWorkSchema.extend({
  template: shortText,
  missingModels: z.array(modelFileSchema).max(50),
  missingClasses: z.array(shortText).max(50),
});
export type BlockedWork = z.infer<typeof blockedWorkSchema>;

/** The most model file names one backend lists in the heartbeat. */
export const MAX_MODEL_FILES = 5000;

export const backendStatusSchema = z.object({
  kind: backendSchema,
  version: shortText.nullable(),
  healthy: z.boolean(),
  /** Workflow templates (ComfyUI) or capabilities (ffmpeg) it can run now. */
  templates: z.array(shortText).max(1000),
  /** Model file names it has installed; jobs needing other models are not offered. */
  models: z.array(shortText).max(MAX_MODEL_FILES),
  /**
   * Exactly the pairs it can run now (templates whose node classes and model files are there,
   * on a GPU that meets the tier); only these are offered. Absent (agents before 0.2): every
   * pair of the node types this kind of backend serves.
   */
  runnable: z.array(templateWorkSchema).max(1000).optional(),
  /** Pairs it has templates for but cannot run now, with what each lacks. */
  blocked: z.array(blockedWorkSchema).max(200).optional(),
  /** Why it is unhealthy, phrased as a fix. */
  problem: z.string().max(1000).optional(),
  /**
   * It runs the studio's workflow assets (a ComfyUI backend of agents from 0.4): jobs that carry
   * a workflow are offered to it when it has the workflow's model files. Absent: it does not.
   */
  workflows: z.boolean().optional(),
  /**
   * It runs the studio's model config assets (a Docker backend that says so): jobs that
   * carry a model config are offered to it. Absent: it does not.
   */
  modelConfigs: z.boolean().optional(),
});
export type BackendStatusReport = z.infer<typeof backendStatusSchema>;

/** What an agent advertises at enrollment and in every heartbeat. */
export const agentProfileSchema = z.object({
  hostname: shortText,
  os: shortText,
  gpus: z.array(gpuSchema).max(64),
  backends: z.array(backendStatusSchema).max(16),
  /** How many jobs it runs at once (one per GPU, typically). */
  concurrency: z.number().int().min(1).max(64),
  /** The agent's own version, for support. */
  agentVersion: shortText.optional(),
});
export type AgentProfile = z.infer<typeof agentProfileSchema>;

// ---------------------------------------------------------------- enroll and heartbeat

/** `POST /enroll` (no Authorization): trade a single-use enrollment token for credentials. */
export const enrollRequestSchema = z.object({
  token: z.string().min(1).max(200),
  /** Shown in the studio's agent list; defaults to the hostname. */
  name: name.optional(),
  profile: agentProfileSchema,
});
export type EnrollRequest = z.infer<typeof enrollRequestSchema>;

export const enrollResponseSchema = z.object({
  agentId: z.string(),
  /** Shown once; the edge keeps only its SHA-256. Send as `Bearer <agentId>.<secret>`. */
  secret: z.string(),
  name: z.string(),
  /** Send a heartbeat at least this often; three missed ones mark the agent offline. */
  heartbeatIntervalMs: z.number().int().positive(),
});
export type EnrollResponse = z.infer<typeof enrollResponseSchema>;

/** `POST /heartbeat` */
export const heartbeatRequestSchema = z.object({
  profile: agentProfileSchema,
  /**
   * The agent is stopping (drained, holding nothing): it counts as offline from now on, so
   * matching and the scaling answer stop counting it before its heartbeats would have lapsed.
   */
  leaving: z.boolean().optional(),
  /**
   * The agent drains (told to stop, SIGTERM or Ctrl-C): it finishes what it holds and claims
   * nothing more. Matching and the scaling answer stop counting it as available at once, so an
   * autoscaler that stopped it does not start another in its place while it finishes. A
   * heartbeat without it (an agent started again) makes it available again.
   */
  draining: z.boolean().optional(),
});
export type HeartbeatRequest = z.infer<typeof heartbeatRequestSchema>;

export const heartbeatResponseSchema = z.object({
  agentId: z.string(),
  name: z.string(),
  heartbeatIntervalMs: z.number().int().positive(),
  /** The edge's clock, so the agent can tell how far lease times are from its own. */
  serverTime: z.number(),
});
export type HeartbeatResponse = z.infer<typeof heartbeatResponseSchema>;

// ---------------------------------------------------------------- claim

/** What a job needs from the agent that runs it. */
export const requirementsSchema = z.object({
  /** Backends that can run the node, in order of preference; the agent needs one, healthy. */
  backends: z.array(backendSchema),
  /** Total VRAM of the agent's largest GPU must be at least this (0: CPU work). */
  minVramMiB: z.number().int().min(0),
  models: z.array(z.string()),
});
export type Requirements = z.infer<typeof requirementsSchema>;

/**
 * A file the job reads, as a signed GET URL valid for the lease and a margin: an upstream
 * node's selected take (`takeId`), or the reference image of a library asset linked to the node
 * (`asset`, the version it was queued with).
 */
export const jobInputSchema = z.object({
  /** The input socket it feeds ("from", "to", "reference"...). */
  socket: z.string(),
  url: z.string(),
  contentType: z.string(),
  takeId: z.string().optional(),
  asset: z.object({ id: z.string(), version: z.number().int().min(1) }).optional(),
  /** The take's SHA-256 (agents may keep a downloaded take by it between jobs). */
  sha256: sha256.optional(),
});
export type JobInputRef = z.infer<typeof jobInputSchema>;

/** `POST /claim` body (optional): how long to wait for work, at most `CLAIM_MAX_WAIT_MS`. */
export const claimRequestSchema = z.object({
  waitMs: z.number().int().min(0).max(CLAIM_MAX_WAIT_MS).default(CLAIM_MAX_WAIT_MS),
});
export type ClaimRequest = z.input<typeof claimRequestSchema>;

/**
 * The workflow asset a job runs instead of the agent's own templates (a ComfyUI workflow the
 * user uploaded), at the version it was queued with: the file as a signed GET URL with its
 * SHA-256 (the agent checks it and may keep it by it), and the mapping of that version.
 */
export const claimedWorkflowSchema = z.object({
  assetId: z.string(),
  version: z.number().int().min(1),
  name: z.string(),
  url: z.string(),
  sha256,
  bytes: z.number().int().min(1),
  binding: workflowBindingSchema.required({ vramMiB: true }),
});
export type ClaimedWorkflow = z.infer<typeof claimedWorkflowSchema>;

/**
 * The Docker model config asset a job runs instead of the agent's own backends, at the version
 * it was queued with; the agent checks the config again with its own rules before running it.
 */
export const claimedModelConfigSchema = z.object({
  assetId: z.string(),
  version: z.number().int().min(1),
  name: z.string(),
  config: z.record(z.string(), z.unknown()),
});
export type ClaimedModelConfig = z.infer<typeof claimedModelConfigSchema>;

export const claimedJobSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  nodeId: z.string(),
  nodeType: z.string(),
  tier: tierSchema,
  /** Validated against the node catalog and filled with its defaults. */
  params: z.record(z.string(), z.unknown()),
  inputs: z.array(jobInputSchema),
  /** Set when the node runs a workflow asset of the library. */
  workflow: claimedWorkflowSchema.optional(),
  /** Set when the node runs a Docker model config asset of the library. */
  modelConfig: claimedModelConfigSchema.optional(),
  requirements: requirementsSchema,
  /** 1 on the first run; the job fails for good after `maxAttempts`. */
  attempt: z.number().int().min(1),
  maxAttempts: z.number().int().min(1),
  /** Send an event before this (ms since the epoch, edge clock) or lose the job. */
  leaseExpiresAt: z.number(),
  leaseMs: z.number().int().positive(),
});
export type ClaimedJob = z.infer<typeof claimedJobSchema>;

export const claimResponseSchema = z.object({ job: claimedJobSchema.nullable() });
export type ClaimResponse = z.infer<typeof claimResponseSchema>;

// ---------------------------------------------------------------- progress events

export const PREVIEW_MAX_BASE64_CHARS = 256 * 1024;
/** The longest rationale an agent may send with an event. */
export const RATIONALE_MAX_CHARS = 400;

/** `POST /jobs/:id/events`: progress; also the lease keep-alive (send one every ~lease/3). */
export const jobEventRequestSchema = z.object({
  percent: z.number().min(0).max(100),
  message: z.string().max(1000).default(""),
  step: z.object({
    current: z.number().int().min(0),
    total: z.number().int().min(1),
  }).optional(),
  etaSeconds: z.number().min(0).max(7 * 24 * 3600).optional(),
  /**
   * Which of the agent's backends runs the job and why ("wan2gp profile 4: 12 GB VRAM, 32 GB
   * RAM; chosen over ComfyUI: …"), sent once the agent has chosen; stored as the job's rationale
   * (after the tier's own, when the tier was lowered).
   */
  rationale: z.string().trim().min(1).max(RATIONALE_MAX_CHARS).optional(),
  /** A small preview frame (ComfyUI's latent previews), kept as the job's latest preview. */
  preview: z.object({
    contentType: z.enum(["image/png", "image/jpeg", "image/webp"]),
    base64: z.string().max(PREVIEW_MAX_BASE64_CHARS).regex(/^[A-Za-z0-9+/]*={0,2}$/, "not base64"),
  }).optional(),
});
export type JobEventRequest = z.input<typeof jobEventRequestSchema>;

/** The progress an agent last reported for a job, as the edge keeps it and returns it. */
export interface JobProgress {
  percent: number;
  message: string;
  step?: { current: number; total: number };
  etaSeconds?: number;
  /** When the edge received it (ms since the epoch). */
  at: number;
}

export const jobEventResponseSchema = z.object({
  /** The user canceled the job: interrupt the backend and stop sending. */
  canceled: z.boolean(),
  leaseExpiresAt: z.number(),
});
export type JobEventResponse = z.infer<typeof jobEventResponseSchema>;

// ---------------------------------------------------------------- outputs and completion

/**
 * What ffprobe says about a video take or render: its length, rate, picture size and whether it
 * has sound. Sent by the agent at completion, shown with the take, read by the cut's timeline.
 */
export const mediaFactsSchema = z.object({
  durationSeconds: z.number().min(0).max(7 * 24 * 3600),
  /** Frames per second as a number (29.97 for 30000/1001). */
  fps: z.number().min(0).max(1000),
  width: z.number().int().min(1).max(65_535),
  height: z.number().int().min(1).max(65_535),
  hasAudio: z.boolean(),
});
export type MediaFacts = z.infer<typeof mediaFactsSchema>;

/** A poster frame (JPEG) is small: a frame scaled to at most `POSTER_MAX_WIDTH` pixels wide. */
export const POSTER_MAX_BYTES = 1024 * 1024;
export const POSTER_MAX_WIDTH = 480;
export const POSTER_CONTENT_TYPE = "image/jpeg";

/** `POST /jobs/:id/outputs`: reserve the next take number and get where to upload it. */
export const outputRequestSchema = z.object({
  ext: z.string().regex(/^[a-z0-9]{1,8}$/, "ext is 1-8 lower-case letters or digits, no dot"),
  contentType: z.string().regex(/^[a-z]+\/[a-z0-9.+-]+$/, "not a content type"),
});
export type OutputRequest = z.infer<typeof outputRequestSchema>;

export const outputResponseSchema = z.object({
  takeId: z.string(),
  /** e.g. 3 for `SHOT-010_v01_take03.mp4`. */
  take: z.number().int().min(1),
  /** The immutable object key, for logs; never shown to people as a path. */
  key: z.string(),
  /** PUT the bytes here with exactly `headers`; it expires at `expiresAt`. */
  uploadUrl: z.string(),
  headers: z.record(z.string(), z.string()),
  expiresAt: z.number(),
  /**
   * For video outputs: where to PUT its poster frame (`POSTER_CONTENT_TYPE`, with `headers`).
   * Absent from edges before posters; an agent without a poster just does not use it.
   */
  poster: z.object({
    uploadUrl: z.string(),
    headers: z.record(z.string(), z.string()),
    expiresAt: z.number(),
  }).optional(),
});
export type OutputResponse = z.infer<typeof outputResponseSchema>;

/** A poster frame the agent uploaded: its size (checked against storage) and SHA-256. */
const uploadedPosterSchema = z.object({
  bytes: z.number().int().min(1).max(POSTER_MAX_BYTES),
  sha256,
});

export const completedOutputSchema = z.object({
  takeId: z.string().min(1).max(64),
  bytes: z.number().int().min(0),
  sha256,
  contentType: z.string().regex(/^[a-z]+\/[a-z0-9.+-]+$/, "not a content type"),
  /** ffprobe's facts about a video output (agents before posters send none). */
  media: mediaFactsSchema.optional(),
  /**
   * The poster frame uploaded to the output's `poster.uploadUrl`, if any. Agents since the
   * description route send media and poster there, after completing (older ones send them here).
   */
  poster: uploadedPosterSchema.optional(),
});
export type CompletedOutput = z.infer<typeof completedOutputSchema>;

/**
 * `POST /jobs/:id/takes/:takeId/description`: a ready video take's ffprobe facts and its poster
 * frame (uploaded first to the output's `poster.uploadUrl`), sent by the agent that ran the job
 * after completing it, so the take is delivered without waiting for ffmpeg. Once per take: the
 * same description again is harmless, a different one is refused (409 `already_described`).
 */
export const takeDescriptionRequestSchema = z.object({
  media: mediaFactsSchema,
  poster: uploadedPosterSchema.optional(),
});
export type TakeDescriptionRequest = z.infer<typeof takeDescriptionRequestSchema>;

/** `POST /jobs/:id/complete`: every uploaded output; completing twice is harmless. */
export const completeRequestSchema = z.object({
  outputs: z.array(completedOutputSchema).min(1, "a job produces at least one output").max(64),
  /** Lineage: the workflow template that ran and the seed actually used. */
  template: shortText.optional(),
  seed: z.number().int().min(0).optional(),
  /**
   * Lineage: the job parameters the backend actually used (those its template binds, with the
   * seed it used); absent, the take records the job's parameters as queued.
   */
  params: boundedJsonObject().optional(),
  /**
   * The highest GPU memory in use (MiB) on the job's GPU while it ran, as the agent sampled it
   * (nvidia-smi); the edge learns footprints from it. Absent: not measured (no NVIDIA GPU).
   */
  peakVramMiB: mib.optional(),
});
export type CompleteRequest = z.infer<typeof completeRequestSchema>;

/** Something a take's job read (lineage): an upstream take, or a library asset's version. */
export const takeInputSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("take"),
    /** The input socket it fed ("reference", "video"...). */
    socket: z.string(),
    takeId: z.string(),
    /** The upstream node and the take's file name; null for jobs queued before they were kept. */
    nodeId: z.string().nullable(),
    name: z.string().nullable(),
  }),
  z.object({
    kind: z.literal("asset"),
    socket: z.string(),
    assetId: z.string(),
    assetType: z.string(),
    version: z.number().int(),
    name: z.string(),
    /** Whether its reference image was fed to the socket (an image socket). */
    image: z.boolean(),
  }),
]);
export type TakeInput = z.infer<typeof takeInputSchema>;

/** A library asset at one of its versions, as a take's lineage names what ran it. */
const assetVersionRefSchema = z.object({
  assetId: z.string(),
  version: z.number().int(),
  name: z.string(),
});

/** A recorded output as everyone sees it. `url` is a signed GET URL that expires. */
export const publicTakeSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  nodeId: z.string(),
  jobId: z.string(),
  scene: z.string(),
  shot: z.string(),
  version: z.number().int(),
  take: z.number().int(),
  /** The production file name, e.g. `SHOT-010_v01_take03.mp4`. */
  name: z.string(),
  ext: z.string(),
  contentType: z.string(),
  bytes: z.number().int(),
  sha256: z.string(),
  url: z.string(),
  /** A signed URL of the poster frame (video takes and renders), null when there is none. */
  posterUrl: z.string().nullable().default(null),
  /** Length, rate, size and sound of a video take or render, null when not known. */
  media: mediaFactsSchema.nullable().default(null),
  lineage: z.object({
    jobId: z.string(),
    agentId: z.string().nullable(),
    nodeType: z.string(),
    tier: tierSchema,
    /** What the user asked for; differs from `tier` when the edge lowered it (`rationale`). */
    requestedTier: tierSchema,
    /** Why the tier was lowered ("high→standard: largest online GPU 16 GB"), else null. */
    rationale: z.string().nullable(),
    template: z.string().nullable(),
    /** The workflow asset the job ran (its id and the version it was queued with), or null. */
    workflow: assetVersionRefSchema.nullable(),
    /**
     * The Docker model config asset the job ran (its id and the version it was queued with), or
     * null (takes from edges before it was shown have none).
     */
    modelConfig: assetVersionRefSchema.nullable().default(null),
    seed: z.number().nullable(),
    /** The parameters the backend used (see `completeRequestSchema.params`). */
    params: z.record(z.string(), z.unknown()),
    /** What the job read, resolved when it was queued. */
    inputs: z.array(takeInputSchema),
    /** When the job was queued, first started running, and this take was finished. */
    timing: z.object({
      queuedAt: z.number(),
      startedAt: z.number().nullable(),
      finishedAt: z.number().nullable(),
    }),
  }),
  createdAt: z.number(),
});
export type Take = z.infer<typeof publicTakeSchema>;

export const completeResponseSchema = z.object({
  state: z.literal("succeeded"),
  takes: z.array(publicTakeSchema),
});
export type CompleteResponse = z.infer<typeof completeResponseSchema>;

/** The answer to a take's description: the take as everyone now sees it. */
export const takeDescriptionResponseSchema = z.object({ take: publicTakeSchema });
export type TakeDescriptionResponse = z.infer<typeof takeDescriptionResponseSchema>;

/**
 * `POST /jobs/:id/fail`. Retriable failures go back to the queue while attempts remain.
 * `infrastructure`: the agent's backend went away or restarted during the run, which is not the
 * job's fault: it goes back to the queue without spending an attempt, counted apart so a job
 * that brings its backend down every time still ends (after the edge's JOB_MAX_INFRA_FAILURES).
 */
export const failRequestSchema = z.object({
  reason: z.string().trim().min(1).max(4000),
  retriable: z.boolean(),
  infrastructure: z.boolean().default(false),
});
export type FailRequest = z.input<typeof failRequestSchema>;

/**
 * `POST /jobs/:id/release` (body optional): hand the job back without spending an attempt.
 * `cannotRun`: this agent found it cannot run the job after all (its profile was out of date);
 * the job is not offered to it again until its advertised profile changes.
 */
export const releaseRequestSchema = z.object({
  reason: z.string().max(1000).default("agent shutting down"),
  cannotRun: z.boolean().default(false),
});

export const JOB_STATES = [
  "queued",
  "leased",
  "running",
  "succeeded",
  "failed",
  "canceled",
] as const;
export const jobStateSchema = z.enum(JOB_STATES);
export type JobState = z.infer<typeof jobStateSchema>;
export const TERMINAL_STATES: readonly JobState[] = ["succeeded", "failed", "canceled"];

/** Answer to `fail` and `release`: where the job went. */
export const jobTransitionResponseSchema = z.object({
  state: jobStateSchema,
  attempt: z.number().int().min(0),
  maxAttempts: z.number().int().min(1),
});
export type JobTransitionResponse = z.infer<typeof jobTransitionResponseSchema>;

// ---------------------------------------------------------------- what people see

/** Why a queued job is not running yet, checked against the agents online now. */
export const WAIT_REASONS = [
  "no_agent_online",
  "no_backend",
  "not_enough_vram",
  "missing_model",
  /** The agents' ComfyUI lacks a node class the template uses (a custom node to install). */
  "missing_node",
  /**
   * No online agent has a template for this node type at this tier (or runs workflow assets, or
   * is new enough to run a job type such as `cut.render`: the message says to update it).
   */
  "no_template",
  "agents_busy",
] as const;
export type WaitReason = typeof WAIT_REASONS[number];

/** `POST /api/projects/:id/nodes/:nodeId/generate` body (header `Idempotency-Key` optional). */
export const generateRequestSchema = z.object({
  /** Must equal the node's type in the project's live graph. */
  type: z.string().min(1).max(64),
  /**
   * Omitted (as the studio does), the job runs the node's parameters as the live graph holds
   * them; given, these instead (scripted runs).
   */
  params: boundedJsonObject().optional(),
  tier: tierSchema.default("standard"),
  /** May the edge run it at a lower tier when no online agent can meet this one? */
  allowDowngrade: z.boolean().default(true),
  priority: z.number().int().min(-10).max(10).default(0),
  maxAttempts: z.number().int().min(1).max(10).optional(),
});
export type GenerateRequest = z.input<typeof generateRequestSchema>;

/**
 * `GET /api/projects/:id/capabilities`: for each node type and tier, whether an agent online
 * for the project can run it now, and if not, why (the words a queued job would wait with) and
 * where Generate would run it instead. The studio shows this before anyone presses Generate.
 */
export interface WorkAvailability {
  nodeType: string;
  tier: Tier;
  /** Online agents that can run it at this tier now (0: none). */
  agents: number;
  /** Why none can; null when some can. */
  blocked: { reason: WaitReason; message: string } | null;
  /** When none can but a lower tier can: the tier Generate would run it at, and why. */
  downgrade: { tier: Tier; rationale: string } | null;
  /** Parameters the templates that would run it read; null when not known (all count). */
  params: string[] | null;
}

/**
 * The same for each of the project's workflow assets as it is now (`workflows` beside
 * `capabilities`): whether an online agent can run it, at its own tier (never lowered), and why
 * not in the words its queued job would wait with ("no online agent has `x.safetensors` ...").
 * `params` are the parameters its mapping binds: the rest of a node's values it does not read.
 * `workflowVersions` holds the same for the assets' older versions (what a pinned node runs).
 */
export interface WorkflowAvailability extends WorkAvailability {
  assetId: string;
  name: string;
  version: number;
}

/**
 * The same for each of the project's Docker model config assets as it is now (`modelConfigs`):
 * whether an online agent's Docker runs shared configs with the VRAM it needs, and why not in the
 * words its queued job would wait with. It runs a node at the node's own tier when it implements
 * the pair (`pairs`; protocol/docker_models/tiers.ts says why not). `params` are those its
 * command reads.
 */
export interface ModelConfigAvailability {
  assetId: string;
  name: string;
  version: number;
  pairs: { nodeType: string; tier: Tier }[];
  vramMiB: number;
  /** It asks for network access (shown to the user; off for the studio's configs on agents). */
  network: boolean;
  agents: number;
  blocked: { reason: WaitReason; message: string } | null;
  params: string[];
}
