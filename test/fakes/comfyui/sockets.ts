/**
 * The fake's `/ws?clientId=` connections: sends JSON messages to one client or to all, and
 * binary preview frames in the two recorded layouts:
 * - type 1 (clients without feature flags): `[u32 BE 1][u32 BE format: 1 = JPEG][jpeg]`;
 * - type 4 (after `feature_flags` with `supports_preview_metadata`):
 *   `[u32 BE 4][u32 BE metadata length][metadata JSON][jpeg]`.
 */

export interface PreviewMetadata {
  node_id: string;
  prompt_id: string;
  display_node_id: string;
  parent_node_id: null;
  real_node_id: string;
  image_type: "image/jpeg";
}

interface Client {
  socket: WebSocket;
  previewMetadata: boolean;
}

export function encodeLegacyPreview(jpeg: Uint8Array): Uint8Array {
  const frame = new Uint8Array(8 + jpeg.length);
  const view = new DataView(frame.buffer);
  view.setUint32(0, 1);
  view.setUint32(4, 1);
  frame.set(jpeg, 8);
  return frame;
}

export function encodeMetadataPreview(jpeg: Uint8Array, metadata: PreviewMetadata): Uint8Array {
  // Python's json.dumps spacing, so the metadata length matches the recorded frames.
  const json = new TextEncoder().encode(
    JSON.stringify(metadata).replaceAll('":', '": ').replaceAll(',"', ', "'),
  );
  const frame = new Uint8Array(8 + json.length + jpeg.length);
  const view = new DataView(frame.buffer);
  view.setUint32(0, 4);
  view.setUint32(4, json.length);
  frame.set(json, 8);
  frame.set(jpeg, 8 + json.length);
  return frame;
}

export class Sockets {
  readonly #clients = new Map<string, Client>();

  constructor(readonly serverFlags: Record<string, unknown>) {}

  get size(): number {
    return this.#clients.size;
  }

  /** Registers a socket under its client id (a reconnect replaces the old one). */
  add(sid: string, socket: WebSocket, onOpen: () => void): void {
    socket.onopen = () => {
      this.#clients.set(sid, { socket, previewMetadata: false });
      onOpen();
    };
    socket.onclose = () => {
      if (this.#clients.get(sid)?.socket === socket) this.#clients.delete(sid);
    };
    socket.onmessage = (event) => {
      if (typeof event.data !== "string") return;
      try {
        const message = JSON.parse(event.data) as { type?: string; data?: Record<string, unknown> };
        if (message.type !== "feature_flags") return;
        const client = this.#clients.get(sid);
        if (client) client.previewMetadata = message.data?.supports_preview_metadata === true;
        this.send("feature_flags", this.serverFlags, sid);
      } catch {
        // ComfyUI logs and ignores messages it cannot parse.
      }
    };
  }

  /** JSON message to one client (when `sid` is given) or to every client. */
  send(type: string, data: unknown, sid?: string | null): void {
    const text = JSON.stringify({ type, data });
    if (sid === undefined || sid === null) {
      for (const client of this.#clients.values()) trySend(client.socket, text);
    } else {
      const client = this.#clients.get(sid);
      if (client) trySend(client.socket, text);
    }
  }

  /** Whether the client asked for type-4 previews (decides the frame layout and order). */
  wantsMetadata(sid: string): boolean {
    return this.#clients.get(sid)?.previewMetadata ?? false;
  }

  sendPreview(sid: string, jpeg: Uint8Array, metadata: PreviewMetadata): void {
    const client = this.#clients.get(sid);
    if (!client) return;
    const frame = client.previewMetadata
      ? encodeMetadataPreview(jpeg, metadata)
      : encodeLegacyPreview(jpeg);
    trySend(client.socket, frame);
  }

  /** Drops every connection, as a ComfyUI process exit does. */
  closeAll(): void {
    for (const client of this.#clients.values()) {
      try {
        client.socket.close(1001, "server going away");
      } catch {
        // already closing
      }
    }
    this.#clients.clear();
  }
}

function trySend(socket: WebSocket, data: string | Uint8Array): void {
  if (socket.readyState !== WebSocket.OPEN) return;
  socket.send(data as string);
}
