/**
 * A model config's fields as a form edits them, in the order a reader expects (what it is, what
 * it runs, what it needs), with the kind of input each takes. Free of zod so the studio can
 * import it; `fields_test.ts` holds it to the schema's keys (model_config.ts).
 */

/** text: a string; number; boolean: a checkbox; json: an array or object written as JSON. */
export type ConfigFieldKind = "text" | "longtext" | "number" | "boolean" | "json";

export interface ConfigField {
  key: string;
  kind: ConfigFieldKind;
  /** Must be given (the schema has no default for it). */
  required: boolean;
  /** One line on what goes there. */
  hint: string;
}

const field = (key: string, kind: ConfigFieldKind, required: boolean, hint: string) => ({
  key,
  kind,
  required,
  hint,
});

export const MODEL_CONFIG_FIELDS: readonly ConfigField[] = [
  field("id", "text", true, "lower-case letters, digits, . _ -"),
  field("title", "text", true, "the name people see"),
  field("description", "longtext", false, "where the model comes from; cite its command line"),
  field("implements", "json", true, '[{ "nodeType": "upscale", "tiers": ["standard"] }]'),
  field("image", "text", true, "name:tag or name@sha256:…"),
  field("command", "json", true, 'argv: ["python", "run.py", "--prompt={prompt}"]; no shell'),
  field("workdir", "text", false, "an absolute path in the container"),
  field("inputs", "json", false, '[{ "socket": "video", "path": "/inputs/video.mp4" }]'),
  field("volumes", "json", false, 'named volumes, read-only: [{ "volume": "w", "target": "/w" }]'),
  field("outputs", "json", true, '[{ "glob": "*.png", "kind": "image" }] under /outputs'),
  field("gpu", "boolean", true, "needs a GPU"),
  field("vramMiB", "number", true, "peak VRAM in MiB (0 without a GPU)"),
  field("memoryMiB", "number", false, "memory limit (default 16384)"),
  field("shmMiB", "number", false, "/dev/shm size (default 512)"),
  field("pidsLimit", "number", false, "process limit (default 1024)"),
  field("env", "json", false, '{ "NAME": "value" }'),
  field("tmpfs", "json", false, 'scratch folders in memory: ["/cache"]'),
  field("network", "boolean", false, "network access (never given to the studio's configs)"),
  field("user", "text", false, "uid or uid:gid, never 0"),
  field("timeoutSeconds", "number", false, "default 3600"),
  field("progress", "json", false, '{ "pattern": "(?<percent>\\\\d+)%" }'),
];
