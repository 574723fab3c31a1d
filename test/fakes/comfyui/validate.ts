/**
 * `POST /prompt` validation with the error shapes recorded in `validation_errors.json`: unknown
 * classes, prompts without output nodes, missing inputs, links to missing nodes, link type
 * mismatches, bad numbers, values out of range or not in a combo's list, and LoadImage files
 * that are not in the input folder.
 */
import { comboOptions } from "./object_info.ts";
import type { ApiPrompt, NodeError, NodeErrors, ObjectInfo, PromptError } from "./types.ts";

export type Validation =
  | { ok: true; outputs: string[]; nodeErrors: NodeErrors }
  | { ok: false; error: PromptError; nodeErrors: NodeErrors };

function promptError(type: string, message: string, details = ""): PromptError {
  return { type, message, details, extra_info: {} };
}

function isLink(value: unknown): value is [string, number] {
  return Array.isArray(value) && value.length === 2 && typeof value[0] === "string" &&
    typeof value[1] === "number";
}

function checkNumber(name: string, spec: unknown[], value: unknown): NodeError | null {
  const kind = spec[0] as string;
  const config = (spec[1] ?? {}) as { min?: number; max?: number };
  const asNumber = typeof value === "number" ? value : Number(value);
  const bad = typeof value === "boolean" || !Number.isFinite(asNumber) ||
    (kind === "INT" && !Number.isInteger(asNumber));
  if (bad) {
    const exception = kind === "INT"
      ? `invalid literal for int() with base 10: '${value}'`
      : `could not convert string to float: '${value}'`;
    return {
      type: "invalid_input_type",
      message: `Failed to convert an input value to a ${kind} value`,
      details: `${name}, ${value}, ${exception}`,
      extra_info: {
        input_name: name,
        input_config: spec,
        received_value: value,
        exception_message: exception,
      },
    };
  }
  const extra = { input_name: name, input_config: spec, received_value: asNumber };
  if (config.min !== undefined && asNumber < config.min) {
    return {
      type: "value_smaller_than_min",
      message: `Value ${asNumber} smaller than min of ${config.min}`,
      details: name,
      extra_info: extra,
    };
  }
  if (config.max !== undefined && asNumber > config.max) {
    return {
      type: "value_bigger_than_max",
      message: `Value ${asNumber} bigger than max of ${config.max}`,
      details: name,
      extra_info: extra,
    };
  }
  return null;
}

class Validator {
  readonly validated = new Map<string, { valid: boolean; errors: NodeError[] }>();
  constructor(
    readonly prompt: ApiPrompt,
    readonly info: ObjectInfo,
    readonly inputFileExists: (name: string) => boolean,
  ) {}

  node(id: string): boolean {
    const seen = this.validated.get(id);
    if (seen) return seen.valid;
    this.validated.set(id, { valid: true, errors: [] }); // guards against link cycles
    const node = this.prompt[id]!;
    const classInfo = this.info[node.class_type]!;
    const specs = { ...classInfo.input.optional, ...classInfo.input.required };
    const errors: NodeError[] = [];
    let valid = true;
    for (const name of Object.keys(classInfo.input.required ?? {})) {
      if (!(name in node.inputs)) {
        errors.push({
          type: "required_input_missing",
          message: "Required input is missing",
          details: name,
          extra_info: { input_name: name },
        });
      }
    }
    for (const [name, value] of Object.entries(node.inputs)) {
      const spec = specs[name];
      if (!spec) continue; // ComfyUI ignores inputs a class does not declare
      if (isLink(value)) {
        const linked = this.prompt[value[0]];
        if (!linked) {
          // ComfyUI hits a KeyError here and reports the whole node as one exception.
          errors.length = 0;
          errors.push({
            type: "exception_during_validation",
            message: "Exception when validating node",
            details: `'${value[0]}'`,
            extra_info: {
              exception_type: "KeyError",
              traceback: ["<traceback frame 1 of 2>", "<traceback frame 2 of 2>"],
            },
          });
          break;
        }
        const received = this.info[linked.class_type]?.output[value[1]];
        const wanted = spec[0];
        if (
          typeof wanted === "string" && received !== undefined && received !== wanted &&
          wanted !== "*" && received !== "*"
        ) {
          errors.push({
            type: "return_type_mismatch",
            message: "Return type mismatch between linked nodes",
            details: `${name}, received_type(${received}) mismatch input_type(${wanted})`,
            extra_info: {
              input_name: name,
              input_config: spec,
              received_type: received,
              linked_node: value,
            },
          });
          continue;
        }
        if (!this.node(value[0])) valid = false;
        continue;
      }
      const error = this.scalar(node.class_type, name, spec, value);
      if (error) errors.push(error);
    }
    valid = valid && errors.length === 0;
    this.validated.set(id, { valid, errors });
    return valid;
  }

  scalar(classType: string, name: string, spec: unknown[], value: unknown): NodeError | null {
    if (classType === "LoadImage" && name === "image") {
      // LoadImage validates its file itself, which replaces the combo check.
      if (typeof value === "string" && this.inputFileExists(value)) return null;
      return {
        type: "custom_validation_failed",
        message: "Custom validation failed for node",
        details: `${name} - Invalid image file: ${value}`,
        extra_info: { input_name: name },
      };
    }
    if (spec[0] === "INT" || spec[0] === "FLOAT") return checkNumber(name, spec, value);
    const options = comboOptions(spec);
    if (options && !options.includes(String(value))) {
      return {
        type: "value_not_in_list",
        message: "Value not in list",
        details: `${name}: '${value}' not in ${JSON.stringify(options)}`,
        extra_info: { input_name: name, input_config: spec, received_value: value },
      };
    }
    return null;
  }
}

/** Validates a `POST /prompt` body's `prompt` against the installed classes. */
export function validatePrompt(
  prompt: unknown,
  info: ObjectInfo,
  inputFileExists: (name: string) => boolean,
): Validation {
  if (prompt === undefined) {
    return {
      ok: false,
      error: promptError("no_prompt", "No prompt provided", "No prompt provided"),
      nodeErrors: {},
    };
  }
  if (!prompt || typeof prompt !== "object" || Array.isArray(prompt)) {
    return {
      ok: false,
      error: promptError("invalid_prompt", "Prompt is not a dict"),
      nodeErrors: {},
    };
  }
  const nodes = prompt as ApiPrompt;
  for (const [id, node] of Object.entries(nodes)) {
    if (!node || typeof node !== "object" || typeof node.class_type !== "string") {
      const message = "Cannot execute because a node is missing the class_type property.";
      return {
        ok: false,
        error: promptError("invalid_prompt", message, `Node ID '#${id}'`),
        nodeErrors: {},
      };
    }
    if (!node.inputs || typeof node.inputs !== "object") node.inputs = {};
    if (!info[node.class_type]) {
      const message = `Cannot execute because node ${node.class_type} does not exist.`;
      return {
        ok: false,
        error: promptError("invalid_prompt", message, `Node ID '#${id}'`),
        nodeErrors: {},
      };
    }
  }
  const outputs = Object.keys(nodes).filter((id) => info[nodes[id]!.class_type]!.output_node);
  if (outputs.length === 0) {
    return {
      ok: false,
      error: promptError("prompt_no_outputs", "Prompt has no outputs"),
      nodeErrors: {},
    };
  }
  const validator = new Validator(nodes, info, inputFileExists);
  const good: string[] = [];
  const failed: string[] = [];
  for (const id of outputs) (validator.node(id) ? good : failed).push(id);
  const nodeErrors: NodeErrors = {};
  for (const output of failed) {
    for (const [id, result] of validator.validated) {
      if (result.valid || result.errors.length === 0) continue;
      nodeErrors[id] ??= {
        errors: result.errors,
        dependent_outputs: [],
        class_type: nodes[id]!.class_type,
      };
      nodeErrors[id].dependent_outputs.push(output);
    }
  }
  if (good.length > 0) return { ok: true, outputs: good, nodeErrors };
  // Only the output nodes' own problems make it into `details`, as ComfyUI does.
  const details = failed.flatMap((id) => validator.validated.get(id)?.errors ?? [])
    .map((e) => `${e.message}: ${e.details}`).join("\n");
  return {
    ok: false,
    error: promptError(
      "prompt_outputs_failed_validation",
      "Prompt outputs failed validation",
      details,
    ),
    nodeErrors,
  };
}
