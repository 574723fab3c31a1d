import assert from "node:assert/strict";
import { DoesNotFit, GpuSlots, MODEL_FREE } from "./gpu_slots.ts";

const never = new AbortController().signal;
const flux = { vramMiB: 15872, modelsKey: "flux1-dev" };
const sdxl = { vramMiB: 11776, modelsKey: "sdxl" };

Deno.test("one GPU job per GPU: a second waits until the first releases", async () => {
  const slots = new GpuSlots([{ index: 0, vramTotalMiB: 24564 }]);
  const first = await slots.acquire(flux, never);
  assert.equal(first.gpu, 0);
  let secondStarted = false;
  const second = slots.acquire(flux, never).then((slot) => {
    secondStarted = true;
    return slot;
  });
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(secondStarted, false, "the GPU is busy");
  first.release();
  const slot = await second;
  assert.equal(slot.gpu, 0);
  assert.equal(slot.unloadFirst, false, "same models stay loaded");
  slot.release();
});

Deno.test("CPU work never waits for a GPU", async () => {
  const slots = new GpuSlots([{ index: 0, vramTotalMiB: 24564 }]);
  const gpuJob = await slots.acquire(flux, never);
  const cpu = await slots.acquire({ vramMiB: 0, modelsKey: "ffmpeg" }, never);
  assert.equal(cpu.gpu, null);
  assert.equal(slots.freeGpus, 0);
  gpuJob.release();
  assert.equal(slots.freeGpus, 1);
});

Deno.test("a job whose models differ from the GPU's last job asks to unload first", async () => {
  const slots = new GpuSlots([{ index: 0, vramTotalMiB: 24564 }]);
  (await slots.acquire(flux, never)).release();
  const next = await slots.acquire(sdxl, never);
  assert.equal(next.unloadFirst, true);
  next.unloaded();
  next.release();
  const again = await slots.acquire(sdxl, never);
  assert.equal(again.unloadFirst, false);
});

Deno.test("the GPU already holding the models is preferred, then the smallest that fits", async () => {
  const slots = new GpuSlots([
    { index: 0, vramTotalMiB: 24564 },
    { index: 1, vramTotalMiB: 16376 },
  ]);
  const small = await slots.acquire(sdxl, never);
  assert.equal(small.gpu, 1, "smallest that fits");
  small.release();
  const big = await slots.acquire({ vramMiB: 20000, modelsKey: "wan" }, never);
  assert.equal(big.gpu, 0);
  big.release();
  const warm = await slots.acquire({ vramMiB: 11776, modelsKey: "wan" }, never);
  assert.equal(warm.gpu, 0, "GPU 0 holds wan's models");
  assert.equal(warm.unloadFirst, false);
});

Deno.test("a job larger than every GPU is refused with the sizes; waiting aborts with the signal", async () => {
  const slots = new GpuSlots([{ index: 0, vramTotalMiB: 12282 }, { index: 1, vramTotalMiB: null }]);
  await assert.rejects(
    slots.acquire(flux, never),
    (e) =>
      e instanceof DoesNotFit &&
      /needs 15872 MiB .* largest GPU here has 12282 MiB/.test(e.message),
  );
  const held = await slots.acquire(sdxl, never);
  const controller = new AbortController();
  const waiting = slots.acquire(sdxl, controller.signal);
  controller.abort(new Error("shutting down"));
  await assert.rejects(waiting, /shutting down/);
  held.release();
});

Deno.test("a model-free job needs nothing unloaded and leaves the GPU's models for the next job", async () => {
  const slots = new GpuSlots([{ index: 0, vramTotalMiB: 24564 }]);
  const signal = new AbortController().signal;
  const first = await slots.acquire({ vramMiB: 9000, modelsKey: "sdxl" }, signal);
  first.release();
  const free = await slots.acquire({ vramMiB: 1000, modelsKey: MODEL_FREE }, signal);
  assert.equal(free.unloadFirst, false);
  free.release();
  const again = await slots.acquire({ vramMiB: 9000, modelsKey: "sdxl" }, signal);
  assert.equal(again.unloadFirst, false, "sdxl is still loaded");
  again.release();
});
