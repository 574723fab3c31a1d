/**
 * The HTTP client for the edge API (edge/API.md): same-origin JSON with the session cookie.
 * Every failure becomes an `ApiError` carrying the server's code, message and per-field
 * issues, so forms can show "email: already registered" next to the right input.
 */

export interface ApiIssue {
  path: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly issues: readonly ApiIssue[];

  constructor(status: number, code: string, message: string, issues: readonly ApiIssue[] = []) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.issues = issues;
  }

  /** The message for one field, when the server named it. */
  issueFor(field: string): string | undefined {
    return this.issues.find((i) => i.path === field || i.path.startsWith(`${field}.`))?.message;
  }

  /**
   * One line for a toast: the message, then each field issue as `field: message` that the
   * message does not already say (the edge's messages usually name their fields already).
   */
  describe(): string {
    const more = this.issues.filter((i) => !this.message.includes(i.message));
    if (more.length === 0) return this.message;
    return `${this.message} (${more.map((i) => `${i.path}: ${i.message}`).join("; ")})`;
  }
}

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface ApiClient {
  request<T>(
    method: Method,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<T>;
}

function _isErrorBody(
  json: unknown,
): json is { error: { code: string; message: string; issues?: ApiIssue[] } } {
  const error = (json as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return typeof error?.code === "string" && typeof error.message === "string";
}

/**
 * A client for `base` (the page's own origin by default). `fetchFn` is injectable for tests.
 */
export function createApiClient(
  base = "",
  fetchFn: typeof fetch = (...args) => fetch(...args),
): ApiClient {
  return {
    async request<T>(
      method: Method,
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) {
      let res: Response;
      try {
        res = await fetchFn(base + path, {
          method,
          credentials: "same-origin",
          headers: body === undefined
            ? headers
            : { "content-type": "application/json", ...headers },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch {
        throw new ApiError(0, "network", "cannot reach the server; check your connection");
      }
      if (res.status === 204) return undefined as T;
      const text = await res.text();
      let json: unknown = undefined;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        // A proxy's HTML error page, say: reported below by status.
      }
      if (res.ok) return json as T;
      if (_isErrorBody(json)) {
        const { code, message, issues } = json.error;
        throw new ApiError(res.status, code, message, issues ?? []);
      }
      throw new ApiError(
        res.status,
        "http_" + res.status,
        `the server answered ${res.status} ${res.statusText}`.trim(),
      );
    },
  };
}
