import assert from "node:assert/strict";
import { layoutVideo, timecode } from "../../../protocol/cut.ts";
import { exportEdl } from "./edl_export.ts";
import { goldenCut, prng, randomCut, takeMedia } from "./testing.ts";

const golden = new URL("./testdata/golden.edl", import.meta.url);

Deno.test("the golden cut's EDL is the hand-written CMX 3600 list, dissolve and wipe as two-line events", async () => {
  const { cut, media } = goldenCut();
  assert.equal(exportEdl(cut, media), await Deno.readTextFile(golden));
});

Deno.test("EDL lines keep the CMX 3600 columns: source in at column 30, transitions at 21", () => {
  const { cut, media } = goldenCut();
  const events = exportEdl(cut, media).split("\n").filter((l) => /^\d{3} /.test(l));
  for (const line of events) {
    assert.match(line.slice(20, 28), /^(C {7}|D {4}\d{3}|W\d{3} \d{3})$/, line);
    assert.match(line.slice(29), /^(\d\d:\d\d:\d\d:\d\d ){3}\d\d:\d\d:\d\d:\d\d$/, line);
    // The OpenTimelineIO CMX 3600 reader splits on whitespace: 8 fields for a cut, 9 for a
    // dissolve or wipe, and both lines of a two-line event carry its number.
    const fields = line.split(/\s+/);
    assert.equal(fields.length, fields[3] === "C" ? 8 : 9, line);
  }
});

Deno.test("every EDL event's record times tile the film, whatever the transitions", () => {
  for (let seed = 1; seed <= 40; seed++) {
    const { cut, media } = randomCut(prng(seed));
    const fps = cut.format.fps;
    const records = exportEdl(cut, media).split("\n").filter((l) => /^\d{3} /.test(l))
      .map((l) => l.slice(29).split(" ").slice(2));
    // Each event's record in is where the previous one ended (cut lines of no length included).
    let at = timecode(0, fps);
    for (const [recordIn, recordOut] of records) {
      assert.equal(recordIn, at, `seed ${seed}`);
      at = recordOut!;
    }
    assert.equal(at, timecode(layoutVideo(cut).duration, fps), `seed ${seed}`);
  }
});

Deno.test("a name or title with line breaks cannot start an EDL line of its own", () => {
  const { cut } = goldenCut();
  const media = new Map([
    ["node-a", takeMedia("SC01", "SHOT-010", 1, 1, { name: "evil\n001  AX  V  C  x\r\n* FROM" })],
  ]);
  const text = exportEdl(cut, media, "Title\nFCM: DROP FRAME");
  assert.equal(text.split("\n")[0], "TITLE: Title FCM: DROP FRAME");
  assert.equal(text.split("\n").filter((l) => l.startsWith("FCM:")).length, 1);
  assert.ok(text.includes("* FROM CLIP NAME:  evil 001  AX  V  C  x * FROM\n"));
});
