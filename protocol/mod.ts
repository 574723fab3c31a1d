/** What crosses a boundary between edge, room, agent and web app. No I/O here. */
export * from "./graph.ts";
export * from "./nodes.ts";
export * from "./room_ticket.ts";
export * from "./tiers.ts";
