/**
 * Builds web/dist once for the end-to-end tests and the web benchmark: skipped when the build
 * is newer than every file under web/src and protocol/ (which the app bundles), web/index.html
 * and web/vite.config.ts.
 */
const WEB = new URL("../../web/", import.meta.url);

async function newestSource(dir: URL): Promise<number> {
  let newest = 0;
  for await (const entry of Deno.readDir(dir)) {
    const child = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
    if (entry.isDirectory) newest = Math.max(newest, await newestSource(child));
    else newest = Math.max(newest, (await Deno.stat(child)).mtime?.getTime() ?? 0);
  }
  return newest;
}

async function builtAt(): Promise<number> {
  try {
    return (await Deno.stat(new URL("dist/index.html", WEB))).mtime?.getTime() ?? 0;
  } catch {
    return 0;
  }
}

/** Runs `deno run -A web/build.ts` unless web/dist is fresh; throws with its output on failure. */
export async function ensureWebBuild(): Promise<void> {
  const sources = Math.max(
    await newestSource(new URL("src/", WEB)),
    await newestSource(new URL("../protocol/", WEB)),
    (await Deno.stat(new URL("index.html", WEB))).mtime?.getTime() ?? 0,
    (await Deno.stat(new URL("vite.config.ts", WEB))).mtime?.getTime() ?? 0,
  );
  if (await builtAt() > sources) return;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("build.ts", WEB).pathname],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    throw new Error(`web build failed:\n${text}`);
  }
}
