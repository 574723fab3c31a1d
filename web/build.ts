/**
 * Production build of the studio into `web/dist/`, run by Deno:
 * `deno run -A web/build.ts`. Prints the gzipped size of the JavaScript it produced, since the
 * bundle-size goal (under 200 kB gzipped) is stated in those terms.
 */
import { build } from "vite";
import { gzipSync } from "node:zlib";

const configFile = new URL("./vite.config.ts", import.meta.url).pathname;
const distDir = new URL("./dist/", import.meta.url);

/** Gzipped bytes of every `.js` file under `dir`, walking subfolders. */
export async function gzippedJsBytes(dir: URL): Promise<number> {
  let total = 0;
  for await (const entry of Deno.readDir(dir)) {
    const child = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
    if (entry.isDirectory) total += await gzippedJsBytes(child);
    else if (entry.name.endsWith(".js")) {
      total += gzipSync(await Deno.readFile(child), { level: 9 }).length;
    }
  }
  return total;
}

if (import.meta.main) {
  await build({ configFile, logLevel: "warn" });
  const bytes = await gzippedJsBytes(distDir);
  console.log(`web/dist: ${(bytes / 1024).toFixed(1)} kB gzipped JavaScript`);
}
