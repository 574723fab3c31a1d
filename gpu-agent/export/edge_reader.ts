/**
 * What the export reads from the edge, as the signed-in user (`Authorization: Bearer <token>`,
 * the token `POST /api/auth/login` returns, as edge/API.md prescribes for scripts and the CLI).
 * Every refusal becomes a message with its fix.
 */
import { CliError } from "../cli/cli_error.ts";
import { EXIT } from "../cli/exit_codes.ts";

export const GET_A_TOKEN =
  "set MD_TOKEN to your session token (the token POST /api/auth/login answers), or MD_EMAIL and MD_PASSWORD to sign in";

export interface EdgeReader {
  /** JSON from `path`; null for a 404 when `missingOk`, for a 409 (unreadable) when `unreadableOk`. */
  json<T>(path: string, options?: ReadOptions): Promise<T | null>;
  text(path: string, what: string): Promise<string | null>;
  /** A signed URL's body, streamed into `file`. */
  download(url: string, file: string): Promise<void>;
}

export interface ReadOptions {
  missingOk?: boolean;
  unreadableOk?: boolean;
  /** What is read, for messages. */
  what?: string;
}

export function edgeReader(
  serverUrl: string,
  token: string,
  fetchImpl: typeof fetch = fetch,
): EdgeReader {
  const get = async (path: string, what: string, options: ReadOptions) => {
    let response: Response;
    try {
      response = await fetchImpl(`${serverUrl}${path}`, {
        headers: { authorization: `Bearer ${token}` },
      });
    } catch (error) {
      throw new CliError(
        `cannot reach the studio at ${serverUrl}: ${(error as Error).message}`,
        EXIT.edgeUnreachable,
        "check --server (or MD_SERVER_URL) and your network",
      );
    }
    if (response.ok) return response;
    const body = await response.text();
    if (response.status === 401) {
      throw new CliError("the studio did not accept your token", EXIT.notEnrolled, GET_A_TOKEN);
    }
    if (response.status === 404 && options.missingOk) return null;
    if (response.status === 409 && options.unreadableOk) return null;
    throw new CliError(
      `reading ${what} failed: ${response.status} ${errorMessage(body)}`,
      EXIT.failure,
    );
  };
  return {
    async json<T>(path: string, options: ReadOptions = {}) {
      const response = await get(path, options.what ?? path, options);
      return response ? await response.json() as T : null;
    },
    async text(path, what) {
      const response = await get(path, what, { missingOk: true });
      return response ? await response.text() : null;
    },
    async download(url, file) {
      const response = await fetchImpl(url).catch((error) => {
        throw new CliError(`cannot download ${url}: ${error.message}`, EXIT.edgeUnreachable);
      });
      if (!response.ok || !response.body) {
        await response.body?.cancel();
        throw new CliError(`downloading ${file} failed: ${response.status}`, EXIT.failure);
      }
      await Deno.writeFile(file, response.body);
    },
  };
}

/** Signs in with an email and password: the session token (how the studio's own page does it). */
export async function signIn(
  serverUrl: string,
  email: string,
  password: string,
  fetchImpl: typeof fetch = fetch,
): Promise<string> {
  const response = await fetchImpl(`${serverUrl}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  }).catch((error) => {
    throw new CliError(
      `cannot reach the studio at ${serverUrl}: ${error.message}`,
      EXIT.edgeUnreachable,
      "check --server (or MD_SERVER_URL) and your network",
    );
  });
  const body = await response.text();
  if (!response.ok) {
    throw new CliError(
      `signing in as ${email} failed: ${errorMessage(body)}`,
      EXIT.notEnrolled,
      "check MD_EMAIL and MD_PASSWORD (the ones you sign in to the studio with)",
    );
  }
  return (JSON.parse(body) as { token: string }).token;
}

function errorMessage(body: string): string {
  try {
    return (JSON.parse(body) as { error: { message: string } }).error.message;
  } catch {
    return body.slice(0, 200);
  }
}
