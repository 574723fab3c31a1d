/**
 * A shot job as a Wan2GP settings file (docs/SETTINGS.md): the one way job values reach Wan2GP,
 * in both modes (`wgp.py --process <file>` and the bridge's `generate` endpoint). Values go in
 * as JSON data, never onto a command line.
 *
 * @example
 * ```ts
 * wan2gpSettings("t2v_1.3B", { prompt: "rain", width: 832, height: 480, frames: 81, fps: 16,
 *   steps: 20, cfg: 6, negativePrompt: "" }, 7);
 * // { model_type: "t2v_1.3B", prompt: "rain", resolution: "832x480", video_length: 81, … }
 * ```
 */

/** The shot parameters Wan2GP reads (protocol/nodes.ts `shot.generate`, defaults filled). */
export interface ShotParams {
  prompt: string;
  negativePrompt: string;
  width: number;
  height: number;
  frames: number;
  fps: number;
  steps: number;
  cfg: number;
}

export type Wan2gpSettings = Record<string, string | number>;

export function wan2gpSettings(
  modelType: string,
  params: ShotParams,
  seed: number,
  startImage?: string,
): Wan2gpSettings {
  return {
    model_type: modelType,
    prompt: params.prompt,
    negative_prompt: params.negativePrompt,
    resolution: `${params.width}x${params.height}`,
    video_length: params.frames,
    num_inference_steps: params.steps,
    guidance_scale: params.cfg,
    seed,
    // A string: Wan2GP also accepts "auto", "control", "source" here.
    force_fps: String(params.fps),
    // One video per task: the take.
    repeat_generation: 1,
    ...(startImage === undefined ? {} : {
      // "S": start from `image_start` (docs/SETTINGS.md, image_prompt_type flags).
      image_prompt_type: "S",
      image_start: startImage,
    }),
  };
}
