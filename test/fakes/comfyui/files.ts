/**
 * The fake's input, output and temp folders, in memory. Files survive a fake "restart" as they
 * survive a real one (they live on disk), and are named like ComfyUI names them
 * (`prefix_00001_.png`, `ComfyUI_temp_abcde_00001_.png`).
 */
import type { FileRef } from "./types.ts";

export class FileStore {
  readonly #files = new Map<string, Uint8Array>();
  readonly #counters = new Map<string, number>();
  /** ComfyUI picks a random 5-letter suffix for temp files once per start. */
  tempSuffix = randomLetters(5);

  /** A new process picks a new temp suffix. */
  restarted(): void {
    this.tempSuffix = randomLetters(5);
  }

  static key(ref: FileRef): string {
    return `${ref.type}/${ref.subfolder}/${ref.filename}`;
  }

  get(ref: FileRef): Uint8Array | undefined {
    return this.#files.get(FileStore.key(ref));
  }

  put(ref: FileRef, bytes: Uint8Array): void {
    this.#files.set(FileStore.key(ref), bytes);
  }

  /** Names of files in the input folder (LoadImage's options). */
  inputNames(): string[] {
    return [...this.#files.keys()].filter((k) => k.startsWith("input//")).map((k) => k.slice(7));
  }

  /** Stores an upload; an existing name gets ` (1)` etc. unless `overwrite`, as ComfyUI does. */
  upload(name: string, subfolder: string, overwrite: boolean, bytes: Uint8Array): FileRef {
    let filename = name;
    const dot = name.lastIndexOf(".");
    const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ""];
    for (let i = 1; !overwrite && this.get({ filename, subfolder, type: "input" }); i++) {
      filename = `${stem} (${i})${ext}`;
    }
    const ref: FileRef = { filename, subfolder, type: "input" };
    this.put(ref, bytes);
    return ref;
  }

  /** The next free name for a save node's `filename_prefix` ("video/ComfyUI" → subfolder video). */
  nextOutput(prefix: string, ext: string, type: "output" | "temp"): FileRef {
    const slash = prefix.lastIndexOf("/");
    const subfolder = slash >= 0 ? prefix.slice(0, slash) : "";
    const base = slash >= 0 ? prefix.slice(slash + 1) : prefix;
    const key = `${type}/${subfolder}/${base}.${ext}`;
    const n = (this.#counters.get(key) ?? 0) + 1;
    this.#counters.set(key, n);
    return { filename: `${base}_${String(n).padStart(5, "0")}_.${ext}`, subfolder, type };
  }
}

function randomLetters(n: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(n));
  return [...bytes].map((b) => String.fromCharCode(97 + (b % 26))).join("");
}
