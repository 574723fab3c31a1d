/**
 * A fake server on a thread of its own (a real ComfyUI or Gradio app is a process of its own, so
 * its answers must not wait behind the edge's work on the benchmark's thread). The worker posts
 * `{ url }` once listening; `post` sends it a message; `stop` posts "stop" and resolves with what
 * it posts back (its times).
 */
export async function startFakeWorker<Times>(module: URL, name: string): Promise<{
  url: string;
  post(message: string): void;
  stop(): Promise<Times>;
}> {
  const worker = new Worker(module, { type: "module" });
  const next = <T>() =>
    new Promise<T>((resolve, reject) => {
      worker.onmessage = (event) => resolve(event.data);
      worker.onerror = (event) => {
        event.preventDefault();
        reject(new Error(`${name} worker: ${event.message}`));
      };
    });
  const { url } = await next<{ url: string }>();
  return {
    url,
    post: (message) => worker.postMessage(message),
    async stop() {
      const times = next<Times>();
      worker.postMessage("stop");
      return await times;
    },
  };
}
