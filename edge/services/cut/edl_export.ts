/**
 * The cut's picture track as a CMX 3600 edit decision list, for conforming in any editing tool.
 *
 * One event per clip, numbered from 001, in the fixed columns CMX 3600 uses (event, reel, `V`,
 * transition and its duration, source in/out, record in/out, non-drop-frame timecodes at the
 * cut's rate, record time starting at 00:00:00:00). Every take is a file rather than a tape, so
 * its reel is `AX` ("auxiliary source", as Premiere and Resolve write file-based EDLs) and the
 * file is named in a `* FROM CLIP NAME:` comment; a clip without a take is black, reel `BL`.
 *
 * A transition into a clip is the CMX two-line event: the outgoing clip's line, a cut of no
 * length at the frame where the transition starts (source in = out = the frame it has reached,
 * record in = out = the transition's first frame), then the incoming clip's line with
 * `D nnn` (a dissolve of nnn frames) or `Wnnn nnn` (a SMPTE wipe pattern), played from its
 * first frame. Over those nnn frames the outgoing clip keeps playing past the source out its
 * own event gave: exactly our overlap of its last nnn frames with the next clip's first. So a
 * clip's own event shows it up to where its outgoing transition starts: source
 * `in .. out - overlapOut`, record `recordIn .. recordOut - overlapOut`. Crossfades and
 * dissolves are `D`; left/right wipes SMPTE pattern 1 (`W001`), up/down wipes pattern 2 (`W002`),
 * direction in a comment; a fade through black has no CMX code and goes out as `D` with a comment.
 *
 * @example
 * ```ts
 * const text = exportEdl(cut, media); // "TITLE: Main\nFCM: NON-DROP FRAME\n\n001  AX …"
 * ```
 */
import {
  type Cut,
  type CutTransitionKind,
  layoutVideo,
  type PlacedClip,
  timecode,
} from "../../../protocol/cut.ts";
import type { CutMediaMap } from "./media.ts";

/** The longest title CMX 3600 readers take. */
const TITLE_LENGTH = 70;
/** The transition and duration fields (columns 21-28) of a cut. */
const CUT = "C".padEnd(8);

export function exportEdl(cut: Cut, media: CutMediaMap, title: string = cut.name): string {
  const fps = cut.format.fps;
  const tc = (frame: number) => timecode(frame, fps);
  const lines = [`TITLE: ${_oneLine(title).slice(0, TITLE_LENGTH)}`, "FCM: NON-DROP FRAME", ""];
  const placed = layoutVideo(cut).clips;
  /** Frame `f` of a clip's own length, as a source frame: its take's, or from 0 for black. */
  const source = (p: PlacedClip, f: number) => media.has(p.clip.nodeId) ? p.clip.in + f : f;
  const reel = (p: PlacedClip) => media.has(p.clip.nodeId) ? "AX" : "BL";
  const name = (p: PlacedClip) => {
    const m = media.get(p.clip.nodeId);
    return m ? _oneLine(m.name) : null;
  };
  const line = (
    event: string,
    p: PlacedClip,
    transition: string,
    sourceIn: number,
    sourceOut: number,
    recordIn: number,
    recordOut: number,
  ) =>
    `${event}  ${reel(p).padEnd(8)} V     ${transition} ${tc(sourceIn)} ${tc(sourceOut)} ${
      tc(recordIn)
    } ${tc(recordOut)}`;

  placed.forEach((p, index) => {
    const event = String(index + 1).padStart(3, "0");
    const shown = p.frames - p.overlapOut;
    const own = (transition: string) =>
      line(event, p, transition, source(p, 0), source(p, shown), p.recordIn, p.recordIn + shown);
    const previous = placed[index - 1];
    if (!previous || p.overlapIn === 0 || !previous.clip.transition) {
      lines.push(own(CUT));
      const clipName = name(p);
      if (clipName) lines.push(`* FROM CLIP NAME:  ${clipName}`);
      return;
    }
    const reached = source(previous, previous.frames - previous.overlapOut);
    lines.push(line(event, previous, CUT, reached, reached, p.recordIn, p.recordIn));
    const kind = previous.clip.transition.kind;
    lines.push(own(`${_code(kind).padEnd(4)} ${String(p.overlapIn).padStart(3, "0")}`));
    const from = name(previous);
    const to = name(p);
    if (from) lines.push(`* FROM CLIP NAME:  ${from}`);
    if (to) lines.push(`* TO CLIP NAME:  ${to}`);
    if (kind !== "dissolve" && kind !== "crossfade") lines.push(`* TRANSITION: ${kind}`);
  });
  return lines.join("\n") + "\n";
}

/** CMX 3600 transition codes: D dissolve, Wnnn a SMPTE wipe pattern. */
function _code(kind: CutTransitionKind): string {
  switch (kind) {
    case "wipeleft":
    case "wiperight":
      return "W001";
    case "wipeup":
    case "wipedown":
      return "W002";
    default:
      return "D";
  }
}

/** Names and titles are one line each: control characters would start a new EDL line. */
function _oneLine(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ").trim();
}
