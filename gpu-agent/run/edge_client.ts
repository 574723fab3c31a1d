/**
 * The agent's typed client for the edge's agent API (`/api/agent/v1/*`, protocol/jobs.ts).
 * Every answer is validated with the protocol's schemas; every failure is one of three kinds
 * the daemon acts on: `AgentRejected` (401: revoked, stop), `LeaseLost` (409: stop that job),
 * or an `HttpError`/network error that net/classify.ts sorts into retriable or fatal.
 *
 * @example
 * ```ts
 * const edge = new EdgeClient({ serverUrl, agentId, secret });
 * const job = await edge.claim(25_000, signal);
 * if (job) await edge.event(job.id, { percent: 0, message: "starting" }, signal);
 * ```
 */
import type { z } from "zod";
import {
  AGENT_API_PREFIX,
  AGENT_ERROR_CODES,
  type AgentProfile,
  type ClaimedJob,
  claimResponseSchema,
  type CompleteRequest,
  type CompleteResponse,
  completeResponseSchema,
  type FailRequest,
  type HeartbeatResponse,
  heartbeatResponseSchema,
  type JobEventRequest,
  type JobEventResponse,
  jobEventResponseSchema,
  type JobTransitionResponse,
  jobTransitionResponseSchema,
  type OutputRequest,
  type OutputResponse,
  outputResponseSchema,
  type TakeDescriptionRequest,
  type TakeDescriptionResponse,
  takeDescriptionResponseSchema,
} from "../../protocol/jobs.ts";
import { HttpError } from "../net/http_error.ts";

/** The edge refused this agent's credentials (revoked, or enrolled on another edge). */
export class AgentRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AgentRejected";
  }
}

/** The edge says this agent no longer holds the job (expired, canceled or taken over). */
export class LeaseLost extends Error {
  constructor(readonly jobId: string, message: string) {
    super(message);
    this.name = "LeaseLost";
  }
}

/** The edge answered 2xx with a body that is not what the protocol says (a version mismatch). */
export class BadEdgeAnswer extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BadEdgeAnswer";
  }
}

export interface EdgeClientOptions {
  serverUrl: string;
  agentId: string;
  secret: string;
  fetch?: typeof fetch;
  /** Time allowed for one call beyond any long-poll wait; default 30 s. */
  requestTimeoutMs?: number;
}

export class EdgeClient {
  readonly serverUrl: string;
  readonly #authorization: string;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;

  constructor(options: EdgeClientOptions) {
    this.serverUrl = options.serverUrl.replace(/\/+$/, "");
    this.#authorization = `Bearer ${options.agentId}.${options.secret}`;
    this.#fetch = options.fetch ?? fetch;
    this.#timeoutMs = options.requestTimeoutMs ?? 30_000;
  }

  /**
   * `draining`: told to stop, it finishes what it holds and claims no more; `leaving`: the last
   * one, from an agent that drained and is stopping.
   */
  heartbeat(
    profile: AgentProfile,
    signal?: AbortSignal,
    state: { leaving?: boolean; draining?: boolean } = {},
  ): Promise<HeartbeatResponse> {
    const body = {
      profile,
      ...(state.leaving ? { leaving: true } : {}),
      ...(state.draining ? { draining: true } : {}),
    };
    return this.#call("heartbeat", "/heartbeat", body, heartbeatResponseSchema, signal);
  }

  /** Checks the credentials without touching the agent's record (`doctor`). */
  me(signal?: AbortSignal): Promise<HeartbeatResponse> {
    return this.#call("check", "/me", undefined, heartbeatResponseSchema, signal);
  }

  /** Long-polls for work: a job, or null after `waitMs` without one. */
  async claim(waitMs: number, signal?: AbortSignal): Promise<ClaimedJob | null> {
    const answer = await this.#call("claim", "/claim", { waitMs }, claimResponseSchema, signal, {
      extraTimeoutMs: waitMs,
    });
    return answer.job;
  }

  /** Progress and lease keep-alive; `{canceled: true}` means the user canceled the job. */
  event(jobId: string, event: JobEventRequest, signal?: AbortSignal): Promise<JobEventResponse> {
    return this.#call("event", `/jobs/${jobId}/events`, event, jobEventResponseSchema, signal, {
      jobId,
    });
  }

  /** Reserves the next take for an output and returns where to upload it. */
  output(jobId: string, request: OutputRequest, signal?: AbortSignal): Promise<OutputResponse> {
    return this.#call("output", `/jobs/${jobId}/outputs`, request, outputResponseSchema, signal, {
      jobId,
    });
  }

  complete(
    jobId: string,
    request: CompleteRequest,
    signal?: AbortSignal,
  ): Promise<CompleteResponse> {
    return this.#call(
      "complete",
      `/jobs/${jobId}/complete`,
      request,
      completeResponseSchema,
      signal,
      { jobId },
    );
  }

  /**
   * A completed video take's facts and poster frame (uploaded first), sent after completion;
   * 404 from an edge older than the route.
   */
  describe(
    jobId: string,
    takeId: string,
    request: TakeDescriptionRequest,
    signal?: AbortSignal,
  ): Promise<TakeDescriptionResponse> {
    return this.#call(
      "describe",
      `/jobs/${jobId}/takes/${takeId}/description`,
      request,
      takeDescriptionResponseSchema,
      signal,
    );
  }

  fail(jobId: string, request: FailRequest, signal?: AbortSignal): Promise<JobTransitionResponse> {
    return this.#call("fail", `/jobs/${jobId}/fail`, request, jobTransitionResponseSchema, signal, {
      jobId,
    });
  }

  /**
   * Hands the job back to the queue without spending an attempt (shutting down); `cannotRun`:
   * this agent cannot run it, so the edge offers it elsewhere until this agent's profile changes.
   */
  release(
    jobId: string,
    reason: string,
    signal?: AbortSignal,
    options: { cannotRun?: boolean } = {},
  ): Promise<JobTransitionResponse> {
    return this.#call(
      "release",
      `/jobs/${jobId}/release`,
      { reason, ...(options.cannotRun ? { cannotRun: true } : {}) },
      jobTransitionResponseSchema,
      signal,
      { jobId },
    );
  }

  async #call<S extends z.ZodType>(
    what: string,
    path: string,
    body: unknown,
    schema: S,
    signal: AbortSignal | undefined,
    options: { jobId?: string; extraTimeoutMs?: number } = {},
  ): Promise<z.output<S>> {
    const timeout = AbortSignal.timeout(this.#timeoutMs + (options.extraTimeoutMs ?? 0));
    const response = await this.#fetch(`${this.serverUrl}${AGENT_API_PREFIX}${path}`, {
      // A call without a body only reads.
      ...(body === undefined
        ? { method: "GET", headers: { authorization: this.#authorization } }
        : {
          method: "POST",
          headers: { authorization: this.#authorization, "content-type": "application/json" },
          body: JSON.stringify(body),
        }),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    if (!response.ok) throw await _failure(response, what, options.jobId);
    const json = await response.json().catch(() => undefined);
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new BadEdgeAnswer(
        `${what}: the edge's answer does not match the agent protocol (${
          issue ? `${issue.path.join(".") || "body"}: ${issue.message}` : "not JSON"
        }); update the agent or the edge`,
      );
    }
    return parsed.data;
  }
}

async function _failure(response: Response, what: string, jobId?: string): Promise<Error> {
  const text = await response.text().catch(() => "");
  let code: string | undefined;
  let message = text.slice(0, 300);
  try {
    const error = JSON.parse(text)?.error;
    if (typeof error?.code === "string") code = error.code;
    if (typeof error?.message === "string") message = error.message;
  } catch {
    // Not the edge's error shape (a proxy's HTML page): keep the text excerpt.
  }
  if (response.status === 401) {
    return new AgentRejected(
      `the edge rejected this agent's credentials on ${what}${message ? ` (${message})` : ""}`,
    );
  }
  if (response.status === 409 && code === AGENT_ERROR_CODES.leaseLost && jobId) {
    return new LeaseLost(jobId, message || "lease lost");
  }
  const retryAfter = Number(response.headers.get("retry-after"));
  return new HttpError(
    response.status,
    `${what}: HTTP ${response.status}${code ? ` ${code}` : ""}${message ? ` (${message})` : ""}`,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
  );
}
