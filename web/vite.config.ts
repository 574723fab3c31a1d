/**
 * Vite configuration for the studio. The root is `web/`; the app imports `../protocol/*.ts`
 * directly, and bare specifiers (solid-js, zod) resolve from the repository's node_modules,
 * which Deno creates with `"nodeModulesDir": "auto"`.
 */
import { defineConfig } from "vite";
import solid from "vite-plugin-solid";

const webRoot = new URL(".", import.meta.url).pathname;

export default defineConfig({
  root: webRoot,
  // The edge serves the built files at `/`, so absolute asset URLs are right.
  base: "/",
  plugins: [solid()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    // The bundle-size goal is measured gzipped by build.ts; Vite's own report is noise in CI.
    reportCompressedSize: false,
  },
  server: {
    // protocol/ sits beside web/; the dev server may read it.
    fs: { allow: [new URL("..", import.meta.url).pathname] },
  },
});
