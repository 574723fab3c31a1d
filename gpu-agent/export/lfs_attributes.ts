/**
 * The export's `.gitattributes`: media (renders, reference images, audio) and model weights go
 * to Git LFS, so the repository's history stays small and text (graph, descriptions, OTIO, EDL)
 * stays diffable.
 */
export const LFS_PATTERNS = [
  // video
  "*.mp4",
  "*.mov",
  "*.webm",
  "*.mkv",
  "*.avi",
  // images
  "*.png",
  "*.jpg",
  "*.jpeg",
  "*.webp",
  "*.gif",
  "*.exr",
  "*.tif",
  "*.tiff",
  // audio
  "*.wav",
  "*.mp3",
  "*.flac",
  "*.ogg",
  "*.m4a",
  // weights
  "*.safetensors",
  "*.ckpt",
  "*.pt",
  "*.pth",
  "*.bin",
  "*.gguf",
  "*.onnx",
] as const;

export const GITATTRIBUTES = [
  "# Written by the Movie Director export: media and weights are stored with Git LFS.",
  ...LFS_PATTERNS.map((p) => `${p} filter=lfs diff=lfs merge=lfs -text`),
].join("\n") + "\n";
