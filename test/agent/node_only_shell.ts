/**
 * Runs a command line the studio shows, as on a GPU machine with Node.js and npm but no Deno: a
 * POSIX shell in the repository's root whose PATH holds the system's folders only (Deno lives
 * in /usr/local/bin here; node, npm and npx in /usr/bin). `spawn` starts it in a process group
 * of its own (setsid), so stopping it reaches npx, the Deno it fetched and the agent under it.
 */
const ROOT = new URL("../../", import.meta.url).pathname;
export const NODE_ONLY_PATH = "/usr/bin:/bin";

function command(line: string, env: Record<string, string>, piped: boolean) {
  return new Deno.Command("/usr/bin/setsid", {
    args: ["/bin/sh", "-c", `command -v deno >/dev/null && exit 97; exec ${line}`],
    cwd: ROOT,
    // HOME keeps npm's and Deno's caches: a machine that ran it once has them too.
    env: { PATH: NODE_ONLY_PATH, HOME: Deno.env.get("HOME") ?? "/root", NO_COLOR: "1", ...env },
    clearEnv: true,
    stdin: "null",
    stdout: piped ? "piped" : "null",
    stderr: piped ? "piped" : "null",
  });
}

/** Runs `line` to the end; its exit code and everything it printed. */
export async function runNodeOnly(
  line: string,
  env: Record<string, string> = {},
): Promise<{ code: number; output: string }> {
  const out = await command(line, env, true).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  if (out.code === 97) throw new Error("deno is on the node-only PATH: the test proves nothing");
  return { code: out.code, output: text };
}

/** Starts `line`; `stop()` sends two Ctrl-Cs to its whole process group, then kills what is left. */
export function spawnNodeOnly(line: string, env: Record<string, string> = {}) {
  const child = command(line, env, true).spawn();
  let text = "";
  const decoder = new TextDecoder();
  const drains = [child.stdout, child.stderr].map(async (stream) => {
    for await (const chunk of stream) {
      text = (text + decoder.decode(chunk, { stream: true })).slice(-32 * 1024);
    }
  });
  const signalGroup = (signal: string) =>
    new Deno.Command("/bin/kill", { args: [`-${signal}`, "--", `-${child.pid}`] }).output();
  let stopping: Promise<void> | null = null;
  return {
    output: () => text,
    stop(): Promise<void> {
      stopping ??= (async () => {
        await signalGroup("INT");
        await signalGroup("INT");
        const killer = setTimeout(() => void signalGroup("KILL"), 5000);
        await child.status;
        clearTimeout(killer);
        // npx may leave the agent a moment longer than itself: the group goes with it.
        await signalGroup("KILL");
        await Promise.all(drains);
      })();
      return stopping;
    },
  };
}
