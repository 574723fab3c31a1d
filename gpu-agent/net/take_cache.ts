/**
 * Downloaded takes kept between jobs, by SHA-256: a cut renders the same selected takes again
 * and again, and a take never changes (its hash is recorded by the edge), so each one is fetched
 * once. A cached file is hard-linked into the job's folder, so evicting it while a job still
 * reads it is harmless. A download is hashed as it streams and kept only if it matches the
 * take's recorded hash; one that does not fails the job (retriable) instead of poisoning the
 * cache. The folder is bounded: after each download, the least recently used files go until
 * the total is under `maxBytes` (each use refreshes a file's modification time).
 *
 * @example
 * ```ts
 * const cache = new TakeCache(`${workDir}/cache`, 4 * 2 ** 30);
 * const { path, hit } = await cache.fetch(input, job.workDir, { signal });
 * ```
 */
import type { JobInput } from "../backends/backend.ts";
import {
  downloadInput,
  type DownloadOptions,
  downloadTo,
  inputExt,
  inputFileName,
} from "./download.ts";

/** 4 GiB: a few feature-length cuts' worth of generated clips. */
export const DEFAULT_CACHE_MAX_BYTES = 4 * 2 ** 30;

/** A partial download older than this belongs to a run that died; eviction removes it. */
const STALE_PART_MS = 3_600_000;

export interface Fetched {
  path: string;
  /** The file came from the cache: nothing was downloaded. */
  hit: boolean;
}

export class TakeCache {
  constructor(readonly dir: string, readonly maxBytes = DEFAULT_CACHE_MAX_BYTES) {}

  /**
   * The input as a file in `workDir` (named as `inputFileName` names it): from the cache when
   * its SHA-256 is there, else downloaded, and kept when it has one.
   */
  async fetch(input: JobInput, workDir: string, options: DownloadOptions = {}): Promise<Fetched> {
    if (!input.sha256) return { path: await downloadInput(input, workDir, options), hit: false };
    const target = `${workDir}/${inputFileName(input)}`;
    const cached = `${this.dir}/${input.sha256}.${inputExt(input)}`;
    // Another job may evict it between the two steps: then it is downloaded again.
    if (await _touch(cached) && await _place(cached, target).then(() => true, _notFound)) {
      return { path: target, hit: true };
    }
    await Deno.mkdir(this.dir, { recursive: true });
    const part = `${this.dir}/.${input.sha256}.${crypto.randomUUID().slice(0, 8)}.part`;
    try {
      const sha256 = await downloadTo(input, part, options);
      if (sha256 !== input.sha256) {
        throw new Error(
          `input '${input.socket}': the download's SHA-256 is ${sha256}, not the take's ` +
            `${input.sha256} (corrupted on the way)`,
        );
      }
      // Two jobs fetching one take at once both rename the same bytes into place.
      await Deno.rename(part, cached);
    } finally {
      await Deno.remove(part).catch(() => {});
    }
    await _place(cached, target);
    await this.evict(cached);
    return { path: target, hit: false };
  }

  /** Removes the least recently used files (never `keep`) until the folder fits `maxBytes`. */
  async evict(keep?: string): Promise<void> {
    const files: { path: string; bytes: number; used: number }[] = [];
    const now = Date.now();
    for await (const entry of Deno.readDir(this.dir)) {
      if (!entry.isFile) continue;
      const path = `${this.dir}/${entry.name}`;
      const info = await Deno.stat(path).catch(() => null);
      if (!info) continue;
      const used = info.mtime?.getTime() ?? 0;
      if (entry.name.startsWith(".")) {
        if (now - used > STALE_PART_MS) await Deno.remove(path).catch(() => {});
        continue;
      }
      files.push({ path, bytes: info.size, used });
    }
    let total = files.reduce((sum, f) => sum + f.bytes, 0);
    for (const file of files.sort((a, b) => a.used - b.used)) {
      if (total <= this.maxBytes) break;
      if (file.path === keep) continue;
      await Deno.remove(file.path).catch(() => {});
      total -= file.bytes;
    }
  }
}

/** Marks a cached file as just used; false when it is not there. */
async function _touch(path: string): Promise<boolean> {
  const now = new Date();
  return await Deno.utime(path, now, now).then(() => true, _notFound);
}

function _notFound(error: unknown): false {
  if (error instanceof Deno.errors.NotFound) return false;
  throw error;
}

/** Puts the cached file at `target`: a hard link, or a copy where links are not possible. */
async function _place(cached: string, target: string): Promise<void> {
  await Deno.remove(target).catch(() => {});
  try {
    await Deno.link(cached, target);
  } catch {
    await Deno.copyFile(cached, target);
  }
}
