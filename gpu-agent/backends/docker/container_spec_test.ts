import assert from "node:assert/strict";
import { containerSpec, LABELS } from "./container_spec.ts";
import { parseModelConfig } from "../../../protocol/docker_models/model_config.ts";

const model = parseModelConfig("m.json", {
  id: "m",
  title: "M",
  implements: [{ nodeType: "shot.generate", tiers: ["high"] }],
  image: "example/m:1",
  command: ["python", "run.py"],
  inputs: [
    { socket: "reference", path: "/inputs/ref.png" },
    { socket: "character", path: "/inputs/unused.png", required: false },
  ],
  volumes: [{ volume: "m-weights", target: "/weights" }],
  outputs: [{ glob: "*.mp4", kind: "video" }],
  gpu: true,
  vramMiB: 20000,
  memoryMiB: 1024,
  pidsLimit: 64,
  tmpfs: ["/app/cache"],
  env: { HF_HUB_OFFLINE: "1" },
});

function spec(gpu: number | null, network = false) {
  return containerSpec({
    model: { ...model, network },
    argv: ["python", "run.py", "--x"],
    inputs: new Map([["reference", "/work/j/docker/inputs/input-reference.png"]]),
    outputsDir: "/work/j/docker/outputs",
    gpu,
    user: "1000:1000",
    labels: { [LABELS.agent]: "agent-1", [LABELS.job]: "job-1" },
  });
}

Deno.test("every container is hardened, whatever the config says", () => {
  const { HostConfig: host, ...top } = spec(null);
  assert.equal(top.User, "1000:1000");
  assert.equal(top.NetworkDisabled, true);
  assert.deepEqual(top.Entrypoint, ["python"]);
  assert.deepEqual(top.Cmd, ["run.py", "--x"]);
  assert.deepEqual(top.Env, ["HOME=/tmp", "HF_HUB_OFFLINE=1"]);
  assert.deepEqual(top.Labels, {
    "io.movie-director.agent": "agent-1",
    "io.movie-director.job": "job-1",
    "io.movie-director.model": "m",
  });
  assert.equal(host.NetworkMode, "none");
  assert.equal(host.ReadonlyRootfs, true);
  assert.deepEqual(host.CapDrop, ["ALL"]);
  assert.deepEqual(host.SecurityOpt, ["no-new-privileges"]);
  assert.equal(host.Privileged, false);
  assert.equal(host.Memory, 1024 * 1024 * 1024);
  assert.equal(host.MemorySwap, host.Memory);
  assert.equal(host.PidsLimit, 64);
  assert.equal("DeviceRequests" in host, false);
  // Only the job's outputs are writable; the input it has is bound read-only, the one it
  // lacks not at all; weights read-only; scratch in tmpfs.
  assert.deepEqual(host.Mounts, [
    { Type: "tmpfs", Target: "/app/cache", TmpfsOptions: { Mode: 0o1777 } },
    {
      Type: "bind",
      Source: "/work/j/docker/inputs/input-reference.png",
      Target: "/inputs/ref.png",
      ReadOnly: true,
    },
    { Type: "bind", Source: "/work/j/docker/outputs", Target: "/outputs", ReadOnly: false },
    { Type: "tmpfs", Target: "/tmp", TmpfsOptions: { Mode: 0o1777 } },
    {
      Type: "volume",
      Source: "m-weights",
      Target: "/weights",
      ReadOnly: true,
      VolumeOptions: { NoCopy: true },
    },
  ]);
});

Deno.test("the GPU the budget gave the job is the one device requested; network only when asked", () => {
  const { HostConfig: host, NetworkDisabled } = spec(1, true);
  assert.deepEqual(host.DeviceRequests, [
    { Driver: "nvidia", DeviceIDs: ["1"], Capabilities: [["gpu"]] },
  ]);
  assert.equal(host.NetworkMode, "bridge");
  assert.equal(NetworkDisabled, false);
});
