/**
 * Runs one queued prompt and sends the recorded message order to its client:
 * `execution_start`, `execution_cached`, then per node `progress_state` (running), `executing`,
 * [`progress_state` + `progress` + preview frame per step], [`executed`], `progress_state`
 * (finished); and finally `execution_success`, or `execution_error` / `execution_interrupted`.
 * The caller sends the closing `status` and `executing {node: null}`.
 */
import { toneBytes } from "./audio.ts";
import { fakeMp4, takeFailure } from "./behaviour.ts";
import type { PromptQueue } from "./prompt_queue.ts";
import type { ApiPrompt, FileRef, HistoryEntry, NodeUiOutput, QueueItem } from "./types.ts";

export class Interrupted extends Error {}

class NodeFailure extends Error {
  constructor(readonly exceptionType: string, message: string) {
    super(message);
  }
}

interface NodeProgress {
  value: number;
  max: number;
  state: "running" | "finished";
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];

function isLink(value: unknown): value is [string, number] {
  return Array.isArray(value) && value.length === 2 && typeof value[0] === "string";
}

/** Output nodes and their uncached dependencies, dependencies first (depth-first). */
function executionOrder(
  prompt: ApiPrompt,
  outputs: string[],
  isCached: (id: string) => boolean,
): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (id: string, isOutput: boolean) => {
    if (seen.has(id) || !prompt[id] || (!isOutput && isCached(id))) return;
    seen.add(id);
    if (!isCached(id)) {
      for (const value of Object.values(prompt[id].inputs)) {
        if (isLink(value)) visit(value[0], false);
      }
    }
    order.push(id);
  };
  for (const id of outputs) visit(id, true);
  return order;
}

/** A node's cache key: its class and inputs, with links replaced by the upstream keys. */
function signatures(prompt: ApiPrompt): Map<string, string> {
  const out = new Map<string, string>();
  const sign = (id: string, depth: number): string => {
    const known = out.get(id);
    if (known) return known;
    const node = prompt[id];
    if (!node || depth > 1000) return `missing:${id}`;
    const inputs = Object.entries(node.inputs).sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [k, isLink(v) ? `${sign(v[0], depth + 1)}#${v[1]}` : v]);
    const signature = JSON.stringify([node.class_type, inputs]);
    out.set(id, signature);
    return signature;
  };
  for (const id of Object.keys(prompt)) sign(id, 0);
  return out;
}

const SAVE_KINDS: Record<
  string,
  {
    ext: (inputs: Record<string, unknown>) => string;
    key: string;
    animated?: boolean;
    temp?: boolean;
  }
> = {
  SaveImage: { ext: () => "png", key: "images" },
  PreviewImage: { ext: () => "png", key: "images", temp: true },
  SaveAnimatedWEBP: { ext: () => "webp", key: "images", animated: true },
  SaveWEBM: { ext: () => "webm", key: "images", animated: true },
  SaveVideo: { ext: () => "mp4", key: "images", animated: true },
  // comfy_extras/nodes_audio.py `save_audio`: `{"ui": {"audio": [{filename, subfolder, type}]}}`.
  SaveAudio: { ext: () => "flac", key: "audio" },
  SaveAudioMP3: { ext: () => "mp3", key: "audio" },
  SaveAudioOpus: { ext: () => "opus", key: "audio" },
  PreviewAudio: { ext: () => "flac", key: "audio", temp: true },
};

export async function executePrompt(
  item: QueueItem,
  sid: string | null,
  queue: PromptQueue,
  signal: AbortSignal,
): Promise<HistoryEntry> {
  const [, promptId, prompt, , outputs] = item;
  const { sockets, behaviour } = queue.context;
  const messages: HistoryEntry["status"]["messages"] = [];
  const send = (type: string, data: Record<string, unknown>, toAll = false) => {
    if (type.startsWith("execution_")) messages.push([type, data]);
    sockets.send(type, data, toAll ? undefined : sid);
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
    });

  const keys = signatures(prompt);
  const isCached = (id: string) => queue.cache.has(keys.get(id)!);
  const cachedNodes = Object.keys(prompt).filter(isCached);
  const uiOutputs: Record<string, NodeUiOutput> = {};
  const progress: Record<string, NodeProgress> = {};
  const executed: string[] = [];
  const sendProgressState = () => {
    const nodes = Object.fromEntries(
      Object.entries(progress).map(([id, p]) => [id, {
        ...p,
        node_id: id,
        prompt_id: promptId,
        display_node_id: id,
        parent_node_id: null,
        real_node_id: id,
      }]),
    );
    send("progress_state", { prompt_id: promptId, nodes });
  };
  const sendExecuted = (id: string, output: NodeUiOutput) => {
    uiOutputs[id] = output;
    send("executed", { node: id, display_node: id, output, prompt_id: promptId });
  };

  await sleep(0);
  send("execution_start", { prompt_id: promptId, timestamp: Date.now() });
  send("execution_cached", { nodes: cachedNodes, prompt_id: promptId, timestamp: Date.now() });

  let current = "";
  try {
    for (const id of executionOrder(prompt, outputs, isCached)) {
      current = id;
      const node = prompt[id]!;
      if (isCached(id)) {
        const cached = queue.cache.get(keys.get(id)!);
        if (cached) sendExecuted(id, cached);
        progress[id] = { value: 1, max: 1, state: "finished" };
        sendProgressState();
        continue;
      }
      progress[id] = { value: 0, max: 1, state: "running" };
      sendProgressState();
      queue.lastNodeId = id;
      send("executing", { node: id, display_node: id, prompt_id: promptId });
      if (queue.interruptRequested) throw new Interrupted();
      const failure = takeFailure(behaviour, id, node.class_type, undefined);
      if (failure) throw new NodeFailure(failure.exceptionType, failure.exceptionMessage);
      const steps = stepsOf(node.class_type, node.inputs);
      if (steps > 0) {
        const stepMs = node.class_type === "ProbeProgress"
          ? Number(node.inputs.delay) * 1000
          : behaviour.stepMs;
        const failAt = node.class_type === "ProbeProgress" ? Number(node.inputs.fail_at_step) : 0;
        for (let step = 1; step <= steps; step++) {
          await sleep(stepMs);
          if (queue.interruptRequested) throw new Interrupted();
          if (step === failAt) {
            throw new NodeFailure(
              "RuntimeError",
              `ProbeProgress failed on purpose at step ${step}/${steps}\n`,
            );
          }
          const stepFailure = takeFailure(behaviour, id, node.class_type, step);
          if (stepFailure) {
            throw new NodeFailure(stepFailure.exceptionType, stepFailure.exceptionMessage);
          }
          progress[id] = { value: step, max: steps, state: "running" };
          sendProgressState();
          const progressMessage = { value: step, max: steps, prompt_id: promptId, node: id };
          const preview = () => {
            if (!behaviour.previews || !sid) return;
            sockets.sendPreview(sid, queue.context.previewJpeg, {
              node_id: id,
              prompt_id: promptId,
              display_node_id: id,
              parent_node_id: null,
              real_node_id: id,
              image_type: "image/jpeg",
            });
          };
          // Recorded: type-4 frames come before `progress`, type-1 frames after it.
          if (sid && sockets.wantsMetadata(sid)) {
            preview();
            send("progress", progressMessage);
          } else {
            send("progress", progressMessage);
            preview();
          }
          await behaviour.hold?.({ promptId, nodeId: id, classType: node.class_type, step });
        }
      } else {
        await sleep(behaviour.nodeMs);
        await behaviour.hold?.({ promptId, nodeId: id, classType: node.class_type });
        checkRealFailures(node.class_type, node.inputs, queue);
      }
      const ui = saveOutputs(id, node.class_type, node.inputs, queue);
      if (ui) sendExecuted(id, ui);
      queue.cache.set(keys.get(id)!, ui);
      executed.push(id);
      const done = progress[id]!;
      progress[id] = { value: done.max === 1 ? 1 : done.value, max: done.max, state: "finished" };
      sendProgressState();
    }
    send("execution_success", { prompt_id: promptId, timestamp: Date.now() });
    return historyEntry(item, "success", messages, uiOutputs);
  } catch (error) {
    if (signal.aborted) throw error;
    const node = prompt[current]!;
    const base = {
      prompt_id: promptId,
      node_id: current,
      node_type: node.class_type,
      executed: [...executed].reverse(),
    };
    if (error instanceof Interrupted) {
      send("execution_interrupted", { ...base, timestamp: Date.now() }, true);
    } else {
      const failure = error instanceof NodeFailure
        ? error
        : new NodeFailure("Exception", String(error));
      send("execution_error", {
        ...base,
        exception_message: failure.message,
        exception_type: failure.exceptionType,
        traceback: ["<traceback frame 1 of 1>"],
        current_inputs: currentInputs(
          node.inputs,
          queue.context.objectInfo()[node.class_type]?.input.hidden,
          prompt,
        ),
        current_outputs: [...executed, current],
        timestamp: Date.now(),
      });
    }
    return historyEntry(item, "error", messages, uiOutputs);
  }
}

/** Nodes that report step progress: samplers (a `steps` input) and the recorded probe node. */
function stepsOf(classType: string, inputs: Record<string, unknown>): number {
  const steps = Number(inputs.steps);
  if (!Number.isInteger(steps) || steps <= 0) return 0;
  return classType === "ProbeProgress" || classType.includes("Sampler") ? steps : 0;
}

/** The two runtime errors recorded from real nodes, reproduced for the same inputs. */
function checkRealFailures(
  classType: string,
  inputs: Record<string, unknown>,
  queue: PromptQueue,
): void {
  if (classType === "LoadImage") {
    const bytes = queue.context.files.get({
      filename: String(inputs.image),
      subfolder: "",
      type: "input",
    });
    const magic = (sig: number[]) => sig.every((b, i) => bytes?.[i] === b);
    if (!magic(PNG_SIGNATURE) && !magic(JPEG_SIGNATURE)) {
      throw new NodeFailure(
        "PIL.UnidentifiedImageError",
        `cannot identify image file '/srv/ComfyUI/input/${inputs.image}'\n`,
      );
    }
  }
  if (SAVE_KINDS[classType] && String(inputs.filename_prefix ?? "").includes("..")) {
    throw new NodeFailure(
      "Exception",
      "**** ERROR: Saving image outside the output folder is not allowed.\n full_output_folder: /srv/ComfyUI\n         output_dir: /srv/ComfyUI/output\n         commonpath: /srv/ComfyUI\n",
    );
  }
}

function saveOutputs(
  id: string,
  classType: string,
  inputs: Record<string, unknown>,
  queue: PromptQueue,
): NodeUiOutput | null {
  const kind = SAVE_KINDS[classType];
  if (!kind) return null;
  const { files, behaviour } = queue.context;
  const ext = kind.ext(inputs);
  const prefix = kind.temp
    ? `ComfyUI_temp_${files.tempSuffix}`
    : String(inputs.filename_prefix ?? "ComfyUI");
  const ref: FileRef = files.nextOutput(prefix, ext, kind.temp ? "temp" : "output");
  const bytes = behaviour.outputBytes?.({ classType, nodeId: id, filename: ref.filename, ext }) ??
    (ext === "png"
      ? queue.context.defaultPng
      : kind.key === "audio"
      ? toneBytes(ext)
      : fakeMp4(64 * 1024));
  files.put(ref, bytes);
  return kind.animated ? { [kind.key]: [ref], animated: [true] } : { [kind.key]: [ref] };
}

/** What the failing node was called with: its inputs, plus the hidden PROMPT and EXTRA_PNGINFO. */
function currentInputs(
  inputs: Record<string, unknown>,
  hidden: Record<string, unknown> | undefined,
  prompt: ApiPrompt,
): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = Object.fromEntries(
    Object.entries(inputs).map(([k, v]) => [k, [isLink(v) ? "tensor(...)" : v]]),
  );
  for (const [name, kind] of Object.entries(hidden ?? {})) {
    const type = Array.isArray(kind) ? kind[0] : kind;
    if (type === "PROMPT") out[name] = [JSON.stringify(prompt)];
    if (type === "EXTRA_PNGINFO") out[name] = [null];
  }
  return out;
}

function historyEntry(
  item: QueueItem,
  status: "success" | "error",
  messages: HistoryEntry["status"]["messages"],
  outputs: Record<string, NodeUiOutput>,
): HistoryEntry {
  const meta = status === "success"
    ? Object.fromEntries(
      Object.keys(outputs).map((
        id,
      ) => [id, { node_id: id, display_node: id, parent_node: null, real_node_id: id }]),
    )
    : {};
  return {
    prompt: item,
    outputs: status === "success" ? outputs : {},
    status: { status_str: status, completed: status === "success", messages },
    meta,
  };
}
