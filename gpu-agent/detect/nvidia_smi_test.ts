import assert from "node:assert/strict";
import { parseNvidiaSmi, queryNvidiaSmi } from "./nvidia_smi.ts";

const fixture = (name: string) =>
  Deno.readTextFileSync(new URL(`./fixtures/${name}`, import.meta.url));

Deno.test("parses one card of each VRAM class (12, 16, 24 GB)", () => {
  const cases: [string, string, number, number][] = [
    ["nvidia_smi_rtx3060_12gb.txt", "NVIDIA GeForce RTX 3060", 12288, 11915],
    ["nvidia_smi_rtx4070_12gb.txt", "NVIDIA GeForce RTX 4070", 12282, 11760],
    ["nvidia_smi_rtx4060ti_16gb.txt", "NVIDIA GeForce RTX 4060 Ti", 16380, 15952],
    ["nvidia_smi_rtx4080_16gb.txt", "NVIDIA GeForce RTX 4080", 16376, 15587],
    ["nvidia_smi_rtx4090_24gb.txt", "NVIDIA GeForce RTX 4090", 24564, 23897],
    ["nvidia_smi_rtx3090_24gb_windows.txt", "NVIDIA GeForce RTX 3090", 24576, 24237],
  ];
  for (const [file, name, total, free] of cases) {
    assert.deepEqual(parseNvidiaSmi(fixture(file)), {
      ok: true,
      gpus: [{ index: 0, name, vendor: "nvidia", vramTotalMiB: total, vramFreeMiB: free }],
    }, file);
  }
});

Deno.test("parses a two-GPU machine with each card's own free memory", () => {
  const result = parseNvidiaSmi(fixture("nvidia_smi_two_gpus.txt"));
  assert.ok(result.ok);
  assert.deepEqual(result.gpus.map((g) => [g.index, g.name, g.vramTotalMiB, g.vramFreeMiB]), [
    [0, "NVIDIA GeForce RTX 3090", 24576, 1203],
    [1, "NVIDIA GeForce RTX 3060", 12288, 12036],
  ]);
});

Deno.test("a driver that cannot be reached becomes a problem naming the fix", () => {
  const result = parseNvidiaSmi(fixture("nvidia_smi_driver_failed.txt"));
  assert.equal(result.ok, false);
  assert.match(
    !result.ok ? result.problem : "",
    /NVIDIA driver is not loaded: install or reinstall/,
  );
});

Deno.test("[N/A] memory reads as unknown, not zero", () => {
  const result = parseNvidiaSmi(fixture("nvidia_smi_not_available.txt"));
  assert.ok(result.ok);
  assert.equal(result.gpus[0]!.vramTotalMiB, null);
  assert.equal(result.gpus[0]!.vramFreeMiB, null);
});

Deno.test("garbage output is reported with the line, not crashed on", () => {
  const result = parseNvidiaSmi("Failed to initialize NVML: Driver/library version mismatch");
  assert.equal(result.ok, false);
  assert.match(!result.ok ? result.problem : "", /unexpected line 1: "Failed to initialize NVML/);
});

Deno.test("a missing nvidia-smi is reported, not thrown", async () => {
  const result = await queryNvidiaSmi({ command: "/nonexistent/nvidia-smi" });
  assert.equal(result.ok, false);
  assert.match(!result.ok ? result.problem : "", /nvidia-smi not found/);
});

/** Writes an executable fake nvidia-smi that prints a fixture (and can exit non-zero or hang). */
async function fakeSmi(body: string): Promise<{ command: string; dir: string }> {
  const dir = await Deno.makeTempDir();
  const command = `${dir}/nvidia-smi`;
  await Deno.writeTextFile(command, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return { command, dir };
}

Deno.test("runs nvidia-smi with the query argv and parses what it prints", async () => {
  const dir = await Deno.makeTempDir();
  const { command } = await fakeSmi(
    `printf '%s\\n' "$@" > ${dir}/args; cat ${
      new URL("./fixtures/nvidia_smi_two_gpus.txt", import.meta.url).pathname
    }`,
  );
  try {
    const result = await queryNvidiaSmi({ command });
    assert.ok(result.ok);
    assert.equal(result.gpus.length, 2);
    assert.deepEqual((await Deno.readTextFile(`${dir}/args`)).trim().split("\n"), [
      "--query-gpu=index,name,memory.total,memory.free",
      "--format=csv,noheader,nounits",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(command.replace(/\/nvidia-smi$/, ""), { recursive: true });
  }
});

Deno.test("nvidia-smi failing with exit code 9 gives the driver fix", async () => {
  const { command, dir } = await fakeSmi(
    `cat ${new URL("./fixtures/nvidia_smi_driver_failed.txt", import.meta.url).pathname}; exit 9`,
  );
  try {
    const result = await queryNvidiaSmi({ command });
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.problem : "", /NVIDIA driver is not loaded/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a hung nvidia-smi is killed at the timeout", async () => {
  const { command, dir } = await fakeSmi("exec sleep 30");
  try {
    const result = await queryNvidiaSmi({ command, timeoutMs: 200 });
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.problem : "", /did not answer within 200 ms/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
