/**
 * Sound on ComfyUI: the agent's Stable Audio Open templates run on the fake ComfyUI (both
 * recorded versions), whose save nodes report files under `"audio"` as ComfyUI's `save_audio`
 * does, and the agent hands back a real audio file with its content type.
 */
import assert from "node:assert/strict";
import {
  ComfyUIBackend,
  loadTemplates,
  promptIdFor,
} from "../../gpu-agent/backends/comfyui/mod.ts";
import { startFakeComfyUI } from "../fakes/comfyui/mod.ts";
import { allModels } from "./agent_io.ts";

const templates = await loadTemplates();

async function probeCodec(path: string): Promise<string> {
  const { stdout } = await new Deno.Command("ffprobe", {
    args: ["-v", "error", "-show_entries", "stream=codec_type,codec_name", "-of", "json", path],
    stdout: "piped",
  }).output();
  const streams = JSON.parse(new TextDecoder().decode(stdout)).streams as {
    codec_type: string;
    codec_name: string;
  }[];
  return streams.map((s) => `${s.codec_type}/${s.codec_name}`).join(",");
}

for (const version of ["0.3.64", "0.8.0"] as const) {
  Deno.test(`audio.generate runs on ComfyUI ${version} and returns a playable take per tier`, async () => {
    const fake = await startFakeComfyUI({ version, models: allModels() });
    const backend = new ComfyUIBackend({ url: fake.url, templates, clientId: "audio-test" });
    const workDir = await Deno.makeTempDir({ prefix: "md-audio-" });
    try {
      await backend.probe();
      for (
        const [tier, ext, type, codec] of [
          ["low", "mp3", "audio/mpeg", "audio/mp3"],
          ["high", "flac", "audio/flac", "audio/flac"],
        ] as const
      ) {
        assert.ok(backend.canRun("audio.generate", tier), `advertises audio.generate at ${tier}`);
        const jobId = crypto.randomUUID();
        const result = await backend.run({
          jobId,
          nodeType: "audio.generate",
          tier,
          params: { prompt: "rain on a tin roof, distant thunder", seconds: 12 },
          inputs: [],
          workDir,
        }, { signal: new AbortController().signal, onProgress: () => {} });
        assert.equal(result.template, `audio.generate.${tier}`);
        assert.equal(result.outputs.length, 1);
        const [out] = result.outputs;
        assert.equal(out!.ext, ext);
        assert.equal(out!.contentType, type);
        assert.equal(await probeCodec(out!.path), codec);
        // What ComfyUI's history says about the save node: files under "audio", in audio/.
        const entry = fake.history(promptIdFor(jobId, 0))!;
        const saved = Object.values(entry.outputs)[0] as Record<string, unknown>;
        assert.deepEqual(Object.keys(saved), ["audio"]);
        assert.match(
          JSON.stringify(saved.audio),
          new RegExp(
            `^\\[\\{"filename":"movie-director_\\d{5}_\\.${ext}","subfolder":"audio","type":"output"\\}\\]$`,
          ),
        );
        // The job's seconds reach both the latent and the conditioning.
        const prompt = entry.prompt[2] as Record<string, { inputs: Record<string, unknown> }>;
        assert.equal(prompt["12"]!.inputs.seconds, 12);
        assert.equal(prompt["11"]!.inputs.seconds_total, 12);
      }
    } finally {
      await backend.close();
      await fake.stop();
      await Deno.remove(workDir, { recursive: true });
    }
  });
}
