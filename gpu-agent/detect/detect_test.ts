import assert from "node:assert/strict";
import type { Systeminformation } from "systeminformation";
import { buildProfile, detectMachine, type ProfileInput } from "./detect.ts";
import { parseNvidiaSmi } from "./nvidia_smi.ts";
import { largestVramMiB } from "./profile.ts";

const text = (name: string) =>
  Deno.readTextFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const graphics = (name: string): Systeminformation.GraphicsData => JSON.parse(text(name));

function input(overrides: Partial<ProfileInput>): ProfileInput {
  return {
    hostname: "render-01",
    os: "linux 6.8.0 (x86_64)",
    cpus: 16,
    memoryMiB: 64_000,
    smi: { ok: false, problem: "nvidia-smi not found: no NVIDIA driver installed" },
    controllers: [],
    ...overrides,
  };
}

Deno.test("an RTX 4090 box: nvidia-smi's figures win and the integrated GPU is left out", () => {
  const { profile, problems } = buildProfile(input({
    smi: parseNvidiaSmi(text("nvidia_smi_rtx4090_24gb.txt")),
    controllers: graphics("si_linux_rtx4090.json").controllers,
  }));
  assert.deepEqual(profile.gpus, [
    {
      index: 0,
      name: "NVIDIA GeForce RTX 4090",
      vendor: "nvidia",
      vramTotalMiB: 24564,
      vramFreeMiB: 23897,
    },
  ]);
  assert.deepEqual(problems, []);
  assert.equal(largestVramMiB(profile), 24564);
});

Deno.test("a card whose driver is broken is listed with unknown VRAM and the fixes", () => {
  const { profile, problems } = buildProfile(input({
    smi: parseNvidiaSmi(text("nvidia_smi_driver_failed.txt")),
    controllers: graphics("si_linux_driver_missing.json").controllers,
  }));
  // lspci's 256 MiB is the PCI window, not the card's memory.
  assert.deepEqual(profile.gpus, [
    {
      index: 0,
      name: "GA102 [GeForce RTX 3090]",
      vendor: "nvidia",
      vramTotalMiB: null,
      vramFreeMiB: null,
    },
  ]);
  assert.equal(problems.length, 2);
  assert.match(problems[0]!, /NVIDIA driver is not loaded/);
  assert.match(
    problems[1]!,
    /VRAM of GPU 0 \(GA102 \[GeForce RTX 3090\]\) is unknown: set MD_VRAM_MIB/,
  );
  assert.equal(largestVramMiB(profile), 0);
});

Deno.test("the VRAM override sizes a GPU detection could not", () => {
  const { profile, problems } = buildProfile(input({
    smi: parseNvidiaSmi(text("nvidia_smi_driver_failed.txt")),
    controllers: graphics("si_linux_driver_missing.json").controllers,
    vramOverrideMiB: 24576,
  }));
  assert.equal(profile.gpus[0]!.vramTotalMiB, 24576);
  assert.equal(problems.length, 1);
});

Deno.test("the VRAM override on a machine with no GPU seen adds one", () => {
  const { profile } = buildProfile(input({ vramOverrideMiB: 16384 }));
  assert.equal(profile.gpus.length, 1);
  assert.equal(largestVramMiB(profile), 16384);
});

Deno.test("the VRAM override caps free memory at the new total", () => {
  const { profile } = buildProfile(input({
    smi: parseNvidiaSmi(text("nvidia_smi_rtx4090_24gb.txt")),
    vramOverrideMiB: 12288,
  }));
  assert.equal(profile.gpus[0]!.vramTotalMiB, 12288);
  assert.equal(profile.gpus[0]!.vramFreeMiB, 12288);
});

Deno.test("an AMD card is found through systeminformation, the Intel iGPU is not", () => {
  const { profile, problems } = buildProfile(input({
    controllers: graphics("si_windows_amd_7900xtx.json").controllers,
  }));
  assert.deepEqual(profile.gpus, [
    {
      index: 0,
      name: "AMD Radeon RX 7900 XTX",
      vendor: "amd",
      vramTotalMiB: 24560,
      vramFreeMiB: null,
    },
  ]);
  assert.deepEqual(problems, []);
});

Deno.test("Apple silicon is listed, with unknown VRAM until MD_VRAM_MIB says", () => {
  const { profile, problems } = buildProfile(input({
    controllers: graphics("si_macos_m2_pro.json").controllers,
  }));
  assert.equal(profile.gpus[0]!.vendor, "apple");
  assert.equal(profile.gpus[0]!.vramTotalMiB, null);
  assert.match(problems[0]!, /set MD_VRAM_MIB/);
});

Deno.test("a VM with only a virtual display adapter is a CPU-only profile with no complaints", () => {
  for (const file of ["si_linux_vm_no_gpu.json", "si_empty.json"]) {
    const { profile, problems } = buildProfile(input({ controllers: graphics(file).controllers }));
    assert.deepEqual(profile.gpus, [], file);
    assert.deepEqual(problems, [], file);
    assert.equal(largestVramMiB(profile), 0);
  }
});

Deno.test("two NVIDIA cards keep nvidia-smi's indexes, other vendors follow", () => {
  const amd = graphics("si_windows_amd_7900xtx.json").controllers;
  const { profile } = buildProfile(input({
    smi: parseNvidiaSmi(text("nvidia_smi_two_gpus.txt")),
    controllers: [...graphics("si_linux_rtx4090.json").controllers, ...amd],
  }));
  assert.deepEqual(profile.gpus.map((g) => [g.index, g.vendor, g.vramTotalMiB]), [
    [0, "nvidia", 24576],
    [1, "nvidia", 12288],
    [2, "amd", 24560],
  ]);
});

Deno.test("a failing graphics() is a problem, not a crash", () => {
  const { profile, problems } = buildProfile(input({ controllers: { error: "lspci: not found" } }));
  assert.deepEqual(profile.gpus, []);
  assert.match(problems[0]!, /could not list graphics controllers: lspci: not found/);
});

Deno.test("detectMachine() fills hostname, CPUs and memory from this machine", async () => {
  const { profile } = await detectMachine({
    nvidiaSmi: () => Promise.resolve(parseNvidiaSmi(text("nvidia_smi_rtx3060_12gb.txt"))),
    graphics: () => Promise.resolve(graphics("si_empty.json")),
  });
  assert.equal(profile.hostname, Deno.hostname());
  assert.equal(profile.cpus, navigator.hardwareConcurrency);
  assert.ok(profile.memoryMiB > 0);
  assert.equal(profile.gpus[0]!.name, "NVIDIA GeForce RTX 3060");
});

Deno.test("detectMachine() survives a graphics() that never answers", async () => {
  const { problems } = await detectMachine({
    nvidiaSmi: () => Promise.resolve({ ok: true, gpus: [] }),
    graphics: () => new Promise(() => {}),
    graphicsTimeoutMs: 50,
  });
  assert.match(problems[0]!, /no answer within 50 ms/);
});
