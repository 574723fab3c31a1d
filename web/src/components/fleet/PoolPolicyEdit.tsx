/**
 * Change a pool's policy (and a studio pool's name), for its managers: the form opens with the
 * values it has; the edge checks min ≤ max against the pool as it will be, and its message shows
 * under the field it names.
 */
import { createSignal, Show } from "solid-js";
import { ApiError } from "../../api/client.ts";
import type { Pool } from "../../api/types.ts";
import { api } from "../../services.ts";
import PolicyFields, { Field, POLICY_FIELDS, policyOfForm } from "./PolicyFields.tsx";

export default function PoolPolicyEdit(props: { pool: Pool; onSaved: (pool: Pool) => void }) {
  const [open, setOpen] = createSignal(false);
  const [error, setError] = createSignal<ApiError | null>(null);
  const issue = (field: string) => error()?.issueFor(field);
  async function save(e: SubmitEvent) {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    const name = String(data.get("name") ?? "");
    setError(null);
    try {
      const pool = await api.pools.update(props.pool.id, {
        ...(props.pool.kind === "studio" ? { name } : {}),
        ...policyOfForm(data),
      });
      setOpen(false);
      props.onSaved(pool);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, "unknown", String(err)));
    }
  }
  return (
    <Show
      when={open()}
      fallback={
        <button
          type="button"
          class="small pool-edit-open"
          onClick={() => setOpen(true)}
          data-testid="pool-edit"
        >
          Change policy
        </button>
      }
    >
      <form class="pool-form" onSubmit={save} novalidate data-testid="pool-edit-form">
        <Show when={props.pool.kind === "studio"}>
          <Field label="Name" error={issue("name")}>
            <input
              name="name"
              maxLength={80}
              value={props.pool.name}
              data-testid="pool-edit-name"
            />
          </Field>
        </Show>
        <PolicyFields issue={issue} values={props.pool.policy} testPrefix="pool-edit" />
        <div class="pool-form-actions">
          <button class="primary small" type="submit" data-testid="pool-edit-save">Save</button>
          <button type="button" class="ghost small" onClick={() => setOpen(false)}>Cancel</button>
          <Show when={error() && !POLICY_FIELDS.some((f) => issue(f.key)) && !issue("name")}>
            <span class="form-error" role="alert">{error()!.describe()}</span>
          </Show>
        </div>
      </form>
    </Show>
  );
}
