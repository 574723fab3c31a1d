/**
 * Brings `assets/`, `renders/` and `cuts/` in the export folder to exactly the given files: writes
 * what changed, fetches media from their signed URLs (a take whose file already has its SHA-256
 * is not fetched again), and removes files the project no longer has. These folders belong to the
 * export; the folder's tree was checked clean first, so what is removed is still in history.
 */
import { createHash } from "node:crypto";
import { CliError } from "../cli/cli_error.ts";
import { EXIT } from "../cli/exit_codes.ts";
import type { EdgeReader } from "./edge_reader.ts";
import type { ProjectFile } from "./project_files.ts";

export const MANAGED_FOLDERS = ["assets", "renders", "cuts"] as const;

export async function writeFiles(
  edge: Pick<EdgeReader, "download">,
  dir: string,
  files: ProjectFile[],
): Promise<void> {
  const wanted = new Set(files.map((f) => f.path));
  for (const folder of MANAGED_FOLDERS) {
    for (const path of await filesUnder(dir, folder)) {
      if (!wanted.has(path)) await Deno.remove(`${dir}/${path}`);
    }
  }
  for (const file of files) {
    const target = `${dir}/${file.path}`;
    await makeParents(dir, file.path);
    if ("text" in file) {
      await Deno.writeTextFile(target, file.text);
    } else if (file.sha256 === null || (await sha256Of(target)) !== file.sha256) {
      await edge.download(file.url, target);
    }
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
