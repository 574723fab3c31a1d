/** The ffmpeg backend (CPU processing nodes: transition, composite, upscale). */
export { FfmpegBackend, type FfmpegBackendOptions } from "./ffmpeg_backend.ts";
export { installFix, probeFfmpeg } from "./probe_ffmpeg.ts";
