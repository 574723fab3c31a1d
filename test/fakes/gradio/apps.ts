/**
 * Apps the fake Gradio server runs in tests and the benchmark.
 * - `wan2gpBridgeApp`: the interface of gpu-agent/backends/wan2gp/wan2gp_bridge.py (read from
 *   its bridge_api.json), doing what the bridge does with Wan2GP faked: check the settings as
 *   Wan2GP would, report a step per inference step through gr.Progress, return a short MP4.
 * - `fileApp`: a generic app with a named endpoint that writes its text input to a file.
 */
import { join } from "node:path";
import type { AppSpec, ComponentSpec, ComponentType } from "./types.ts";
import { GradioError } from "./types.ts";

const BRIDGE_API = JSON.parse(
  await Deno.readTextFile(
    new URL("../../../gpu-agent/backends/wan2gp/bridge_api.json", import.meta.url),
  ),
) as {
  title: string;
  api_name: string;
  inputs: { label: string; component: ComponentType }[];
  outputs: { label: string; component: ComponentType }[];
};

const components = (list: typeof BRIDGE_API.inputs): ComponentSpec[] =>
  list.map((c) => ({ type: c.component, label: c.label }));

const KNOWN_MODEL_TYPES = ["t2v_1.3B", "ti2v_2_2", "t2v", "i2v", "t2v_2_2", "i2v_2_2", "i2v_720p"];

export interface BridgeAppOptions {
  /** Milliseconds per inference step (default 2). */
  stepMs?: number;
  /** The profile in the title, as the bridge reports its `--profile`. */
  profile?: number;
  /** Write the video once and return it for every job (the benchmark: no ffmpeg per job). */
  reuseVideo?: boolean;
}

/** A short real MP4 (ffmpeg's test pattern), written to a fresh temp file. */
export async function writeTinyMp4(frames = 8): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "md-fake-out-" });
  const path = join(dir, "wan2gp_output.mp4");
  const { success } = await new Deno.Command("ffmpeg", {
    args: [
      ...[
        "-hide_banner",
        "-loglevel",
        "error",
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=160x96:rate=16",
      ],
      ...[
        "-frames:v",
        String(frames),
        "-pix_fmt",
        "yuv420p",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        path,
      ],
    ],
  }).output();
  if (!success) throw new Error("ffmpeg could not write the fake video");
  return path;
}

export function wan2gpBridgeApp(options: BridgeAppOptions = {}): AppSpec {
  let video: Promise<string> | null = null;
  const output = () => options.reuseVideo ? video ??= writeTinyMp4() : writeTinyMp4();
  return {
    title: `${BRIDGE_API.title} · profile ${options.profile ?? 4} · sdpa`,
    showError: true,
    endpoints: [{
      apiName: BRIDGE_API.api_name,
      inputs: components(BRIDGE_API.inputs),
      outputs: components(BRIDGE_API.outputs),
      fn: async ([settingsText, startImage], { progress, signal }) => {
        let settings: Record<string, unknown>;
        try {
          settings = JSON.parse(String(settingsText));
        } catch {
          throw new GradioError("settings is not JSON");
        }
        if (!KNOWN_MODEL_TYPES.includes(String(settings.model_type))) {
          throw new GradioError(`Unknown model type '${settings.model_type}'`);
        }
        if (!String(settings.prompt ?? "").trim()) throw new GradioError("Prompt cannot be empty.");
        if (settings.image_start !== undefined && startImage === null) {
          throw new GradioError("Selected start image file is missing");
        }
        const total = Math.max(1, Math.min(Number(settings.num_inference_steps) || 20, 60));
        for (let step = 1; step <= total; step++) {
          await new Promise((r) => setTimeout(r, options.stepMs ?? 2));
          if (signal.aborted) return [null];
          progress([step, total], "Denoising");
        }
        return [await output()];
      },
    }],
  };
}

export interface FileAppOptions {
  steps?: number;
  stepMs?: number;
  inputs?: ComponentSpec[];
  maxSize?: number | null;
}

/** `generate(text, …)`: steps of progress, then a .txt file holding the inputs as JSON. */
export function fileApp(options: FileAppOptions = {}): AppSpec {
  return {
    title: "file app",
    showError: true,
    maxSize: options.maxSize ?? null,
    endpoints: [{
      apiName: "generate",
      inputs: options.inputs ?? [{ type: "textbox", label: "Text" }],
      outputs: [{ type: "file", label: "Result" }],
      fn: async (inputs, { progress, signal }) => {
        const steps = options.steps ?? 3;
        for (let step = 1; step <= steps; step++) {
          await new Promise((r) => setTimeout(r, options.stepMs ?? 5));
          if (signal.aborted) return [null];
          progress([step, steps], "Working");
        }
        const dir = await Deno.makeTempDir({ prefix: "md-fake-out-" });
        const path = join(dir, "result.txt");
        await Deno.writeTextFile(path, JSON.stringify(inputs));
        return [path];
      },
    }],
  };
}

/** A text-to-speech app: `predict(text, language, seed)` → a WAV of a tone as long as the text. */
export function ttsApp(): AppSpec {
  return {
    title: "fake TTS",
    endpoints: [{
      apiName: "predict",
      inputs: [
        { type: "textbox", label: "Text" },
        { type: "textbox", label: "Language", value: "en" },
        { type: "number", label: "Seed", value: 0 },
      ],
      outputs: [{ type: "audio", label: "Speech" }],
      fn: async ([text], { progress }) => {
        progress(0.5, "Speaking");
        const dir = await Deno.makeTempDir({ prefix: "md-fake-tts-" });
        const path = join(dir, "speech.wav");
        const seconds = Math.max(0.2, Math.min(String(text).length / 20, 3));
        const { success } = await new Deno.Command("ffmpeg", {
          args: [
            ...["-hide_banner", "-loglevel", "error", "-f", "lavfi"],
            ...["-i", `sine=frequency=220:duration=${seconds}`, path],
          ],
        }).output();
        if (!success) throw new Error("ffmpeg could not write the fake speech");
        return [path];
      },
    }],
  };
}
