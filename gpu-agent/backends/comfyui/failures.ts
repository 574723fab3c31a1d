/**
 * ComfyUI's error payloads turned into `JobFailure`s whose message a person can act on: which
 * node, which input, what ComfyUI said.
 */
import { JobFailure } from "../backend.ts";
import type { ApiPrompt, PromptErrorBody } from "./client.ts";

function nodeName(prompt: ApiPrompt, id: string, classType?: string): string {
  const node = prompt[id];
  const title = node?._meta?.title;
  const cls = classType ?? node?.class_type ?? "unknown";
  return title && title !== cls ? `${cls} "${title}" (node ${id})` : `${cls} (node ${id})`;
}

/** HTTP 400 from `POST /prompt`: "ComfyUI rejected the workflow: KSampler (node 3) input steps: Value 0 smaller than min of 1". */
export function validationFailure(body: PromptErrorBody, prompt: ApiPrompt): JobFailure {
  const problems: string[] = [];
  for (const [id, entry] of Object.entries(body.node_errors ?? {})) {
    for (const error of entry.errors ?? []) {
      const input = error.extra_info?.input_name;
      const where = `${nodeName(prompt, id, entry.class_type)}${input ? ` input ${input}` : ""}`;
      const detail = error.details && error.details !== input ? ` (${error.details})` : "";
      problems.push(`${where}: ${error.message}${detail}`);
    }
  }
  const head = body.error?.message ?? "invalid prompt";
  const extra = problems.length > 0 ? problems.join("; ") : body.error?.details ?? "";
  return new JobFailure(
    `ComfyUI rejected the workflow: ${head}${extra ? `: ${extra}` : ""}`,
    false,
    "validation",
  );
}

/** An `execution_error` message: "KSampler (node 3) failed: torch.OutOfMemoryError: ...". */
export function executionFailure(data: Record<string, unknown>, prompt: ApiPrompt): JobFailure {
  const id = String(data.node_id ?? "?");
  const type = String(data.exception_type ?? "Exception");
  const message = String(data.exception_message ?? "").trim();
  const name = nodeName(
    prompt,
    id,
    typeof data.node_type === "string" ? data.node_type : undefined,
  );
  // Running out of GPU memory may pass on a freer or bigger GPU: let another attempt try.
  const retriable = /OutOfMemory/i.test(type);
  return new JobFailure(`${name} failed: ${type}: ${message}`, retriable, "runtime");
}

export function canceled(): JobFailure {
  return new JobFailure("canceled", false, "canceled");
}

export function restarted(promptId: string): JobFailure {
  return new JobFailure(
    `ComfyUI lost prompt ${promptId} (it restarted or its queue was cleared); the job can be tried again`,
    true,
    "backend_restarted",
  );
}

/** ComfyUI cannot be reached (stopped, crashed, or its socket refused us). */
export function unreachable(message: string): JobFailure {
  return new JobFailure(message, true, "backend_down");
}
