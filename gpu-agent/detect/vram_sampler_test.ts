import assert from "node:assert/strict";
import { FakeClock } from "../../test/fakes/fake_clock.ts";
import { parseMemoryUsed, type UsedQuery, VramSampler } from "./vram_sampler.ts";

/**
 * `nvidia-smi --query-gpu=index,memory.used --format=csv,noheader,nounits` as recorded on a
 * two-GPU machine (RTX 3090 + RTX 3060) while a job loaded a model on GPU 0, and on a laptop
 * whose GPU reports no figure.
 */
const RECORDED = [
  "0, 1203\n1, 412\n",
  "0, 9876\n1, 415\n",
  "0, 14022\n1, 415\n",
  "0, 13108\n1, 9000\n",
];
const NOT_AVAILABLE = "0, [N/A]\n";

/** Answers the recorded outputs in turn (the last one from then on); counts the calls. */
function recorded(outputs: (string | null)[]): UsedQuery & { calls: number } {
  const query = Object.assign(() => {
    const out = outputs[Math.min(query.calls, outputs.length - 1)] ?? null;
    query.calls++;
    return Promise.resolve(out);
  }, { calls: 0 });
  return query;
}

const flush = () => new Promise((r) => setTimeout(r, 0));

Deno.test("nvidia-smi memory.used lines: per GPU index, N/A left out, other output refused", () => {
  assert.deepEqual(parseMemoryUsed(RECORDED[1]!), new Map([[0, 9876], [1, 415]]));
  assert.equal(parseMemoryUsed(NOT_AVAILABLE), null);
  assert.equal(parseMemoryUsed("NVIDIA-SMI has failed because it couldn't communicate"), null);
  assert.equal(parseMemoryUsed(""), null);
});

Deno.test("the peak is the highest reading of the job's GPU while it ran, the last one included", async () => {
  const clock = new FakeClock();
  const query = recorded(RECORDED);
  const sampler = new VramSampler(query, clock, 1000);
  const watch = sampler.watch(0);
  for (let i = 0; i < 2; i++) {
    await flush();
    clock.advance(1000);
  }
  await flush();
  // Three readings of GPU 0 (1203, 9876, 14022), then the last one at stop (13108).
  assert.equal(await watch.stop(), 14022);
  assert.equal(query.calls, 4);
  // Another GPU's memory is not this job's: GPU 1 read at the start (412) and at stop (415).
  const other = new VramSampler(recorded(RECORDED), clock, 1000).watch(1);
  assert.equal(await other.stop(), 415);
});

Deno.test("without nvidia-smi nothing is reported, and it is not asked again", async () => {
  const clock = new FakeClock();
  const query = recorded([null]);
  const sampler = new VramSampler(query, clock, 1000);
  assert.equal(await sampler.watch(0).stop(), undefined);
  assert.equal(await sampler.watch(0).stop(), undefined);
  assert.equal(query.calls, 1, "one failed try for the agent's life");
  // CPU work has no GPU to sample.
  const cpu = recorded(RECORDED);
  assert.equal(await new VramSampler(cpu, clock).watch(null).stop(), undefined);
  assert.equal(cpu.calls, 0);
});
