/**
 * The stock ComfyUI nodes whose inputs the studio recognises in a user's workflow: which widget
 * inputs take a node's parameters, which load a job's input image, which save its output, and
 * which name model files (and in which of ComfyUI's `models/` folders those live; on a loader
 * it does not know, any value that names a model file, `modelInputsOf`). Detection
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
  CheckpointLoader: { config_name: "configs", ckpt_name: "checkpoints" },
  unCLIPCheckpointLoader: { ckpt_name: "checkpoints" },
  DiffControlNetLoader: { control_net_name: "controlnet" },
  TripleCLIPLoader: {
    clip_name1: "text_encoders",
    clip_name2: "text_encoders",
    clip_name3: "text_encoders",
  },
  QuadrupleCLIPLoader: {
    clip_name1: "text_encoders",
    clip_name2: "text_encoders",
    clip_name3: "text_encoders",
    clip_name4: "text_encoders",
  },
  StyleModelLoader: { style_model_name: "style_models" },
  GLIGENLoader: { gligen_name: "gligen" },
  HypernetworkLoader: { hypernetwork_name: "hypernetworks" },
  PhotoMakerLoader: { photomaker_model_name: "photomaker" },
  AudioEncoderLoader: { audio_encoder_name: "audio_encoders" },
  ModelPatchLoader: { name: "model_patches" },
  LatentUpscaleModelLoader: { model_name: "latent_upscale_models" },
  LTXVAudioVAELoader: { ckpt_name: "checkpoints" },
  LTXAVTextEncoderLoader: { text_encoder: "text_encoders", ckpt_name: "checkpoints" },
};

/**
 * A value that names a model file: the extensions ComfyUI's `folder_paths` lists
 * (`supported_pt_extensions`), and `.gguf` for the GGUF loaders most low-VRAM users have.
 */
const MODEL_FILE = /\.(safetensors|sft|ckpt|pt|pt2|pth|bin|pkl|gguf)$/i;

/**
 * Input names that say their folder on any class: custom loaders reuse the stock names
 * (`UnetLoaderGGUF.unet_name`, a custom `ckpt_name`), so the name is a better guide than none.
 */
const INPUT_FOLDERS: Readonly<Record<string, string>> = {
  ckpt_name: "checkpoints",
  unet_name: "diffusion_models",
  clip_name: "text_encoders",
  vae_name: "vae",
  lora_name: "loras",
  control_net_name: "controlnet",
  style_model_name: "style_models",
  hypernetwork_name: "hypernetworks",
  gligen_name: "gligen",
  photomaker_model_name: "photomaker",
  audio_encoder_name: "audio_encoders",
};

/** One loader input that names a model file, and the folder it is read from. */
export interface ModelInput {
  input: string;
  folder: string;
  /** The folder is a guess (a loader the studio does not know, an input name it cannot read). */
  guessed: boolean;
}

/** `IPAdapterModelLoader`, `ipadapter_file` → `ipadapter`; a name ComfyUI could use as a folder. */
function guessFolder(classType: string, input: string): string {
  const stem = input.replace(/_?(name|file|path)$/i, "");
  const from = /^(model|ckpt|)$/i.test(stem)
    // A generic input name: the class then (`FooModelLoader` → `foo_models`).
    ? classType.replace(/Loader.*$|^Load/g, "").replace(/([a-z0-9])([A-Z])/g, "$1_$2") + "s"
    : stem;
  const folder = from.toLowerCase().replace(/[^a-z0-9_.-]+/g, "_").slice(0, 64);
  return /^[a-z0-9]/.test(folder) ? folder : "custom_models";
}

/**
 * The inputs of a workflow node that name model files: a known loader's (`MODEL_INPUTS`), or
 * on any other class every widget value that is a model file's name, its folder by the input's
 * name (`INPUT_FOLDERS`) or guessed (`guessed`: people should check it).
 */
export function modelInputsOf(classType: string, inputs: Record<string, unknown>): ModelInput[] {
  const known = MODEL_INPUTS[classType];
  if (known) {
    return Object.entries(known).map(([input, folder]) => ({ input, folder, guessed: false }));
  }
  return Object.entries(inputs)
    .filter(([, value]) => typeof value === "string" && MODEL_FILE.test(value))
    .map(([input]) => {
      const folder = INPUT_FOLDERS[input.replace(/\d+$/, "")];
      return folder
        ? { input, folder, guessed: false }
        : { input, folder: guessFolder(classType, input), guessed: true };
    });
}

/** Every folder a loader above reads: what an agent lists in its heartbeat. */
export const MODEL_FOLDERS: readonly string[] = [
  ...new Set(Object.values(MODEL_INPUTS).flatMap((inputs) => Object.values(inputs))),
].sort();
