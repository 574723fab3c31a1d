/**
 * Content types of the files backends hand back, by extension: what a take is stored and served
 * as (the browser plays it by this type).
 */
const TYPES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  webp: "image/webp",
  gif: "image/gif",
  mp4: "video/mp4",
  webm: "video/webm",
  mov: "video/quicktime",
  mkv: "video/x-matroska",
  wav: "audio/wav",
  flac: "audio/flac",
  mp3: "audio/mpeg",
  ogg: "audio/ogg",
  opus: "audio/ogg",
};

/** The content type for a file extension (no dot); null when unknown. */
export function contentTypeFor(ext: string): string | null {
  return TYPES[ext.toLowerCase()] ?? null;
}

/** The extension of a file name or path, lower case, without the dot ("" when none). */
export function extensionOf(name: string): string {
  const base = name.split(/[\\/]/).at(-1) ?? "";
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : "";
}
