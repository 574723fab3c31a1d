/**
 * One parameter input rendered from its schema field, with the schema's message under it. Text
 * fields are edited live (sent while typing, LiveTextField.tsx); numbers, choices and switches
 * are sent when they change.
 */
import { For, Match, Show, Switch } from "solid-js";
import { type FieldSpec, readInput } from "../forms/schema_form.ts";
import { toast } from "../stores/toasts.ts";
import LiveTextField from "./LiveTextField.tsx";

export default function ParamField(props: {
  nodeId: string;
  spec: FieldSpec;
  value: unknown;
  error: string | undefined;
  disabled: boolean;
  /** Writes the value; commits with one `coalesce` key (typing in one focus) are one undo step. */
  onCommit: (value: unknown, coalesce?: string) => void;
  /** The teammate who last changed this parameter, if any. */
  changedBy: () => string | null;
  /** What is being typed into a text field and not yet in the graph (null: nothing). */
  onDraft?: (text: string | null) => void;
}) {
  const id = () => `param-${props.nodeId}-${props.spec.key}`;
  const shown = () => {
    const v = props.value === undefined ? props.spec.default : props.value;
    return v === undefined || v === null ? "" : String(v);
  };
  const commit = (raw: string | boolean, coalesce?: string) => {
    const read = readInput(props.spec, raw);
    if ("error" in read) return toast(read.error);
    props.onCommit(read.value, coalesce);
  };
  const live = (multiline: boolean) => (
    <LiveTextField
      id={id()}
      testId={id()}
      value={shown()}
      multiline={multiline}
      maxLength={props.spec.maxLength}
      disabled={props.disabled}
      invalid={!!props.error}
      describedBy={props.error ? `${id()}-error` : undefined}
      changedBy={props.changedBy}
      send={commit}
      {...(props.onDraft ? { draft: props.onDraft } : {})}
    />
  );
  const common = () => ({
    id: id(),
    disabled: props.disabled,
    "aria-invalid": props.error ? ("true" as const) : undefined,
    "aria-describedby": props.error ? `${id()}-error` : undefined,
    "data-testid": id(),
  });
  return (
    <div class="field" classList={{ invalid: !!props.error }}>
      <label for={id()}>
        {props.spec.label}
        <Show when={props.spec.required}>
          <span class="required" aria-hidden="true">*</span>
        </Show>
      </label>
      <Switch>
        <Match when={props.spec.kind === "enum"}>
          <select {...common()} value={shown()} onChange={(e) => commit(e.currentTarget.value)}>
            <For each={props.spec.options}>{(o) => <option value={o}>{o}</option>}</For>
          </select>
        </Match>
        <Match when={props.spec.kind === "boolean"}>
          <input
            {...common()}
            type="checkbox"
            checked={props.value === true}
            onChange={(e) => commit(e.currentTarget.checked)}
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
            placeholder={props.spec.default === undefined ? "random" : undefined}
            onChange={(e) => commit(e.currentTarget.value)}
          />
        </Match>
        <Match when={props.spec.kind === "text"}>{live(false)}</Match>
      </Switch>
      <Show when={props.error}>
        <small class="field-error" id={`${id()}-error`} data-testid={`${id()}-error`}>
          {props.error}
        </small>
      </Show>
    </div>
  );
}
