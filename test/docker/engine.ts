/**
 * The real Docker Engine the Docker tests run against, and the test model's image built on it
 * without any registry: a root file system of Debian's static busybox plus test/docker/model.sh,
 * imported through the Engine API (`POST /images/create?fromSrc=-`, what `docker import` does).
 *
 * The engine: `MD_TEST_DOCKER_HOST`, else `DOCKER_HOST`, else /var/run/docker.sock (.ci/run starts
 * dockerd there). Where none answers the Docker tests are skipped with a message saying so,
 * unless `MD_REQUIRE_DOCKER=1` (.ci/run sets it): then they fail.
 */
import { DockerEngine } from "../../gpu-agent/backends/docker/engine.ts";

const HOST = Deno.env.get("MD_TEST_DOCKER_HOST") ?? Deno.env.get("DOCKER_HOST") ?? null;
const BUSYBOX = "/bin/busybox";
const SCRIPT = new URL("./model.sh", import.meta.url);

export const engine = DockerEngine.fromHost(HOST);

/** Why the Docker tests cannot run here, or null when the engine answers. */
export const unavailable: string | null = await _unavailable();

async function _unavailable(): Promise<string | null> {
  try {
    await engine.version(AbortSignal.timeout(5_000));
  } catch (error) {
    const why = `the Docker Engine at ${engine.socket} is not reachable (${
      (error as Error).message
    }): start dockerd (see .ci/run), or point MD_TEST_DOCKER_HOST=unix://PATH at one`;
    if (Deno.env.get("MD_REQUIRE_DOCKER") === "1") throw new Error(why);
    console.warn(`Docker tests skipped: ${why}`);
    return why;
  }
  return null;
}

/** Options for `Deno.test` that skip a Docker test where no engine answers. */
export const needsEngine = { ignore: unavailable !== null, sanitizeResources: false };

let built: Promise<string> | null = null;

/** The test model's image (`md-test-model:<script hash>`), built once when missing. */
export function testImage(): Promise<string> {
  built ??= _build();
  return built;
}

async function _build(): Promise<string> {
  const script = await Deno.readFile(SCRIPT);
  // Named by what it is built from: this file and the script (a change makes a new image).
  const builder = await Deno.readFile(new URL(import.meta.url));
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new Uint8Array([...builder, ...script])),
  );
  const tag = [...digest.slice(0, 6)].map((b) => b.toString(16).padStart(2, "0")).join("");
  const image = `md-test-model:${tag}`;
  if (await engine.image(image)) return image;
  const root = await Deno.makeTempDir({ prefix: "md-test-rootfs-" });
  try {
    for (const dir of ["bin", "tmp", "outputs", "inputs", "etc", "proc", "sys", "dev"]) {
      await Deno.mkdir(`${root}/${dir}`);
    }
    // As in every base image: the tmpfs the agent mounts there keeps the folder's mode.
    await Deno.chmod(`${root}/tmp`, 0o1777);
    const binary = await Deno.readFile(BUSYBOX);
    // A dynamically linked busybox (Debian's `busybox`) cannot run in an empty root.
    if (new TextDecoder().decode(binary.subarray(0, 4096)).includes("ld-linux")) {
      throw new Error(`${BUSYBOX} is linked dynamically: apt-get install busybox-static`);
    }
    await Deno.writeFile(`${root}/bin/busybox`, binary, { mode: 0o755 });
    const applets = new TextDecoder().decode(
      (await new Deno.Command(BUSYBOX, { args: ["--list"], stdout: "piped" }).output()).stdout,
    ).split("\n").filter((name) => name && name !== "busybox");
    for (const applet of applets) await Deno.symlink("busybox", `${root}/bin/${applet}`);
    await Deno.writeFile(`${root}/bin/model`, script, { mode: 0o755 });
    await Deno.chmod(`${root}/bin/model`, 0o755);
    const tar = await new Deno.Command("tar", {
      args: ["-C", root, "--owner=0", "--group=0", "-c", "."],
      stdout: "piped",
    }).output();
    if (!tar.success) throw new Error("tar failed building the test image");
    const response = await engine.request("POST", "/images/create", {
      query: { fromSrc: "-", repo: "md-test-model", tag },
      body: tar.stdout,
    });
    const answer = await response.text();
    if (answer.includes('"error"')) throw new Error(`docker import failed: ${answer}`);
    return image;
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

/** Containers of an agent id (tests label their runs with a fresh one). */
export async function containersOf(agentId: string) {
  return await engine.containers({ "io.movie-director.agent": agentId });
}
