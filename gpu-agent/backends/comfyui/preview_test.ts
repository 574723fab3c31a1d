import assert from "node:assert/strict";
import { encodeLegacyPreview, encodeMetadataPreview } from "../../../test/fakes/comfyui/sockets.ts";
import { decodePreview } from "./preview.ts";

const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);

Deno.test("type-1 preview frames belong to the running prompt; type-4 frames name theirs", () => {
  const legacy = decodePreview(encodeLegacyPreview(jpeg), "p-1")!;
  assert.equal(legacy.promptId, "p-1");
  assert.equal(legacy.contentType, "image/jpeg");
  assert.deepEqual(legacy.bytes, jpeg);
  const withMeta = decodePreview(
    encodeMetadataPreview(jpeg, {
      node_id: "3",
      prompt_id: "p-2",
      display_node_id: "3",
      parent_node_id: null,
      real_node_id: "3",
      image_type: "image/jpeg",
    }),
    "p-1",
  )!;
  assert.equal(withMeta.promptId, "p-2");
  assert.deepEqual(withMeta.bytes, jpeg);
  assert.equal(decodePreview(new Uint8Array([0, 0, 0, 9, 0, 0, 0, 1]), "p"), null);
  assert.equal(decodePreview(new Uint8Array(3), "p"), null);
});
