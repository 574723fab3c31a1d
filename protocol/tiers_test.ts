import assert from "node:assert/strict";
import { footprintFor, minVramMiB, tiersAtOrBelow } from "./tiers.ts";

// What nvidia-smi reports as memory.total for cards sold as 12, 16 and 24 GB.
const REPORTED_MIB = {
  "RTX 4070": 12282,
  "RTX 3060 12GB": 12288,
  "RTX 4080": 16376,
  "RTX 4060 Ti 16GB": 16380,
  "RTX 4090": 24564,
  "RTX 3090": 24576,
};

Deno.test("every card sold as 12/16/24 GB meets its tier, and none meets the tier above", () => {
  for (const [card, mib] of Object.entries(REPORTED_MIB)) {
    const nominal = mib > 20000 ? "high" : mib > 14000 ? "standard" : "low";
    assert.ok(mib >= minVramMiB(nominal), `${card} (${mib} MiB) qualifies for ${nominal}`);
    if (nominal !== "high") {
      const above = nominal === "low" ? "standard" : "high";
      assert.ok(mib < minVramMiB(above), `${card} must not qualify for ${above}`);
    }
  }
});

Deno.test("CPU processing nodes need no VRAM; a template can override a footprint", () => {
  assert.equal(footprintFor("transition", "standard").vramMiB, 0);
  assert.equal(footprintFor("shot.generate", "high").vramMiB, minVramMiB("high"));
  assert.deepEqual(
    footprintFor("shot.generate", "low", { vramMiB: 9000, models: ["wan.safetensors"] }),
    {
      vramMiB: 9000,
      models: ["wan.safetensors"],
    },
  );
  assert.deepEqual(tiersAtOrBelow("high"), ["high", "standard", "low"]);
});
