/**
 * The agent's log sink. Everything that reports to people takes a `Logger`, so tests can read
 * what was said and the CLI can decide where it goes (stderr, keeping stdout for output).
 */

export type LogLevel = "info" | "warn" | "error";

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Writes `HH:MM:SS level message` lines to stderr. */
export const consoleLogger: Logger = {
  info: (message) => console.error(_line("info", message)),
  warn: (message) => console.error(_line("warn", message)),
  error: (message) => console.error(_line("error", message)),
};

function _line(level: LogLevel, message: string): string {
  const time = new Date().toISOString().slice(11, 19);
  return `${time} ${level.padEnd(5)} ${message}`;
}
