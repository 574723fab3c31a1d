/**
 * Reads ffmpeg's `-progress pipe:1` output: blocks of `key=value` lines, each block closed by
 * `progress=continue` or `progress=end`. Yields one update per block.
 */

export interface FfmpegProgress {
  /** How much of the output has been written, in seconds of media. */
  outTimeSeconds: number;
  /** Media seconds per wall-clock second ("2.5x"), when ffmpeg knows it. */
  speed: number | null;
  end: boolean;
}

export class ProgressParser {
  #block = new Map<string, string>();

  /** Feeds one line; returns an update when the line closes a block. */
  line(text: string): FfmpegProgress | null {
    const at = text.indexOf("=");
    if (at < 0) return null;
    const key = text.slice(0, at).trim();
    const value = text.slice(at + 1).trim();
    if (key !== "progress") {
      this.#block.set(key, value);
      return null;
    }
    const micros = Number(this.#block.get("out_time_us"));
    const speed = Number.parseFloat(this.#block.get("speed") ?? "");
    this.#block.clear();
    return {
      // out_time_us is "N/A" before the first frame.
      outTimeSeconds: Number.isFinite(micros) && micros > 0 ? micros / 1e6 : 0,
      speed: Number.isFinite(speed) && speed > 0 ? speed : null,
      end: value === "end",
    };
  }
}
