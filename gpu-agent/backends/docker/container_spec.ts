/**
 * The exact `POST /containers/create` body for one job of a model: the hardening every Docker
 * model gets whatever its config says (no network unless asked for, read-only root with a tmpfs
 * /tmp, all capabilities dropped, no-new-privileges, a non-root user, memory and process limits,
 * inputs bound read-only, only the job's own output folder writable, labels naming the agent and
 * the job), and the one GPU the agent's VRAM budget gave the job.
 *
 * @example
 * ```ts
 * const spec = containerSpec({ model, argv, inputs, outputsDir, gpu: 0, user: "1000:1000", labels });
 * await engine.create(name, spec);
 * ```
 */
import { OUTPUTS_DIR } from "../../../protocol/docker_models/command.ts";
import type { CheckedModel } from "../../../protocol/docker_models/model_config.ts";

const MIB = 1024 * 1024;

/** Labels on every container the agent makes: how leftovers of a crashed agent are found. */
export const LABELS = {
  agent: "io.movie-director.agent",
  job: "io.movie-director.job",
  model: "io.movie-director.model",
} as const;

export interface SpecRequest {
  model: CheckedModel;
  /** The rendered command (command.ts). */
  argv: string[];
  /** Host file of each input the job has, by socket. */
  inputs: ReadonlyMap<string, string>;
  /** The job's own output folder on the host (mounted read-write at /outputs). */
  outputsDir: string;
  /** The GPU the VRAM budget gave the job (nvidia-smi's index); null for CPU models. */
  gpu: number | null;
  user: string;
  labels: Record<string, string>;
}

export interface Mount {
  Type: "bind" | "volume" | "tmpfs";
  Target: string;
  Source?: string;
  ReadOnly?: boolean;
  VolumeOptions?: { NoCopy: boolean };
  TmpfsOptions?: { Mode: number };
}

export function containerSpec(request: SpecRequest) {
  const { model } = request;
  const mounts: Mount[] = [
    ...model.inputs.flatMap((input): Mount[] => {
      const source = request.inputs.get(input.socket);
      return source ? [{ Type: "bind", Source: source, Target: input.path, ReadOnly: true }] : [];
    }),
    { Type: "bind", Source: request.outputsDir, Target: OUTPUTS_DIR, ReadOnly: false } as Mount,
    ...model.volumes.map((v): Mount => ({
      Type: "volume",
      Source: v.volume,
      Target: v.target,
      ReadOnly: true,
      VolumeOptions: { NoCopy: true },
    })),
    // Scratch in memory (it counts in the memory limit), writable by any user, sticky.
    ...["/tmp", ...model.tmpfs].map((target): Mount => ({
      Type: "tmpfs",
      Target: target,
      TmpfsOptions: { Mode: 0o1777 },
    })),
  ].sort((a, b) => a.Target.localeCompare(b.Target));
  return {
    Image: model.image,
    // The command is the whole argv: the image's own entrypoint does not wrap it.
    Entrypoint: request.argv.slice(0, 1),
    Cmd: request.argv.slice(1),
    ...(model.workdir ? { WorkingDir: model.workdir } : {}),
    User: request.user,
    // HOME in the writable /tmp: many tools write caches under ~ (the root is read-only).
    Env: Object.entries({ HOME: "/tmp", ...model.env }).map(([k, v]) => `${k}=${v}`),
    Labels: { ...request.labels, [LABELS.model]: model.id },
    AttachStdin: false,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    OpenStdin: false,
    NetworkDisabled: !model.network,
    HostConfig: {
      NetworkMode: model.network ? "bridge" : "none",
      ReadonlyRootfs: true,
      CapDrop: ["ALL"],
      SecurityOpt: ["no-new-privileges"],
      Privileged: false,
      // A small init as PID 1: signals reach the model (SIGTERM on cancel), zombies are reaped.
      Init: true,
      IpcMode: "private",
      Memory: model.memoryMiB * MIB,
      MemorySwap: model.memoryMiB * MIB,
      PidsLimit: model.pidsLimit,
      ShmSize: model.shmMiB * MIB,
      Mounts: mounts,
      // Output is streamed by attach; nothing is kept on the engine's disk.
      LogConfig: { Type: "none", Config: {} },
      RestartPolicy: { Name: "no" },
      ...(request.gpu === null ? {} : {
        DeviceRequests: [{
          Driver: "nvidia",
          DeviceIDs: [String(request.gpu)],
          Capabilities: [["gpu"]],
        }],
      }),
    },
  };
}

export type ContainerSpec = ReturnType<typeof containerSpec>;
