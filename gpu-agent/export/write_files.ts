/**
 * Brings `assets/`, `renders/` and `cuts/` in the export folder to exactly the given files: writes
 * what changed, fetches media from their signed URLs, and removes files the project no longer
 * has. These folders belong to the export; the folder's tree was checked clean first, so what is
 * removed is still in history.
 *
 * Nothing whose content the repository already holds is fetched again: a take's SHA-256 comes
 * from the studio; a reference image's (the studio does not hash them, but an image's storage
 * key never changes content) from `BLOBS`, which records the SHA-256 of each image key fetched
 * before, or from this run once it wrote the key. A file already holding that content stays; one
 * this run wrote is copied (every asset version lists the same images), and so is one on its way
 * out that holds it (a renamed asset's folder: its old files are read before they are removed).
 */
import { createHash } from "node:crypto";
import { CliError } from "../cli/cli_error.ts";
import { EXIT } from "../cli/exit_codes.ts";
import type { EdgeReader } from "./edge_reader.ts";
import type { ProjectFile } from "./project_files.ts";

export const MANAGED_FOLDERS = ["assets", "renders", "cuts"] as const;

/** At the repository's root: `{ [storageKey]: sha256 }` of the reference images exported. */
export const BLOBS = ".movie-director-blobs.json";

export async function writeFiles(
  edge: Pick<EdgeReader, "download">,
  dir: string,
  files: ProjectFile[],
): Promise<void> {
  const known = await readBlobs(dir);
  const kept: Record<string, string> = {};
  const expected = (file: Exclude<ProjectFile, { text: string }>) =>
    file.sha256 ?? (file.key === undefined ? undefined : known[file.key] ?? kept[file.key]) ??
      null;
  /** SHA-256 → a file of this export that holds it (checked or written by this run). */
  const holding = new Map<string, string>();
  /** The media already in place, found first so that any later file can be copied from them. */
  const inPlace = new Set<string>();
  for (const file of files) {
    if ("text" in file) continue;
    const sha256 = expected(file);
    if (sha256 !== null && (await sha256Of(`${dir}/${file.path}`)) === sha256) {
      holding.set(sha256, file.path);
      inPlace.add(file.path);
    }
  }
  const wanted = new Set(files.map((f) => f.path));
  const leaving: string[] = [];
  for (const folder of MANAGED_FOLDERS) {
    leaving.push(...(await filesUnder(dir, folder)).filter((path) => !wanted.has(path)));
  }
  // Content still to write that a file on its way out holds: copied from it, then it goes.
  const needed = new Set(
    files.flatMap((f) => "text" in f || inPlace.has(f.path) ? [] : [expected(f)])
      .filter((sha256): sha256 is string => sha256 !== null && !holding.has(sha256)),
  );
  const sources = new Set<string>();
  for (const path of leaving) {
    const sha256 = needed.size > 0 ? await sha256Of(`${dir}/${path}`) : null;
    if (sha256 !== null && needed.delete(sha256)) {
      holding.set(sha256, path);
      sources.add(path);
    } else await Deno.remove(`${dir}/${path}`);
  }
  for (const file of files) {
    const target = `${dir}/${file.path}`;
    await makeParents(dir, file.path);
    if ("text" in file) {
      await Deno.writeTextFile(target, file.text);
      continue;
    }
    const sha256 = expected(file);
    const copy = sha256 === null ? undefined : holding.get(sha256);
    if (inPlace.has(file.path)) {
      // Already there.
    } else if (copy !== undefined) {
      await Deno.copyFile(`${dir}/${copy}`, target);
    } else {
      await edge.download(file.url, target);
    }
    const has = sha256 ?? (await sha256Of(target))!;
    holding.set(has, file.path);
    if (file.key !== undefined) kept[file.key] = has;
  }
  for (const path of sources) await Deno.remove(`${dir}/${path}`);
  if (Object.keys(kept).length > 0) {
    await Deno.writeTextFile(`${dir}/${BLOBS}`, JSON.stringify(kept, null, 2) + "\n");
  } else {
    await Deno.remove(`${dir}/${BLOBS}`).catch((error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    });
  }
}

/** The recorded image hashes; none for a repository an older export made. */
async function readBlobs(dir: string): Promise<Record<string, string>> {
  try {
    const value = JSON.parse(await Deno.readTextFile(`${dir}/${BLOBS}`));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? value : {};
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof SyntaxError) return {};
    throw error;
  }
}

/** Creates the file's folders, refusing a symbolic link on the way (it could lead outside). */
async function makeParents(dir: string, path: string): Promise<void> {
  const segments = path.split("/").slice(0, -1);
  for (let i = 1; i <= segments.length; i++) {
    const folder = `${dir}/${segments.slice(0, i).join("/")}`;
    const info = await Deno.lstat(folder).catch(() => null);
    if (info?.isSymlink) {
      throw new CliError(
        `${folder} is a symbolic link; the export writes only into real folders`,
        EXIT.usage,
        "remove the link (and commit), then export again",
      );
    }
    if (!info) await Deno.mkdir(folder);
  }
}

/** Paths (relative to `dir`) of the files under `folder`; none when it does not exist. */
async function filesUnder(dir: string, folder: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (relative: string) => {
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(`${dir}/${relative}`));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return;
      throw error;
    }
    for (const entry of entries) {
      const path = `${relative}/${entry.name}`;
      if (entry.isDirectory) await walk(path);
      else found.push(path);
    }
  };
  await walk(folder);
  return found;
}

/** The file's SHA-256 in hex, read in chunks (takes can be large); null when it is absent. */
async function sha256Of(path: string): Promise<string | null> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  const hash = createHash("sha256");
  for await (const chunk of file.readable) hash.update(chunk);
  return hash.digest("hex");
}
