/**
 * A pool's scaling policy as form fields (create and edit share them), each with the edge's
 * message under it when it names that field; and how a form's values become the request body.
 */
import { For, type JSX, Show } from "solid-js";
import type { PoolPolicy } from "../../../../protocol/fleet.ts";
import { policyBody, type PolicyForm } from "../../format/fleet.ts";

export const POLICY_FIELDS: { key: keyof PoolPolicy; label: string; placeholder: string }[] = [
  { key: "minAgents", label: "Min agents", placeholder: "0" },
  { key: "maxAgents", label: "Max agents", placeholder: "10" },
  { key: "targetWaitS", label: "Target wait (s)", placeholder: "120" },
  { key: "scaleDownIdleS", label: "Scale down after idle (s)", placeholder: "300" },
];

/** The policy fields of a submitted form, as the edge takes them (empty ones left out). */
export function policyOfForm(data: FormData): Partial<PoolPolicy> {
  const form: PolicyForm = Object.fromEntries(
    POLICY_FIELDS.map((f) => [f.key, String(data.get(f.key) ?? "")]),
  );
  return policyBody(form);
}

export function Field(props: { label: string; error: string | undefined; children: JSX.Element }) {
  return (
    <label class="field">
      <span>{props.label}</span>
      {props.children}
      <Show when={props.error}>
        <div class="field-error" role="alert">{props.error}</div>
      </Show>
    </label>
  );
}

export default function PolicyFields(
  props: { issue: (field: string) => string | undefined; values?: PoolPolicy; testPrefix: string },
) {
  return (
    <For each={POLICY_FIELDS}>
      {(f) => (
        <Field label={f.label} error={props.issue(f.key)}>
          <input
            name={f.key}
            type="number"
            min="0"
            step="1"
            placeholder={f.placeholder}
            value={props.values?.[f.key] ?? ""}
            aria-invalid={props.issue(f.key) ? "true" : undefined}
            data-testid={`${props.testPrefix}-${f.key}`}
          />
        </Field>
      )}
    </For>
  );
}
