/**
 * The fake ComfyUI on a thread of its own, for bench/agent/main.ts: a real ComfyUI is a process
 * of its own, so its answers must not wait behind the edge's work on the benchmark's thread.
 *
 * Posts `{ url }` once listening. Times every prompt accepted (`queued`) and every node done
 * (`hold`, first and last per prompt) in wall-clock milliseconds. The first prompt is held at
 * its first node until the message "go" (every job queued); "stop" stops the fake and posts
 * the times.
 */
/// <reference lib="deno.worker" />
import { allModels } from "../../test/agent/agent_io.ts";
import { startFakeComfyUI } from "../../test/fakes/comfyui/mod.ts";
import { epochMs } from "./epoch.ts";

export interface FakeTimes {
  queued: [promptId: string, at: number][];
  nodes: [promptId: string, { first: number; last: number }][];
}

const fake = await startFakeComfyUI({
  models: allModels(),
  behaviour: { stepMs: 0, nodeMs: 0, previews: false },
});
const queued: FakeTimes["queued"] = [];
const nodes = new Map<string, { first: number; last: number }>();
let go!: () => void;
const started = new Promise<void>((resolve) => go = resolve);
fake.behaviour.queued = (promptId) => queued.push([promptId, epochMs()]);
fake.behaviour.hold = async ({ promptId }) => {
  const now = epochMs();
  const times = nodes.get(promptId);
  if (times) times.last = now;
  else nodes.set(promptId, { first: now, last: now });
  await started;
};
self.onmessage = async (event: MessageEvent<"go" | "stop">) => {
  if (event.data === "go") go();
  if (event.data === "stop") {
    go();
    await fake.stop();
    self.postMessage({ queued, nodes: [...nodes] } satisfies FakeTimes);
    self.close();
  }
};
self.postMessage({ url: fake.url });
