/**
 * A reviewer link (`/s/<token>`): names the project and who shared it, then joins as a guest and
 * opens the project read-only. A link that does not work (mistyped, revoked, expired, or of a
 * deleted project) says so in words, with what to do.
 */
import { createResource, createSignal, Match, Show, Switch } from "solid-js";
import { ApiError } from "../api/client.ts";
import { navigate } from "../routes.ts";
import { api, setSession } from "../services.ts";

export const DEAD_LINK =
  "This link has expired or was revoked. Ask the project owner for a new one.";

/** What the page says about a failed preview or join. */
function explain(error: unknown): string {
  if (!(error instanceof ApiError)) return `Cannot reach the studio: ${(error as Error).message}`;
  // A token of the wrong shape is a link that was cut or mistyped: to its holder, a dead link.
  if (error.status === 404 || error.code === "invalid_path") return DEAD_LINK;
  if (error.status === 429) return `Too many tries from this network: ${error.message}.`;
  return error.describe();
}

export default function SharePage(props: { token: string }) {
  const [preview] = createResource(() => props.token, (token) => api.auth.previewShare(token));
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);

  async function join(e: SubmitEvent) {
    e.preventDefault();
    const name = String(new FormData(e.currentTarget as HTMLFormElement).get("name") ?? "").trim();
    setBusy(true);
    try {
      const { projectId } = await api.auth.acceptShare(props.token, name || undefined);
      setSession(await api.auth.me());
      navigate({ name: "project", projectId }, true);
    } catch (err) {
      setError(explain(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="auth">
      <Switch>
        <Match when={preview.error}>
          <div class="auth-card" role="alert" data-testid="share-invalid">
            <h1>This link does not work</h1>
            <p data-testid="share-error">{explain(preview.error)}</p>
            <a href="/" onClick={(e) => (e.preventDefault(), navigate({ name: "dashboard" }))}>
              Go to the studio
            </a>
          </div>
        </Match>
        <Match when={preview()}>
          {(p) => (
            <form class="auth-card" onSubmit={join} data-testid="share-form">
              <h1 data-testid="share-project">Review “{p().project.name}”</h1>
              <p class="muted" data-testid="share-from">
                {p().sharedBy.name}{" "}
                shared this project with you. You can watch the canvas as the team works, open takes
                and play them; you cannot change anything.
              </p>
              <label class="field">
                <span>Your name (shown to the team)</span>
                <input name="name" maxLength={100} autocomplete="name" data-testid="share-name" />
              </label>
              <Show when={error()}>
                <p class="form-error" role="alert" data-testid="share-error">{error()}</p>
              </Show>
              <button class="primary" type="submit" disabled={busy()} data-testid="share-join">
                Open for review
              </button>
            </form>
          )}
        </Match>
      </Switch>
    </main>
  );
}
