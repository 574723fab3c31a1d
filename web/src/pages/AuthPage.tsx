/** Sign in and sign up: one form, two modes, server errors shown beside their field. */
import { createSignal, Show } from "solid-js";
import { ApiError } from "../api/client.ts";
import { navigate } from "../routes.ts";
import { api, setSession } from "../services.ts";

export default function AuthPage(props: { mode: "signin" | "signup" }) {
  const [error, setError] = createSignal<ApiError | null>(null);
  const [busy, setBusy] = createSignal(false);
  const signup = () => props.mode === "signup";

  async function submit(e: SubmitEvent) {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const email = String(form.get("email") ?? "").trim();
    const password = String(form.get("password") ?? "");
    setBusy(true);
    setError(null);
    try {
      const result = signup()
        ? await api.auth.register({ email, password, name: String(form.get("name") ?? "").trim() })
        : await api.auth.login({ email, password });
      setSession({ user: result.user });
      navigate({ name: "dashboard" }, true);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, "unknown", String(err)));
    } finally {
      setBusy(false);
    }
  }

  const issue = (field: string) => error()?.issueFor(field);
  const Field = (
    p: { name: string; label: string; type: string; autocomplete: string; min?: number },
  ) => (
    <label class="field">
      <span>{p.label}</span>
      <input
        name={p.name}
        type={p.type}
        autocomplete={p.autocomplete}
        required
        minLength={p.min}
        aria-invalid={issue(p.name) ? "true" : undefined}
        data-testid={`auth-${p.name}`}
      />
      <Show when={issue(p.name)}>
        <small class="field-error" data-testid={`auth-${p.name}-error`}>{issue(p.name)}</small>
      </Show>
    </label>
  );

  return (
    <main class="auth">
      <form class="auth-card" onSubmit={submit} data-testid="auth-form">
        <h1>Movie Director</h1>
        <p class="muted">{signup() ? "Create your studio account" : "Sign in to your studio"}</p>
        <Show when={signup()}>
          <Field name="name" label="Name" type="text" autocomplete="name" />
        </Show>
        <Field name="email" label="Email" type="email" autocomplete="email" />
        <Field
          name="password"
          label="Password"
          type="password"
          autocomplete={signup() ? "new-password" : "current-password"}
          min={signup() ? 8 : undefined}
        />
        <Show when={error() && error()!.issues.length === 0}>
          <p class="form-error" role="alert" data-testid="auth-error">{error()!.message}</p>
        </Show>
        <button class="primary" type="submit" disabled={busy()} data-testid="auth-submit">
          {signup() ? "Create account" : "Sign in"}
        </button>
        <p class="muted">
          {signup() ? "Have an account? " : "New here? "}
          <a
            href={signup() ? "/signin" : "/signup"}
            data-testid="auth-switch"
            onClick={(e) => {
              e.preventDefault();
              setError(null);
              navigate({ name: signup() ? "signin" : "signup" });
            }}
          >
            {signup() ? "Sign in" : "Create an account"}
          </a>
        </p>
      </form>
    </main>
  );
}
