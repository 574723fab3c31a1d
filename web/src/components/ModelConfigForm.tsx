/**
 * A Docker model config, field by field (protocol/docker_models/fields.ts): text, numbers, a box
 * for yes/no, JSON for lists and objects; or a whole config pasted as JSON. Saving sends the
 * config (a new asset, or its next version from the one shown); the edge checks it as agents do
 * and its 422 issues (`config.command.3: unknown placeholder {colour}…`) show under the field they
 * name. Reviewers read the fields without controls.
 */
import { createSignal, For, Show } from "solid-js";
import { MODEL_CONFIG_FIELDS } from "../../../protocol/docker_models/fields.ts";
import { ApiError } from "../api/client.ts";
import type { Asset } from "../api/types.ts";
import {
  configOf,
  type ConfigTexts,
  fieldOfIssue,
  textsFromJson,
  textsOf,
} from "../format/model_config_form.ts";
import { api } from "../services.ts";

/** Rows enough for the text in the narrow panel (about 28 characters a line), at most 8. */
const rowsFor = (text: string) =>
  Math.min(
    8,
    text.split("\n").reduce((n, line) => n + Math.max(1, Math.ceil(line.length / 28)), 0),
  );

export default function ModelConfigForm(props: {
  projectId: string;
  /** The asset edited; null: a new config starting from `start`. */
  asset: Asset | null;
  start: Record<string, unknown>;
  readOnly: boolean;
  onSaved: (asset: Asset) => void;
}) {
  const [texts, setTexts] = createSignal<ConfigTexts>(textsOf(props.start));
  /** Problems by field key ("" for those naming no field). */
  const [problems, setProblems] = createSignal<Record<string, string>>({});
  const [pasteProblem, setPasteProblem] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const set = (key: string, text: string) => {
    setTexts({ ...texts(), [key]: text });
    const { [key]: _gone, ...rest } = problems();
    setProblems(rest);
  };

  async function save(e: SubmitEvent) {
    e.preventDefault();
    const read = configOf(texts());
    setProblems(read.problems);
    if (Object.keys(read.problems).length > 0) return;
    setBusy(true);
    try {
      const asset = props.asset
        ? await api.assets.updateModelConfig(props.projectId, props.asset.id, {
          config: read.config,
          baseVersion: props.asset.version,
        })
        : await api.assets.createModelConfig(props.projectId, { config: read.config });
      props.onSaved(asset);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const placed: Record<string, string> = {};
      for (const issue of error.issues) {
        const key = fieldOfIssue(issue.path) ?? "";
        placed[key] = placed[key] ? `${placed[key]}; ${issue.message}` : issue.message;
      }
      if (error.issues.length === 0) placed[""] = error.describe();
      setProblems(placed);
    } finally {
      setBusy(false);
    }
  }

  function paste(text: string) {
    const read = textsFromJson(text);
    if ("problem" in read) return setPasteProblem(read.problem);
    setPasteProblem(null);
    setTexts(read.texts);
    setProblems({});
  }

  return (
    <form class="stack-form model-config-form" onSubmit={save} data-testid="model-config-form">
      <Show when={!props.readOnly}>
        <details class="small">
          <summary>Paste a whole config (JSON)</summary>
          <textarea
            rows={4}
            aria-label="A model config as JSON"
            placeholder='{ "id": "…", "title": "…", … } (gpu-agent/models/ has examples)'
            onChange={(e) => paste(e.currentTarget.value)}
            data-testid="model-config-paste"
          />
          <Show when={pasteProblem()}>
            <small class="field-error" role="alert">{pasteProblem()}</small>
          </Show>
        </details>
      </Show>
      <For each={MODEL_CONFIG_FIELDS}>
        {(f) => {
          const id = `model-config-${props.asset?.id ?? "new"}-${f.key}`;
          const problem = () => problems()[f.key];
          const common = {
            id,
            disabled: props.readOnly,
            // A getter: the spread reads it again when the field's problem changes.
            get "aria-invalid"() {
              return problem() ? "true" as const : undefined;
            },
            "data-testid": `model-config-${f.key}`,
          } as const;
          return (
            <div class="field" classList={{ "field-check": f.kind === "boolean" }}>
              <label for={id}>
                {f.key}
                <Show when={f.required}>
                  <span class="required" aria-hidden="true">*</span>
                </Show>
              </label>
              {f.kind === "boolean"
                ? (
                  <input
                    {...common}
                    type="checkbox"
                    checked={texts()[f.key] === "true"}
                    onChange={(e) => set(f.key, String(e.currentTarget.checked))}
                  />
                )
                : f.kind === "json" || f.kind === "longtext"
                ? (
                  <textarea
                    {...common}
                    class={f.kind === "json" ? "mono" : undefined}
                    rows={rowsFor(texts()[f.key] ?? "")}
                    value={texts()[f.key] ?? ""}
                    spellcheck={false}
                    onInput={(e) => set(f.key, e.currentTarget.value)}
                  />
                )
                : (
                  <input
                    {...common}
                    inputMode={f.kind === "number" ? "numeric" : undefined}
                    value={texts()[f.key] ?? ""}
                    onInput={(e) => set(f.key, e.currentTarget.value)}
                  />
                )}
              <Show
                when={problem()}
                fallback={<small class="field-note">{f.hint}</small>}
              >
                <small class="field-error" role="alert" data-testid={`model-config-error-${f.key}`}>
                  {problem()}
                </small>
              </Show>
            </div>
          );
        }}
      </For>
      <Show when={problems()[""]}>
        <p class="field-error" role="alert" data-testid="model-config-error">{problems()[""]}</p>
      </Show>
      <Show when={!props.readOnly}>
        <button
          class="primary small"
          type="submit"
          disabled={busy()}
          data-testid="model-config-save"
        >
          {busy() ? "Checking…" : props.asset ? `Save as v${props.asset.version + 1}` : "Add model"}
        </button>
      </Show>
    </form>
  );
}
