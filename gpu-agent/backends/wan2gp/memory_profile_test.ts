import assert from "node:assert/strict";
import { chooseMemoryProfile } from "./memory_profile.ts";

/** MiB as machines report them: a little under the size they are sold as. */
const card = (gb: number) => gb * 1024 - 102; // RTX 4070: 12282 MiB
const ram = (gb: number) => gb * 1024 - 600;

Deno.test("the memory profile follows Wan2GP's documented minimums", () => {
  const cases: [vramGb: number, ramGb: number, profile: number][] = [
    [24, 64, 1],
    [12, 64, 2],
    [16, 128, 2],
    [24, 32, 3],
    [24, 24, 3.5],
    [12, 32, 4],
    [16, 32, 4],
    [10, 32, 4.5],
    [10, 24, 5],
    [12, 24, 5],
    [8, 16, 5],
  ];
  for (const [v, r, profile] of cases) {
    assert.equal(
      chooseMemoryProfile({ vramMiB: card(v), ramMiB: ram(r) }).profile,
      profile,
      `${v} GB VRAM, ${r} GB RAM`,
    );
  }
});

Deno.test("the summary is the job's rationale: profile, VRAM and RAM as sold", () => {
  assert.equal(
    chooseMemoryProfile({ vramMiB: 12282, ramMiB: ram(32) }).summary,
    "profile 4: 12 GB VRAM, 32 GB RAM",
  );
  assert.equal(
    chooseMemoryProfile({ vramMiB: card(10), ramMiB: ram(24) }).summary,
    "profile 5: 10 GB VRAM, 24 GB RAM",
  );
});

Deno.test("a machine below profile 5's minimum gets profile 5 and a warning; unknown VRAM says so", () => {
  const small = chooseMemoryProfile({ vramMiB: card(8), ramMiB: ram(16) });
  assert.equal(small.profile, 5);
  assert.match(small.warning!, /below Wan2GP's smallest documented machine/);
  const unknown = chooseMemoryProfile({ vramMiB: null, ramMiB: ram(64) });
  assert.equal(unknown.summary, "profile 5: VRAM unknown, 64 GB RAM");
  assert.equal(chooseMemoryProfile({ vramMiB: card(24), ramMiB: ram(64) }).warning, undefined);
});
