/**
 * The GPU agent as a user runs it: `deno run -A gpu-agent/main.ts enroll ...`, then `... run`,
 * each a real child process with its own config and work folders. Stopping sends the staged
 * Ctrl-C (drain, interrupt), then kills it if it still runs.
 */
const MAIN = new URL("../../gpu-agent/main.ts", import.meta.url).pathname;

export interface AgentProcess {
  /** Everything the agent printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/** Runs `enroll <args>`; throws with the agent's output when it does not succeed. */
export async function enrollAgent(args: string[], env: Record<string, string>): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "enroll", ...args],
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`agent enroll exited with ${out.code}:\n${text}`);
  return text;
}

/** Starts `run`; its output is kept (the tail) for failure messages. */
export function startAgentProcess(env: Record<string, string>): AgentProcess {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "run"],
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let text = "";
  const decoder = new TextDecoder();
  const drains = [child.stdout, child.stderr].map(async (stream) => {
    for await (const chunk of stream) {
      text = (text + decoder.decode(chunk, { stream: true })).slice(-32 * 1024);
    }
  });
  let stopping: Promise<void> | null = null;
  const signal = (sig: Deno.Signal) => {
    try {
      child.kill(sig);
    } catch { /* already gone */ }
  };
  return {
    output: () => text,
    stop() {
      stopping ??= (async () => {
        // Two Ctrl-Cs: stop claiming, then interrupt and release what it runs.
        signal("SIGINT");
        signal("SIGINT");
        const killer = setTimeout(() => signal("SIGKILL"), 5000);
        await child.status;
        clearTimeout(killer);
        await Promise.all(drains);
      })();
      return stopping;
    },
  };
}
