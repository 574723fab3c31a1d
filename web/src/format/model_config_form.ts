/**
 * A Docker model config as the studio's form holds it: one text per field
 * (protocol/docker_models/fields.ts), read back into the config the edge checks. What the form can
 * tell alone (a JSON field that is not JSON, a number that is not one) stays on its field and is
 * never sent; the edge's 422 issues (`config.command.3`) are placed on the field they name.
 */
import { type ConfigField, MODEL_CONFIG_FIELDS } from "../../../protocol/docker_models/fields.ts";

/** Each field's text, by key; booleans are "true" or "false". */
export type ConfigTexts = Record<string, string>;

/** What a new config starts from: the fields every config needs, for an image model. */
export const STARTER_CONFIG: Record<string, unknown> = {
  id: "my-model",
  title: "My model",
  implements: [{ nodeType: "image.generate", tiers: ["standard"] }],
  image: "example/my-model:1.0",
  command: ["python", "run.py", "--prompt={prompt}", "--out", "{outputs}"],
  outputs: [{ glob: "*.png", kind: "image" }],
  gpu: true,
  vramMiB: 8192,
};

/** JSON on one line when short, else indented: what a person would type. */
function jsonText(value: unknown): string {
  const line = JSON.stringify(value);
  return line.length <= 72 ? line : JSON.stringify(value, null, 2);
}

function textOf(f: ConfigField, value: unknown): string {
  if (value === undefined || value === null) return f.kind === "boolean" ? "false" : "";
  if (f.kind === "json") return jsonText(value);
  return typeof value === "string" ? value : String(value);
}

export function textsOf(config: Record<string, unknown>): ConfigTexts {
  return Object.fromEntries(MODEL_CONFIG_FIELDS.map((f) => [f.key, textOf(f, config[f.key])]));
}

/**
 * The config the texts describe, and the fields that cannot be read (by key). An empty optional
 * field is left out (the default applies); an empty required one is sent for the edge to name.
 */
export function configOf(texts: ConfigTexts): {
  config: Record<string, unknown>;
  problems: Record<string, string>;
} {
  const config: Record<string, unknown> = {};
  const problems: Record<string, string> = {};
  for (const f of MODEL_CONFIG_FIELDS) {
    const text = texts[f.key] ?? "";
    if (f.kind === "boolean") {
      // An unticked optional box is the default (false): left out, as it was uploaded.
      if (text === "true" || f.required) config[f.key] = text === "true";
      continue;
    }
    if (text.trim() === "") continue;
    if (f.kind === "number") {
      const n = Number(text.trim());
      if (Number.isFinite(n)) config[f.key] = n;
      else problems[f.key] = `${f.key}: a number, like ${f.hint.match(/\d+/)?.[0] ?? "1024"}`;
    } else if (f.kind === "json") {
      try {
        config[f.key] = JSON.parse(text);
      } catch (error) {
        problems[f.key] = `${f.key}: not JSON (${(error as Error).message}); e.g. ${f.hint}`;
      }
    } else {
      config[f.key] = f.kind === "longtext" ? text : text.trim();
    }
  }
  return { config, problems };
}

/** The form field an edge issue names (`config.command.3` → `command`); null: the whole config. */
export function fieldOfIssue(path: string): string | null {
  const [head, key] = path.split(".");
  if (head !== "config" || !key) return null;
  return MODEL_CONFIG_FIELDS.some((f) => f.key === key) ? key : null;
}

/** Texts from a whole config pasted as JSON, or why it cannot be read (unknown keys named). */
export function textsFromJson(text: string): { texts: ConfigTexts } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problem: `not JSON: ${(error as Error).message}` };
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    return { problem: "a model config is a JSON object ({ … })" };
  }
  const unknown = Object.keys(value).filter((k) => !MODEL_CONFIG_FIELDS.some((f) => f.key === k));
  if (unknown.length > 0) {
    return { problem: `not fields of a model config: ${unknown.join(", ")}` };
  }
  return { texts: textsOf(value as Record<string, unknown>) };
}
