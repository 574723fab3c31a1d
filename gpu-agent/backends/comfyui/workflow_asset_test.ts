import assert from "node:assert/strict";
import { JobFailure } from "../backend.ts";
import { bindTemplate } from "./templates.ts";
import { workflowTemplate } from "./workflow_asset.ts";

const WORKFLOW = JSON.stringify({
  "4": { class_type: "CheckpointLoaderSimple", inputs: { ckpt_name: "a.safetensors" } },
  "6": { class_type: "CLIPTextEncode", inputs: { text: "x", clip: ["4", 1] } },
  "9": { class_type: "SaveImage", inputs: { filename_prefix: "ComfyUI", images: ["6", 0] } },
});

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function served(body: string, run: (url: string) => Promise<void>) {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Response(body),
  );
  try {
    await run(`http://127.0.0.1:${server.addr.port}/wf.json`);
  } finally {
    await server.shutdown();
  }
}

const claimed = async (url: string, text = WORKFLOW) => ({
  assetId: "a1",
  version: 2,
  name: "Mine",
  url,
  sha256: await sha256Hex(text),
  bytes: new TextEncoder().encode(text).byteLength,
  binding: {
    params: { prompt: [["6", "inputs", "text"] as ["6", "inputs", "text"]] },
    inputs: {},
    outputs: ["9"],
    models: [{ folder: "checkpoints", file: "a.safetensors" }],
    vramMiB: 8000,
  },
});

Deno.test("a workflow asset becomes a template that binds the job's values", async () => {
  await served(WORKFLOW, async (url) => {
    const template = await workflowTemplate(
      await claimed(url),
      "image.generate",
      "low",
      new AbortController().signal,
    );
    assert.equal(template.name, 'workflow "Mine" v2');
    assert.deepEqual(template.footprint, { vramMiB: 8000, models: ["a.safetensors"] });
    const prompt = bindTemplate(template, { prompt: "a red door" }, {});
    assert.equal(prompt["6"]!.inputs.text, "a red door");
  });
});

Deno.test("a workflow file that differs from the studio's hash fails the job for good, naming the fix", async () => {
  const tampered = WORKFLOW.replace('"x"', '"y"');
  await served(tampered, async (url) => {
    const job = { ...(await claimed(url)), sha256: "0".repeat(64) };
    await assert.rejects(
      () => workflowTemplate(job, "image.generate", "low", new AbortController().signal),
      (error: unknown) =>
        error instanceof JobFailure && !error.retriable && /upload the workflow again/.test(
          error.message,
        ),
    );
  });
});
