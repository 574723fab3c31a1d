/**
 * Create a studio pool (studio admins): its name, the studio, and its scaling policy. Empty
 * policy fields take the edge's defaults; the edge checks the rest (min ≤ max, a positive target
 * wait) and its message shows under the field it names.
 */
import { createSignal, For, Show } from "solid-js";
import { ApiError } from "../../api/client.ts";
import type { Pool, Studio } from "../../api/types.ts";
import { api } from "../../services.ts";
import PolicyFields, { Field, POLICY_FIELDS, policyOfForm } from "./PolicyFields.tsx";

export default function PoolCreateForm(props: { studios: Studio[]; onCreated: (p: Pool) => void }) {
  const admin = () => props.studios.filter((s) => s.role === "admin");
  const [error, setError] = createSignal<ApiError | null>(null);
  const [busy, setBusy] = createSignal(false);
  const issue = (field: string) => error()?.issueFor(field);

  async function create(e: SubmitEvent) {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const text = (key: string) => String(data.get(key) ?? "");
    setError(null);
    setBusy(true);
    try {
      const pool = await api.pools.create({
        name: text("name"),
        studioId: text("studioId"),
        ...policyOfForm(data),
      });
      form.reset();
      props.onCreated(pool);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, "unknown", String(err)));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card" data-testid="pool-create">
      <h2>New pool</h2>
      <Show
        when={admin().length > 0}
        fallback={
          <p class="muted small" data-testid="pool-create-needs-studio">
            Pools beyond your own belong to a studio. Create a studio (or become an admin of one) on
            the Studios page to add pools for its machines.
          </p>
        }
      >
        <form class="pool-form" onSubmit={create} novalidate data-testid="pool-create-form">
          <Field label="Name" error={issue("name")}>
            <input name="name" maxLength={80} placeholder="Render Farm" data-testid="pool-name" />
          </Field>
          <Field label="Studio" error={issue("studioId")}>
            <select name="studioId" data-testid="pool-studio">
              <For each={admin()}>{(s) => <option value={s.id}>{s.name}</option>}</For>
            </select>
          </Field>
          <PolicyFields issue={issue} testPrefix="pool" />
          <div class="pool-form-actions">
            <button
              class="primary"
              type="submit"
              disabled={busy()}
              data-testid="pool-create-submit"
            >
              Create pool
            </button>
            <Show when={error() && !POLICY_FIELDS.some((f) => issue(f.key)) && !issue("name")}>
              <span class="form-error" role="alert" data-testid="pool-create-error">
                {error()!.describe()}
              </span>
            </Show>
          </div>
        </form>
      </Show>
    </section>
  );
}
