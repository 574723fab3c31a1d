/**
 * ComfyUI's binary preview frames on `/ws` (shared/protocols/comfyui, `run_progress_*`):
 * - type 1, sent to clients that negotiated nothing: `[u32 BE 1][u32 BE format: 1 JPEG, 2 PNG][image]`;
 *   it belongs to the prompt running for this client (the last one its messages named);
 * - type 4, after `feature_flags` with `supports_preview_metadata`:
 *   `[u32 BE 4][u32 BE metadata length][metadata JSON with prompt_id, image_type][image]`.
 */

import type { PreviewFrame } from "../backend.ts";

export type { PreviewFrame };

/** The frame and the prompt it belongs to, or null for anything else (other binary events). */
export function decodePreview(
  frame: Uint8Array,
  runningPromptId: string | null,
): (PreviewFrame & { promptId: string | null }) | null {
  if (frame.byteLength < 8) return null;
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const type = view.getUint32(0);
  if (type === 1) {
    const format = view.getUint32(4);
    const contentType = format === 1 ? "image/jpeg" : format === 2 ? "image/png" : null;
    if (!contentType) return null;
    return { contentType, bytes: frame.subarray(8), promptId: runningPromptId };
  }
  if (type === 4) {
    const length = view.getUint32(4);
    if (8 + length > frame.byteLength) return null;
    let metadata: { prompt_id?: unknown; image_type?: unknown };
    try {
      metadata = JSON.parse(new TextDecoder().decode(frame.subarray(8, 8 + length)));
    } catch {
      return null;
    }
    const contentType = metadata.image_type === "image/png" ? "image/png" : "image/jpeg";
    return {
      contentType,
      bytes: frame.subarray(8 + length),
      promptId: typeof metadata.prompt_id === "string" ? metadata.prompt_id : runningPromptId,
    };
  }
  return null;
}
