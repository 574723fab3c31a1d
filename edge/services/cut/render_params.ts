/**
 * The params of a `cut.render` job (protocol/cut.ts `cutRenderParamsSchema`) for a cut at one
 * revision, with each clip's node resolved to its selected take: one job input per distinct
 * take (clips of the same take share it), a clip whose node has no take a gap (`input: null`),
 * an audio clip without a take left out (silence is what it would add). The render route queues
 * these with the inputs as the job's take inputs.
 *
 * @example
 * ```ts
 * const { params, inputs } = cutRenderParams(cut, revision, new Map([["shot1", "take-9"]]));
 * ```
 */
import {
  audioTracks,
  type Cut,
  type CutRenderParams,
  cutRenderParamsSchema,
  videoTrack,
} from "../../../protocol/cut.ts";
import { ApiError } from "../../errors.ts";

export interface RenderInput {
  /** The job input's name (`JobInputRef.socket`), as the params' clips name it. */
  socket: string;
  takeId: string;
}

export function cutRenderParams(
  cut: Cut,
  revision: number,
  selectedTakes: ReadonlyMap<string, string>,
): { params: CutRenderParams; inputs: RenderInput[] } {
  const inputs: RenderInput[] = [];
  const socketOf = new Map<string, string>();
  const input = (nodeId: string): string | null => {
    const takeId = selectedTakes.get(nodeId);
    if (takeId === undefined) return null;
    let socket = socketOf.get(takeId);
    if (!socket) {
      socket = `take${inputs.length + 1}`;
      socketOf.set(takeId, socket);
      inputs.push({ socket, takeId });
    }
    return socket;
  };
  const video = videoTrack(cut).map((c) => ({
    clipId: c.id,
    input: input(c.nodeId),
    in: c.in,
    out: c.out,
    transition: c.transition,
  }));
  const audio = audioTracks(cut).flatMap(({ clips }) =>
    clips.flatMap((c) => {
      const socket = input(c.nodeId);
      return socket === null
        ? []
        : [{ clipId: c.id, input: socket, start: c.start, in: c.in, out: c.out, gainDb: c.gainDb }];
    })
  );
  const parsed = cutRenderParamsSchema.safeParse({
    cutId: cut.id,
    cutName: cut.name,
    revision,
    format: cut.format,
    video,
    audio,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.join(".") || "(cut)";
    throw new ApiError(422, "invalid_cut", `${path}: ${issue.message}`, [
      { path, message: issue.message },
    ]);
  }
  return { params: parsed.data, inputs };
}
