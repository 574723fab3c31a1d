/**
 * Real audio files for the fake's audio save nodes, so a take plays in the studio and ffprobe
 * reads it: one second of a 440 Hz tone, encoded by ffmpeg in the format the node writes
 * (ComfyUI's `save_audio` in comfy_extras/nodes_audio.py: FLAC, MP3 or Opus).
 */

const CODECS: Record<string, string[]> = {
  flac: ["-c:a", "flac", "-f", "flac"],
  mp3: ["-c:a", "libmp3lame", "-q:a", "0", "-f", "mp3"],
  opus: ["-c:a", "libopus", "-b:a", "64k", "-f", "opus"],
};

// Encoded once per process: the bytes never change, and ffmpeg takes ~50 ms a run.
const encoded = new Map<string, Uint8Array>();

/** One second of tone in the format of `ext` ("flac", "mp3", "opus"). */
export function toneBytes(ext: string): Uint8Array {
  const known = encoded.get(ext);
  if (known) return known;
  const codec = CODECS[ext];
  if (!codec) throw new Error(`the fake has no audio encoder for .${ext}`);
  const { success, stdout, stderr } = new Deno.Command("ffmpeg", {
    args: [
      ...["-hide_banner", "-loglevel", "error", "-f", "lavfi"],
      ...["-i", "sine=frequency=440:duration=1:sample_rate=48000", "-ac", "2", ...codec, "pipe:1"],
    ],
    stdout: "piped",
    stderr: "piped",
  }).outputSync();
  if (!success) {
    throw new Error(`ffmpeg could not encode .${ext}: ${new TextDecoder().decode(stderr)}`);
  }
  encoded.set(ext, stdout);
  return stdout;
}
