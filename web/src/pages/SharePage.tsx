/** A reviewer link (`/s/<token>`): accept it as a guest, then open the project read-only. */
import { createSignal, Show } from "solid-js";
import { ApiError } from "../api/client.ts";
import { navigate } from "../routes.ts";
import { api, setSession } from "../services.ts";

export default function SharePage(props: { token: string }) {
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
      setError(
        err instanceof ApiError && err.status === 404
          ? "This review link has expired or was revoked."
          : String((err as Error).message),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="auth">
      <form class="auth-card" onSubmit={join} data-testid="share-form">
        <h1>Review a project</h1>
        <p class="muted">
          You were invited to review. You can look, follow along live and point things out; you
          cannot edit.
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
    </main>
  );
}
