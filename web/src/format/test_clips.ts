/** Cut clips shared by the timeline arithmetic's tests. */
import type { VideoClip } from "../../../protocol/cut.ts";

/** A video clip of node `id` from frame 10 of its take, `frames` long, with a `fade` dissolve. */
export function videoClip(id: string, position: string, frames: number, fade = 0): VideoClip {
  return {
    id,
    kind: "video",
    nodeId: id,
    position,
    in: 10,
    out: 10 + frames,
    transition: fade ? { kind: "dissolve", frames: fade } : null,
  };
}
