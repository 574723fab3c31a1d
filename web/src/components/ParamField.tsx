/** One parameter input rendered from its schema field, with the schema's message under it. */
import { For, Match, Show, Switch } from "solid-js";
import { type FieldSpec, readInput } from "../forms/schema_form.ts";
import { toast } from "../stores/toasts.ts";

export default function ParamField(props: {
  nodeId: string;
  spec: FieldSpec;
  value: unknown;
  error: string | undefined;
  disabled: boolean;
  onCommit: (value: unknown) => void;
}) {
  const id = () => `param-${props.nodeId}-${props.spec.key}`;
  const shown = () => {
    const v = props.value === undefined ? props.spec.default : props.value;
    return v === undefined || v === null ? "" : String(v);
  };
  const commit = (raw: string | boolean) => {
    const read = readInput(props.spec, raw);
    if ("error" in read) return toast(read.error);
    props.onCommit(read.value);
  };
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
        <Match when={props.spec.kind === "textarea"}>
          <textarea
            {...common()}
            rows={4}
            maxLength={props.spec.maxLength}
            value={shown()}
            onChange={(e) => commit(e.currentTarget.value)}
          />
        </Match>
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
        <Match when={props.spec.kind === "text"}>
          <input
            {...common()}
            type="text"
            maxLength={props.spec.maxLength}
            value={shown()}
            onChange={(e) => commit(e.currentTarget.value)}
          />
        </Match>
      </Switch>
      <Show when={props.error}>
        <small class="field-error" id={`${id()}-error`} data-testid={`${id()}-error`}>
          {props.error}
        </small>
      </Show>
    </div>
  );
}
