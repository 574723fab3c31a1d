/**
 * The stock ComfyUI nodes whose inputs the studio recognises in a user's workflow: which widget
 * inputs take a node's parameters, which load a job's input image, which save its output, and
 * which name model files (and in which of ComfyUI's `models/` folders those live). Detection
 * (detect.ts) reads these tables; everything else in a workflow keeps its own values.
 */
import type { OutputKind } from "../nodes.ts";

/** Text inputs fed the prompt or the negative prompt (which one: by the sampler's wiring). */
export const TEXT_INPUTS: Readonly<Record<string, readonly string[]>> = {
  CLIPTextEncode: ["text"],
};

/**
 * Widget inputs that take a node parameter, by class. Samplers are matched by name as well
 * (`KSampler*`, see `paramInputsOf`), since custom sampler nodes follow the stock naming.
 */
const PARAM_INPUTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  KSampler: { seed: "seed", steps: "steps", cfg: "cfg" },
  KSamplerAdvanced: { noise_seed: "seed", steps: "steps", cfg: "cfg" },
  RandomNoise: { noise_seed: "seed" },
  CFGGuider: { cfg: "cfg" },
  BasicScheduler: { steps: "steps" },
  EmptyLatentImage: { width: "width", height: "height" },
  EmptySD3LatentImage: { width: "width", height: "height" },
  EmptyHunyuanLatentVideo: { width: "width", height: "height", length: "frames" },
  Wan22ImageToVideoLatent: { width: "width", height: "height", length: "frames" },
  WanImageToVideo: { width: "width", height: "height", length: "frames" },
  EmptyLatentAudio: { seconds: "seconds" },
  CreateVideo: { fps: "fps" },
};

const SAMPLER_INPUTS: Readonly<Record<string, string>> = {
  seed: "seed",
  noise_seed: "seed",
  steps: "steps",
  cfg: "cfg",
};

/** Input name → node parameter for a class (`KSampler*` classes share the sampler inputs). */
export function paramInputsOf(classType: string): Readonly<Record<string, string>> {
  return PARAM_INPUTS[classType] ?? (classType.startsWith("KSampler") ? SAMPLER_INPUTS : {});
}

/** Nodes that load a job's input image (uploaded to ComfyUI's input folder), and the input. */
export const IMAGE_LOADERS: Readonly<Record<string, string>> = { LoadImage: "image" };

/** Stock save nodes by the kind of file they write. */
export const SAVE_NODES: Readonly<Record<OutputKind, readonly string[]>> = {
  image: ["SaveImage", "SaveAnimatedPNG", "SaveAnimatedWEBP"],
  video: ["SaveVideo", "SaveWEBM", "SaveAnimatedWEBP", "SaveAnimatedPNG"],
  audio: ["SaveAudio", "SaveAudioMP3", "SaveAudioOpus"],
};

/** Which loader inputs name which model folder (ComfyUI's `folder_paths` names). */
export const MODEL_INPUTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  CheckpointLoaderSimple: { ckpt_name: "checkpoints" },
  ImageOnlyCheckpointLoader: { ckpt_name: "checkpoints" },
  UNETLoader: { unet_name: "diffusion_models" },
  CLIPLoader: { clip_name: "text_encoders" },
  DualCLIPLoader: { clip_name1: "text_encoders", clip_name2: "text_encoders" },
  VAELoader: { vae_name: "vae" },
  LoraLoader: { lora_name: "loras" },
  LoraLoaderModelOnly: { lora_name: "loras" },
  CLIPVisionLoader: { clip_name: "clip_vision" },
  ControlNetLoader: { control_net_name: "controlnet" },
  UpscaleModelLoader: { model_name: "upscale_models" },
};

/** Every folder a loader above reads: what an agent lists in its heartbeat. */
export const MODEL_FOLDERS: readonly string[] = [
  ...new Set(Object.values(MODEL_INPUTS).flatMap((inputs) => Object.values(inputs))),
].sort();
