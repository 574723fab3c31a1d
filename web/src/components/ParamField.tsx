/**
 * One parameter input rendered from its rule (protocol/param_rules.ts), with what is wrong with
 * it under it. Text fields are edited live (sent while typing, LiveTextField.tsx); numbers,
 * choices and switches are sent when they change. A value the rules refuse is never sent: it
 * stays in the field, with the rule in words, until the user fixes it.
 */
import { For, Match, Show, Switch } from "solid-js";
import type { FieldSpec } from "../forms/schema_form.ts";
import LiveTextField from "./LiveTextField.tsx";

export default function ParamField(props: {
  nodeId: string;
  spec: FieldSpec;
  value: unknown;
  /** What to say under the field: a refused value, or a missing required one once asked. */
  error: string | undefined;
  disabled: boolean;
  /** Why the chosen tier does not use this parameter; the field is then off. */
  unused?: string | undefined;
  /**
   * Reads what the user entered and writes it when valid; false when refused (`error` then
   * says why). Commits with one `coalesce` key (typing in one focus) are one undo step.
   */
  onInput: (raw: string | boolean, coalesce?: string) => boolean;
  /** The teammate who last changed this parameter, if any. */
  changedBy: () => string | null;
  /** What is being typed into a text field and not yet in the graph (null: nothing). */
  onDraft?: (text: string | null) => void;
}) {
  const id = () => `param-${props.nodeId}-${props.spec.key}`;
  const text = () => props.spec.kind === "text" || props.spec.kind === "textarea";
  // An empty text field means "the default", which its placeholder shows: the field then reads
  // the same as what it sent (nothing), so its own edit never looks like a teammate's.
  const shown = () => {
    const v = props.value ?? (text() ? undefined : props.spec.default);
    return v === undefined || v === null ? "" : String(v);
  };
  const placeholder = () => {
    if (props.spec.key === "seed") return "random";
    const fallback = props.spec.default;
    return fallback === undefined || fallback === "" ? undefined : `${fallback} (default)`;
  };
  const off = () => props.disabled || props.unused !== undefined;
  const described = () =>
    [props.error && `${id()}-error`, props.unused && `${id()}-unused`].filter(Boolean).join(" ") ||
    undefined;
  const live = (multiline: boolean) => (
    <LiveTextField
      id={id()}
      testId={id()}
      value={shown()}
      multiline={multiline}
      limit={props.spec.maxLength}
      placeholder={placeholder()}
      disabled={off()}
      invalid={!!props.error}
      describedBy={described()}
      changedBy={props.changedBy}
      send={(raw, coalesce) => props.onInput(raw, coalesce)}
      {...(props.onDraft ? { draft: props.onDraft } : {})}
    />
  );
  const common = () => ({
    id: id(),
    disabled: off(),
    "aria-invalid": props.error ? ("true" as const) : undefined,
    "aria-describedby": described(),
    "data-testid": id(),
  });
  return (
    <div class="field" classList={{ invalid: !!props.error, unused: !!props.unused }}>
      <label for={id()}>
        {props.spec.label}
        <Show when={props.spec.required}>
          <span class="required" aria-hidden="true">*</span>
        </Show>
      </label>
      <Switch>
        <Match when={props.spec.kind === "enum"}>
          <select
            {...common()}
            value={shown()}
            onChange={(e) => props.onInput(e.currentTarget.value)}
          >
            <For each={props.spec.options}>{(o) => <option value={o}>{o}</option>}</For>
          </select>
        </Match>
        <Match when={props.spec.kind === "boolean"}>
          <input
            {...common()}
            type="checkbox"
            checked={props.value === true}
            onChange={(e) => props.onInput(e.currentTarget.checked)}
          />
        </Match>
        <Match when={props.spec.kind === "textarea"}>{live(true)}</Match>
        <Match when={props.spec.kind === "integer" || props.spec.kind === "number"}>
          <input
            {...common()}
            type="number"
            min={props.spec.min}
            max={props.spec.max}
            step={props.spec.step ?? "any"}
            value={shown()}
            placeholder={placeholder()}
            onChange={(e) => props.onInput(e.currentTarget.value)}
          />
        </Match>
        <Match when={props.spec.kind === "text"}>{live(false)}</Match>
      </Switch>
      <Show when={props.unused}>
        <small class="field-note" id={`${id()}-unused`} data-testid={`${id()}-unused`}>
          {props.unused}
        </small>
      </Show>
      <Show when={props.error}>
        <small class="field-error" id={`${id()}-error`} data-testid={`${id()}-error`}>
          {props.error}
        </small>
      </Show>
    </div>
  );
}
