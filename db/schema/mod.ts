/** The whole database schema; drizzle-kit generates migrations from this module. */
export * from "./accounts.ts";
export * from "./assets.ts";
export * from "./fleet.ts";
export * from "./history.ts";
export * from "./projects.ts";
export * from "./jobs.ts";
export * from "./limits.ts";
export * from "./review.ts";
