/**
 * The fake Gradio server in a process of its own, so a test can kill it mid-job as a crash would
 * (SIGKILL: connections cut, nothing said). Prints one line `{"url": …}` once listening.
 *
 * `deno run -A test/fakes/gradio/serve.ts '{"app": "file" | "wan2gp", "stepMs": 100, …}'`
 */
import { fileApp, wan2gpBridgeApp } from "./apps.ts";
import { startFakeGradio } from "./mod.ts";

if (import.meta.main) {
  const options = JSON.parse(Deno.args[0] ?? "{}");
  const app = options.app === "wan2gp" ? wan2gpBridgeApp(options) : fileApp(options);
  const gradio = await startFakeGradio(app);
  console.log(JSON.stringify({ url: gradio.url }));
}

/** Starts serve.ts; resolves once it listens. */
export async function spawnFakeGradio(options: Record<string, unknown>): Promise<{
  url: string;
  /** Freezes the process (SIGSTOP): connections stay open, nothing answers. */
  pause(): void;
  kill(): Promise<void>;
}> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(import.meta.url).pathname, JSON.stringify(options)],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("the fake Gradio process exited before listening");
    text += value;
  }
  reader.releaseLock();
  void child.stdout.cancel().catch(() => {});
  return {
    url: JSON.parse(text.split("\n")[0]!).url,
    pause: () => child.kill("SIGSTOP"),
    async kill() {
      try {
        child.kill("SIGKILL");
      } catch { /* gone */ }
      await child.status;
    },
  };
}
