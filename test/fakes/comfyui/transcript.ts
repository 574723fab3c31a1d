/**
 * Test helpers that reduce a `/ws` message to what a transcript comparison should look at: its
 * type, the shape (keys, recursively) of its data, and the values that carry meaning (node ids,
 * steps, states, queue sizes, exception types), leaving out ids and timestamps.
 */

/** One `/ws` message as recorded (`ws[]` entries) or as received. */
export type WsEntry =
  | { type: string; data: Record<string, unknown> }
  | { binary: true; eventType: number; metadata?: Record<string, unknown> };

function shape(value: unknown): unknown {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value as object).sort().map((
        k,
      ) => [k, shape((value as Record<string, unknown>)[k])]),
    );
  }
  return typeof value;
}

function meaning(type: string, data: Record<string, unknown>): unknown {
  switch (type) {
    case "status":
      return (data.status as { exec_info: unknown }).exec_info;
    case "executing":
      return data.node;
    case "execution_cached":
      return data.nodes;
    case "progress":
      return [data.node, data.value, data.max];
    case "progress_state":
      return Object.entries(
        data.nodes as Record<string, { value: number; max: number; state: string }>,
      )
        .map(([id, n]) => `${id}:${n.value}/${n.max}:${n.state}`);
    case "executed": {
      const output = data.output as Record<string, { type: string }[]>;
      return [data.node, Object.keys(output).sort(), output.images?.[0]?.type];
    }
    case "execution_error":
      return [
        data.node_id,
        data.node_type,
        data.exception_type,
        data.exception_message,
        Object.keys(data.current_inputs as object).sort(),
      ];
    case "execution_interrupted":
      return [data.node_id, data.node_type, [...(data.executed as string[])].sort()];
    case "feature_flags":
      return data;
    default:
      return null;
  }
}

/** What two transcripts must agree on, message by message. */
export function describe(entry: WsEntry): unknown {
  if ("binary" in entry) {
    return { binary: entry.eventType, metadata: entry.metadata ? shape(entry.metadata) : null };
  }
  // `status` carries `sid` only in the greeting; its shape is part of what is compared.
  return { type: entry.type, shape: shape(entry.data), meaning: meaning(entry.type, entry.data) };
}

/** Decodes a binary preview frame's header like the recording's `decoded` field. */
export function decodeFrame(bytes: Uint8Array): WsEntry {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eventType = view.getUint32(0);
  if (eventType !== 4) return { binary: true, eventType };
  const length = view.getUint32(4);
  const metadata = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length)));
  return { binary: true, eventType, metadata };
}

/** A `/ws` client that keeps every message and lets a test wait for one. */
export class WsLog {
  readonly entries: WsEntry[] = [];
  readonly rawFrames: Uint8Array[] = [];
  #waiters: { test: (e: WsEntry) => boolean; resolve: () => void }[] = [];
  #closed: Promise<void>;
  readonly socket: WebSocket;

  constructor(url: string, onMessage?: (entry: WsEntry, log: WsLog) => void) {
    this.socket = new WebSocket(url);
    this.socket.binaryType = "arraybuffer";
    this.#closed = new Promise((resolve) => this.socket.addEventListener("close", () => resolve()));
    this.socket.onmessage = (event) => {
      let entry: WsEntry;
      if (typeof event.data === "string") {
        entry = JSON.parse(event.data);
      } else {
        const bytes = new Uint8Array(event.data as ArrayBuffer);
        this.rawFrames.push(bytes);
        entry = decodeFrame(bytes);
      }
      this.entries.push(entry);
      onMessage?.(entry, this);
      this.#waiters = this.#waiters.filter((w) => (w.test(entry) ? (w.resolve(), false) : true));
    };
  }

  /** Resolves at the first message (already received or future) that passes `test`. */
  waitFor(test: (entry: WsEntry) => boolean): Promise<void> {
    if (this.entries.some(test)) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ test, resolve }));
  }

  /** Resolves when the run's closing `executing {node: null}` arrives. */
  done(): Promise<void> {
    return this.waitFor((e) => "type" in e && e.type === "executing" && e.data.node === null);
  }

  async close(): Promise<void> {
    if (this.socket.readyState !== WebSocket.CLOSED) this.socket.close();
    await this.#closed;
  }
}
