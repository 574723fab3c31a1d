/**
 * The fake Gradio server running the Wan2GP bridge's interface, on a thread of its own, for
 * bench/backends/main.ts: a real bridge is a process of its own, so its answers must not wait
 * behind the edge's work on the benchmark's thread. Gradio's own polling (0.05 s queue and
 * stream checks, 0.1 s progress) is kept: that is how the real server answers.
 *
 * Posts `{ url }` once listening; on "stop", stops and posts the times of every event: accepted
 * (join), function started and done, and `process_completed` written to the stream.
 */
/// <reference lib="deno.worker" />
import { wan2gpBridgeApp } from "../../test/fakes/gradio/apps.ts";
import { startFakeGradio } from "../../test/fakes/gradio/mod.ts";
import { epochMs } from "../agent/epoch.ts";

export interface GradioTimes {
  joined: number[];
  fnStarted: number[];
  fnFinished: number[];
  completedSent: number[];
}

const times: GradioTimes = { joined: [], fnStarted: [], fnFinished: [], completedSent: [] };
const gradio = await startFakeGradio(wan2gpBridgeApp({ stepMs: 0, reuseVideo: true }));
gradio.hooks = {
  joined: () => times.joined.push(epochMs()),
  fnStarted: () => times.fnStarted.push(epochMs()),
  fnFinished: () => times.fnFinished.push(epochMs()),
  sent: (message) => {
    if (message.msg === "process_completed") times.completedSent.push(epochMs());
  },
};
self.onmessage = async (event: MessageEvent<"stop">) => {
  if (event.data === "stop") {
    await gradio.stop();
    self.postMessage(times);
    self.close();
  }
};
self.postMessage({ url: gradio.url });
