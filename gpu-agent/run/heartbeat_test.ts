import assert from "node:assert/strict";
import type { AgentProfile, HeartbeatResponse } from "../../protocol/jobs.ts";
import { MemoryLogger } from "../log/memory_logger.ts";
import { FakeClock } from "../../test/fakes/fake_clock.ts";
import type { EdgeClient } from "./edge_client.ts";
import { EdgeCalls } from "./edge_calls.ts";
import { Heartbeat } from "./heartbeat.ts";

Deno.test("beatNow() during a heartbeat in flight sends one more, with the profile as it is now", async () => {
  const sent: string[] = [];
  const answers: (() => void)[] = [];
  const client = {
    serverUrl: "http://edge.test",
    heartbeat(profile: AgentProfile) {
      sent.push(profile.hostname);
      return new Promise<HeartbeatResponse>((resolve) =>
        answers.push(() =>
          resolve({ agentId: "a", name: "a", heartbeatIntervalMs: 1000, serverTime: 0 })
        )
      );
    },
  } as unknown as EdgeClient;
  let hostname = "old profile";
  const clock = new FakeClock();
  const heartbeat = new Heartbeat({
    edge: new EdgeCalls(client, { logger: new MemoryLogger(), clock }),
    profile: () => ({ hostname, os: "linux", gpus: [], backends: [], concurrency: 1 }),
    clock,
    intervalMs: 1000,
    onRejected: () => {},
  });
  const first = heartbeat.beatNow();
  hostname = "new profile";
  const second = heartbeat.beatNow();
  const third = heartbeat.beatNow();
  assert.equal(second, third, "calls made meanwhile share the follow-up");
  assert.deepEqual(sent, ["old profile"]);
  answers.shift()!();
  await first;
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual(sent, ["old profile", "new profile"]);
  answers.shift()!();
  await second;
  await heartbeat.stop();
});

Deno.test("drain(): this beat and every later one say the agent drains; the last says it leaves", async () => {
  const sent: { draining: boolean; leaving: boolean }[] = [];
  const client = {
    serverUrl: "http://edge.test",
    heartbeat(_profile: AgentProfile, _signal: AbortSignal, state = {}) {
      const { draining = false, leaving = false } = state as Record<string, boolean>;
      sent.push({ draining, leaving });
      return Promise.resolve({ agentId: "a", name: "a", heartbeatIntervalMs: 1000, serverTime: 0 });
    },
  } as unknown as EdgeClient;
  const clock = new FakeClock();
  const heartbeat = new Heartbeat({
    edge: new EdgeCalls(client, { logger: new MemoryLogger(), clock }),
    profile: () => ({ hostname: "h", os: "linux", gpus: [], backends: [], concurrency: 1 }),
    clock,
    intervalMs: 1000,
    onRejected: () => {},
  });
  await heartbeat.beatNow();
  await heartbeat.drain();
  await heartbeat.beatNow();
  await heartbeat.leave();
  assert.deepEqual(sent, [
    { draining: false, leaving: false },
    { draining: true, leaving: false },
    { draining: true, leaving: false },
    { draining: false, leaving: true },
  ]);
});
