import assert from "node:assert/strict";
import { CliError } from "../cli/cli_error.ts";
import { resolveConfig } from "./config.ts";

const HOME = { HOME: "/home/ada" };

Deno.test("defaults follow the XDG layout under HOME", () => {
  assert.deepEqual(resolveConfig({}, HOME, "linux"), {
    serverUrl: null,
    comfyuiUrl: "http://127.0.0.1:8188",
    vramMiB: null,
    concurrency: 1,
    workDir: "/home/ada/.cache/movie-director/work",
    configDir: "/home/ada/.config/movie-director",
    templatesDir: "/home/ada/.config/movie-director/templates",
    templatesDirGiven: false,
    wan2gp: null,
    modelsDir: "/home/ada/.config/movie-director/models",
    dockerHost: null,
    dockerPull: false,
    exitWhenIdleS: null,
  });
  const xdg = resolveConfig(
    {},
    { ...HOME, XDG_CONFIG_HOME: "/cfg", XDG_CACHE_HOME: "/cache" },
    "linux",
  );
  assert.equal(xdg.configDir, "/cfg/movie-director");
  assert.equal(xdg.workDir, "/cache/movie-director/work");
});

Deno.test("environment variables set everything; flags win over them", () => {
  const env = {
    ...HOME,
    MD_SERVER_URL: "https://studio.example/",
    MD_COMFYUI_URL: "http://10.0.0.5:8188",
    MD_VRAM_MIB: "24576",
    MD_CONCURRENCY: "2",
    MD_WORK_DIR: "/scratch",
    MD_CONFIG_DIR: "/etc/md",
    MD_EXIT_WHEN_IDLE: "300",
  };
  assert.deepEqual(resolveConfig({}, env, "linux"), {
    serverUrl: "https://studio.example",
    comfyuiUrl: "http://10.0.0.5:8188",
    vramMiB: 24576,
    concurrency: 2,
    workDir: "/scratch",
    configDir: "/etc/md",
    templatesDir: "/etc/md/templates",
    templatesDirGiven: false,
    wan2gp: null,
    modelsDir: "/etc/md/models",
    dockerHost: null,
    dockerPull: false,
    exitWhenIdleS: 300,
  });
  const flagged = resolveConfig(
    { server: "http://127.0.0.1:8000", concurrency: "3" },
    env,
    "linux",
  );
  assert.equal(flagged.serverUrl, "http://127.0.0.1:8000");
  assert.equal(flagged.concurrency, 3);
});

Deno.test("bad values are usage errors naming the flag or the variable", () => {
  const usage = (pattern: RegExp) => (e: unknown) =>
    e instanceof CliError && e.exitCode === 2 && pattern.test(e.message);
  assert.throws(
    () => resolveConfig({ server: "studio.example" }, HOME),
    usage(/--server is not a URL: "studio.example"/),
  );
  assert.throws(
    () => resolveConfig({}, { ...HOME, MD_SERVER_URL: "ftp://x" }),
    usage(/MD_SERVER_URL must be an http/),
  );
  assert.throws(
    () => resolveConfig({}, { ...HOME, MD_VRAM_MIB: "16GB" }),
    usage(/MD_VRAM_MIB must be a whole number/),
  );
  assert.throws(
    () => resolveConfig({ concurrency: "0" }, HOME),
    usage(/--concurrency must be a whole number from 1 to 64/),
  );
  assert.throws(
    () => resolveConfig({ "exit-when-idle": "soon" }, HOME),
    usage(/--exit-when-idle must be a whole number/),
  );
  assert.throws(
    () => resolveConfig({ comfyui: "localhost:8188" }, HOME),
    usage(/--comfyui must be an http/),
  );
});

Deno.test("the templates folder: --templates, then MD_TEMPLATES_DIR, then <config-dir>/templates", () => {
  const env = { ...HOME, MD_CONFIG_DIR: "/etc/md" };
  assert.equal(resolveConfig({}, env, "linux").templatesDir, "/etc/md/templates");
  assert.equal(resolveConfig({}, env, "linux").templatesDirGiven, false);
  const fromEnv = resolveConfig({}, { ...env, MD_TEMPLATES_DIR: "/srv/t" }, "linux");
  assert.deepEqual([fromEnv.templatesDir, fromEnv.templatesDirGiven], ["/srv/t", true]);
  const fromFlag = resolveConfig({ templates: "./mine" }, { ...env, MD_TEMPLATES_DIR: "/srv/t" });
  assert.equal(fromFlag.templatesDir, "./mine");
});

Deno.test("Wan2GP is set up by its folder; python, bridge and attention have defaults", () => {
  assert.deepEqual(resolveConfig({ wan2gp: "/opt/Wan2GP" }, HOME).wan2gp, {
    dir: "/opt/Wan2GP",
    python: null,
    bridgeUrl: "http://127.0.0.1:7899",
    attention: "sdpa",
  });
  const env = {
    ...HOME,
    MD_WAN2GP_DIR: "/srv/wan2gp",
    MD_WAN2GP_PYTHON: "/srv/wan2gp/venv/bin/python",
    MD_WAN2GP_BRIDGE: "http://127.0.0.1:8000/",
    MD_WAN2GP_ATTENTION: "sage2",
  };
  assert.deepEqual(resolveConfig({}, env).wan2gp, {
    dir: "/srv/wan2gp",
    python: "/srv/wan2gp/venv/bin/python",
    bridgeUrl: "http://127.0.0.1:8000",
    attention: "sage2",
  });
  assert.throws(
    () => resolveConfig({ wan2gp: "/x", "wan2gp-attention": "fast" }, HOME),
    (e: unknown) =>
      e instanceof CliError &&
      /--wan2gp-attention must be one of sdpa, sage, sage2, flash/.test(e.message),
  );
  assert.throws(
    () => resolveConfig({ wan2gp: "/x" }, { ...HOME, MD_WAN2GP_BRIDGE: "7899" }),
    (e: unknown) => e instanceof CliError && /MD_WAN2GP_BRIDGE is not a URL/.test(e.message),
  );
});

Deno.test("Docker models: the models folder, DOCKER_HOST, and pulls only when asked", () => {
  const env = {
    ...HOME,
    DOCKER_HOST: "unix:///run/user/1000/docker.sock",
    MD_MODELS_DIR: "/srv/models",
    MD_DOCKER_PULL: "1",
  };
  const config = resolveConfig({}, env, "linux");
  assert.equal(config.modelsDir, "/srv/models");
  assert.equal(config.dockerHost, "unix:///run/user/1000/docker.sock");
  assert.equal(config.dockerPull, true);
  assert.equal(resolveConfig({ "docker-pull": true }, HOME, "linux").dockerPull, true);
  assert.equal(resolveConfig({ models: "./mine" }, env, "linux").modelsDir, "./mine");
  assert.throws(
    () => resolveConfig({}, { ...HOME, MD_DOCKER_PULL: "always" }, "linux"),
    (e: unknown) => e instanceof CliError && /MD_DOCKER_PULL must be 1 or 0/.test(e.message),
  );
});
