/** A `Logger` for tests that keeps every line, so a test can assert what a user would read. */
import type { Logger, LogLevel } from "./logger.ts";

export class MemoryLogger implements Logger {
  readonly lines: { level: LogLevel; message: string }[] = [];

  info(message: string): void {
    this.lines.push({ level: "info", message });
  }
  warn(message: string): void {
    this.lines.push({ level: "warn", message });
  }
  error(message: string): void {
    this.lines.push({ level: "error", message });
  }

  /** Lines whose message contains `text` (or matches it). */
  matching(text: string | RegExp): string[] {
    return this.lines.filter((l) =>
      typeof text === "string" ? l.message.includes(text) : text.test(l.message)
    ).map((l) => l.message);
  }
}
