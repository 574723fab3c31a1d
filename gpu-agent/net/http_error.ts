/**
 * An HTTP response that was not a success, kept with its status so retry logic can sort it:
 * 5xx, 408 and 429 are worth another try, other 4xx are not (the request itself is wrong).
 */

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** From a `Retry-After` header (seconds form), when the server sent one. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "HttpError";
  }

  /** Builds an HttpError from a failed response, reading a short excerpt of its body. */
  static async from(response: Response, what: string): Promise<HttpError> {
    const text = (await response.text().catch(() => "")).slice(0, 300).trim();
    const retryAfter = Number(response.headers.get("retry-after"));
    return new HttpError(
      response.status,
      `${what}: HTTP ${response.status}${text ? ` (${text})` : ""}`,
      Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter * 1000 : undefined,
    );
  }
}

/** Whether a status code means "try again later" rather than "this request is wrong". */
export function isRetriableStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}
