/**
 * What the cut's interchange formats know of a node's selected take, and the reverse: which take
 * a media reference written by an editing tool points at. The route resolves takes from the
 * database; export and import stay pure.
 *
 * @example
 * ```ts
 * const media = new Map([["node-1", { name: "SHOT-010_v01_take03.mp4", url, relativePath }]]);
 * exportOtio(cut, media, { relative: true });
 * const lookup = mediaIndex([{ url, relativePath, nodeId: "node-1", takeId: "take-3" }]);
 * importOtio(text, { cut, lookup, newId });
 * ```
 */

/** A node's selected take, as the exports write it. */
export interface CutMedia {
  /** The production file name, e.g. `SHOT-010_v01_take03.mp4`. */
  name: string;
  /** Where the take downloads from (the route decides how long the URL lives). */
  url: string;
  /** The production-convention path, e.g. `renders/SC01/SHOT-010/v01/SHOT-010_v01_take03.mp4`. */
  relativePath: string;
  /** The take's length in the cut's frames, when known (ffprobe); OTIO's `available_range`. */
  durationFrames?: number;
  /** Whether the take has a sound stream; picture clips with sound get a mirrored audio track. */
  hasAudio?: boolean;
}

/** Node id → its selected take; a node that is missing here plays as a gap. */
export type CutMediaMap = ReadonlyMap<string, CutMedia>;

/** The take a media reference resolved to. */
export interface MediaMatch {
  nodeId: string;
  takeId?: string;
}

/** Resolves an OTIO `target_url` to a take of the project, or null for unknown media. */
export type MediaLookup = (targetUrl: string) => MediaMatch | null;

/** A take the project has, with the two ways an exported file names it. */
export interface KnownTake extends MediaMatch {
  url: string;
  relativePath: string;
}

/**
 * A lookup over the project's takes. A `target_url` matches a take when it is the take's
 * download URL (query string aside: signed URLs differ per request), its relative path, or any
 * path or `file:` URL that ends in `/` + the relative path (an editor who copied the exported
 * folder tree to a disk and relinked). File names alone never match: two scenes may both have
 * a `SHOT-010_v01_take01.mp4`.
 */
export function mediaIndex(takes: Iterable<KnownTake>): MediaLookup {
  const byKey = new Map<string, MediaMatch>();
  for (const take of takes) {
    const match: MediaMatch = take.takeId === undefined
      ? { nodeId: take.nodeId }
      : { nodeId: take.nodeId, takeId: take.takeId };
    byKey.set(_withoutQuery(take.url), match);
    byKey.set(_normalizedPath(take.relativePath), match);
  }
  return function lookup(targetUrl: string): MediaMatch | null {
    const direct = byKey.get(_withoutQuery(targetUrl));
    if (direct) return direct;
    // Try each suffix of the path that starts after a "/", longest first.
    const path = _normalizedPath(_decodedPath(targetUrl));
    for (let at = 0; at >= 0; at = path.indexOf("/", at + 1)) {
      const suffix = path.slice(at === 0 ? 0 : at + 1);
      const found = byKey.get(suffix);
      if (found) return found;
    }
    return null;
  };
}

function _withoutQuery(url: string): string {
  const cut = url.search(/[?#]/);
  return cut < 0 ? url : url.slice(0, cut);
}

/** The path of a `file:` or `http(s):` URL, percent-decoded; anything else as it is. */
function _decodedPath(targetUrl: string): string {
  const plain = _withoutQuery(targetUrl);
  if (!/^[a-z][a-z0-9+.-]*:/i.test(plain)) return plain;
  try {
    return decodeURIComponent(new URL(plain).pathname);
  } catch {
    return plain;
  }
}

/** Forward slashes (Windows paths), no leading `./` or `/`. */
function _normalizedPath(path: string): string {
  return path.replaceAll("\\", "/").replace(/^(\.\/|\/)+/, "");
}
