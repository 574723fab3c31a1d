import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { BLOBS, writeFiles } from "./write_files.ts";

const IMAGE = new TextEncoder().encode("a reference image's bytes");
const SHA = createHash("sha256").update(IMAGE).digest("hex");
const KEY = "projects/p/assets/character/a1/images/0192.png";

/** An edge whose downloads are counted; each writes `IMAGE`. */
function countingEdge() {
  const fetched: string[] = [];
  return {
    fetched,
    download: async (url: string, target: string) => {
      fetched.push(url);
      await Deno.writeFile(target, IMAGE);
    },
  };
}

Deno.test("a renamed asset's images are taken from the files it had before, not downloaded again", async () => {
  const dir = await Deno.makeTempDir({ prefix: "md-write-files-" });
  try {
    const image = (name: string, version: number) => ({
      path: `assets/characters/${name}/v${version}/reference_01.png`,
      url: `https://studio.test/${name}/${version}`,
      sha256: null,
      key: KEY,
    });
    const edge = countingEdge();
    await writeFiles(edge, dir, [image("Mara", 1), image("Mara", 2)]);
    assert.equal(edge.fetched.length, 1, "one download; the other version copies it");
    assert.deepEqual(JSON.parse(await Deno.readTextFile(`${dir}/${BLOBS}`)), { [KEY]: SHA });

    // Renamed: every version's folder moves; the bytes are the repository's already.
    await writeFiles(edge, dir, [image("Captain Mara", 1), image("Captain Mara", 2)]);
    assert.equal(edge.fetched.length, 1, "nothing fetched again");
    for (const version of [1, 2]) {
      const path = `${dir}/assets/characters/Captain Mara/v${version}/reference_01.png`;
      assert.deepEqual(await Deno.readFile(path), IMAGE);
    }
    await assert.rejects(Deno.stat(`${dir}/assets/characters/Mara/v1/reference_01.png`));
    assert.deepEqual(JSON.parse(await Deno.readTextFile(`${dir}/${BLOBS}`)), { [KEY]: SHA });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
