/**
 * A small HTTP/1.1 keep-alive client for the load generator: one connection, one request at a
 * time. `fetch` costs the generator about as much CPU as the edge spends on a cheap route, and
 * both share the machine's cores; this one writes the request in one call and reads the answer
 * with a reused buffer. It reads bodies sized by `content-length` or sent chunked, and counts
 * the body's bytes without decoding them.
 */
const CRLF = [13, 10];
const CRLF2 = [13, 10, 13, 10];
const decoder = new TextDecoder();
const encoder = new TextEncoder();

export interface Http1Response {
  status: number;
  /** The body's length in bytes. */
  bytes: number;
}

export class Http1Connection {
  #conn: Deno.TcpConn;
  #buffer = new Uint8Array(64 * 1024);
  /** Bytes read but not yet parsed: `#buffer[#start, #end)`. */
  #start = 0;
  #end = 0;

  private constructor(conn: Deno.TcpConn, readonly host: string) {
    this.#conn = conn;
  }

  static async open(base: string): Promise<Http1Connection> {
    const url = new URL(base);
    const conn = await Deno.connect({ hostname: url.hostname, port: Number(url.port) });
    conn.setNoDelay(true);
    return new Http1Connection(conn, url.host);
  }

  async request(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: string,
  ): Promise<Http1Response> {
    const payload = body === undefined ? undefined : encoder.encode(body);
    let head = `${method} ${path} HTTP/1.1\r\nhost: ${this.host}\r\n`;
    for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
    head += `content-length: ${payload?.length ?? 0}\r\n\r\n`;
    const headBytes = encoder.encode(head);
    const out = payload ? new Uint8Array(headBytes.length + payload.length) : headBytes;
    if (payload) {
      out.set(headBytes);
      out.set(payload, headBytes.length);
    }
    for (let written = 0; written < out.length;) {
      written += await this.#conn.write(out.subarray(written));
    }
    const headEnd = await this.#until(CRLF2);
    const text = decoder.decode(this.#buffer.subarray(this.#start, headEnd));
    this.#start = headEnd + 4;
    const status = Number(text.slice(9, 12));
    const length = text.match(/\r\ncontent-length:\s*(\d+)/i)?.[1];
    if (length !== undefined) return { status, bytes: await this.#skip(Number(length)) };
    if (/\r\ntransfer-encoding:\s*chunked/i.test(text)) {
      return { status, bytes: await this.#chunked() };
    }
    throw new Error(`response without a length: ${text.split("\r\n")[0]}`);
  }

  close(): void {
    this.#conn.close();
  }

  /** Reads until `needle` is in the unparsed bytes; returns where it starts. */
  async #until(needle: number[]): Promise<number> {
    let scanned = 0; // unparsed bytes known not to start a match
    while (true) {
      const at = indexOf(this.#buffer, needle, this.#start + scanned, this.#end);
      if (at >= 0) return at;
      scanned = Math.max(0, this.#end - this.#start - (needle.length - 1));
      await this.#fill();
    }
  }

  async #fill(): Promise<void> {
    if (this.#start > 0) {
      this.#buffer.copyWithin(0, this.#start, this.#end);
      this.#end -= this.#start;
      this.#start = 0;
    }
    if (this.#end === this.#buffer.length) {
      const bigger = new Uint8Array(this.#buffer.length * 2);
      bigger.set(this.#buffer);
      this.#buffer = bigger;
    }
    const n = await this.#conn.read(this.#buffer.subarray(this.#end));
    if (n === null) throw new Error("connection closed by the server");
    this.#end += n;
  }

  async #skip(count: number): Promise<number> {
    let left = count;
    while (left > 0) {
      if (this.#start === this.#end) await this.#fill();
      const take = Math.min(left, this.#end - this.#start);
      this.#start += take;
      left -= take;
    }
    return count;
  }

  async #chunked(): Promise<number> {
    let total = 0;
    while (true) {
      const lineEnd = await this.#until(CRLF);
      const size = parseInt(decoder.decode(this.#buffer.subarray(this.#start, lineEnd)), 16);
      this.#start = lineEnd + 2;
      await this.#skip(size + 2); // the chunk and its CRLF (the last chunk: just the CRLF)
      if (size === 0) return total;
      total += size;
    }
  }
}

function indexOf(bytes: Uint8Array, needle: number[], from: number, end: number): number {
  outer: for (let i = from; i <= end - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
