import assert from "node:assert/strict";
import type { AgentProfile } from "../api/types.ts";
import { enrollCommands, formatVram, gpuLines, shellQuote } from "./agents.ts";

Deno.test("the enrollment command names this studio, the token and the agent", () => {
  const c = enrollCommands("http://127.0.0.1:8787", "tok_abc-123", "render-01");
  assert.equal(
    c.command,
    "deno run -A gpu-agent/main.ts enroll --server http://127.0.0.1:8787 --token tok_abc-123 --name render-01",
  );
  assert.equal(
    c.task,
    "deno task agent enroll --server http://127.0.0.1:8787 --token tok_abc-123 --name render-01",
  );
});

Deno.test("a name with spaces or quotes survives the shell; an empty name is left out", () => {
  assert.equal(shellQuote("Ana's box"), `'Ana'"'"'s box'`);
  const c = enrollCommands("https://studio.example", "t", "  ");
  assert.equal(c.command.endsWith("--token t"), true);
  assert.match(enrollCommands("https://s", "t", "big rig").command, /--name 'big rig'$/);
});

Deno.test("GPUs read as name and VRAM in GB", () => {
  const profile = (gpus: AgentProfile["gpus"]): AgentProfile => ({
    hostname: "h",
    os: "linux",
    gpus,
    backends: [],
    concurrency: 1,
  });
  assert.deepEqual(
    gpuLines(
      profile([{
        index: 0,
        name: "RTX 4090",
        vendor: "nvidia",
        vramTotalMiB: 24564,
        vramFreeMiB: 1,
      }]),
    ),
    ["RTX 4090 · 24 GB"],
  );
  assert.deepEqual(gpuLines(profile([])), ["no GPU (CPU work only)"]);
  assert.equal(formatVram(8192), "8.0 GB");
  assert.equal(formatVram(null), "VRAM unknown");
});
