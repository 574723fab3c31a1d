/**
 * Security headers on every answer (pages, API, blobs), through Hono's `secureHeaders`: a strict
 * Content-Security-Policy for the web app (only our own scripts and styles, no inline script;
 * sockets only to ourselves and the room server; images and media only from ourselves and the
 * blob store, which the studio also uploads reference images to), no framing, `nosniff`, and a referrer that never leaves with a path.
 */
import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";

export interface SecurityOrigins {
  /** The room server browsers open sockets to (`ROOM_URL`, http or https). */
  roomUrl: string;
  /** Where browsers load takes from (the blob store's `browserOrigin`). */
  blobOrigin: string;
}

export function securityHeaders({ roomUrl, blobOrigin }: SecurityOrigins): MiddlewareHandler {
  const room = new URL(roomUrl);
  // CSP's `http:` sources do not match `ws:` URLs: name the socket origin as well.
  const roomSocket = `${room.protocol === "https:" ? "wss:" : "ws:"}//${room.host}`;
  const media = unique(["'self'", blobOrigin]);
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      // The blob store too: the studio PUTs asset reference images to it (presigned).
      connectSrc: unique(["'self'", room.origin, roomSocket, blobOrigin]),
      imgSrc: media,
      mediaSrc: media,
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: "DENY",
    referrerPolicy: "strict-origin-when-cross-origin",
  });
}

function unique(sources: string[]): string[] {
  return [...new Set(sources)];
}
