/**
 * Reads the engine's multiplexed output stream (a container without a TTY): frames of an 8-byte
 * header, `[stream, 0, 0, 0, size (uint32, big-endian)]`, then `size` bytes of that stream
 * (1 stdout, 2 stderr; 0 stdin is shown as stdout), as the Engine API documents for attach and
 * logs. Lines are split on `\n`, `\r\n` and a lone `\r` (progress bars such as tqdm redraw their
 * line with `\r`), per stream, and cut at `MAX_LINE_CHARS` so a model printing without newlines
 * cannot grow the agent's memory.
 *
 * @example
 * ```ts
 * await readLines(await engine.logs(id), (stream, line) => console.log(stream, line));
 * ```
 */

export type StreamName = "stdout" | "stderr";

/** Longer lines are cut (the rest comes as the next line): progress lines are short. */
export const MAX_LINE_CHARS = 4096;

/** Calls `onLine` for each line of each stream; resolves when the stream ends. */
export async function readLines(
  body: ReadableStream<Uint8Array>,
  onLine: (stream: StreamName, line: string) => void,
): Promise<void> {
  const splitters = {
    stdout: new LineSplitter((line) => onLine("stdout", line)),
    stderr: new LineSplitter((line) => onLine("stderr", line)),
  };
  for await (const frame of demultiplex(body)) {
    splitters[frame.stream].push(frame.payload);
  }
  splitters.stdout.end();
  splitters.stderr.end();
}

export interface Frame {
  stream: StreamName;
  payload: Uint8Array;
}

/** The frames of a multiplexed stream, payloads as views into the chunks where they fit. */
export async function* demultiplex(body: ReadableStream<Uint8Array>): AsyncGenerator<Frame> {
  // Bytes of a frame that straddles chunks; most frames sit inside one chunk and are not copied.
  let carry = new Uint8Array(0);
  for await (const chunk of body) {
    let data = chunk;
    if (carry.length > 0) {
      data = new Uint8Array(carry.length + chunk.length);
      data.set(carry);
      data.set(chunk, carry.length);
    }
    let at = 0;
    while (data.length - at >= 8) {
      const size = ((data[at + 4]! << 24) >>> 0) + (data[at + 5]! << 16) + (data[at + 6]! << 8) +
        data[at + 7]!;
      if (data.length - at - 8 < size) break;
      const stream: StreamName = data[at] === 2 ? "stderr" : "stdout";
      yield { stream, payload: data.subarray(at + 8, at + 8 + size) };
      at += 8 + size;
    }
    carry = data.slice(at);
  }
  if (carry.length > 0) throw new Error(`the engine's stream ended inside a frame`);
}

/** Bytes in, whole lines out (UTF-8, split across chunks safely). */
export class LineSplitter {
  readonly #decoder = new TextDecoder();
  readonly #onLine: (line: string) => void;
  #partial = "";
  /** The last chunk ended with `\r`: a `\n` starting the next one belongs to it. */
  #afterCr = false;

  constructor(onLine: (line: string) => void) {
    this.#onLine = onLine;
  }

  push(bytes: Uint8Array): void {
    this.#take(this.#decoder.decode(bytes, { stream: true }));
  }

  end(): void {
    this.#take(this.#decoder.decode());
    if (this.#partial) this.#onLine(this.#partial);
    this.#partial = "";
  }

  #take(text: string): void {
    let start = 0;
    if (this.#afterCr && text.startsWith("\n")) start = 1;
    this.#afterCr = false;
    for (let i = start; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      this.#emit(this.#partial + text.slice(start, i));
      this.#partial = "";
      if (c === 13) {
        if (i + 1 === text.length) this.#afterCr = true;
        else if (text.charCodeAt(i + 1) === 10) i++;
      }
      start = i + 1;
    }
    this.#partial += text.slice(start);
    while (this.#partial.length > MAX_LINE_CHARS) {
      this.#onLine(this.#partial.slice(0, MAX_LINE_CHARS));
      this.#partial = this.#partial.slice(MAX_LINE_CHARS);
    }
  }

  #emit(line: string): void {
    for (let at = 0; at < line.length; at += MAX_LINE_CHARS) {
      this.#onLine(line.slice(at, at + MAX_LINE_CHARS));
    }
    if (line.length === 0) this.#onLine("");
  }
}
