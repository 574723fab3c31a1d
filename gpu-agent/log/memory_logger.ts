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

  /** Lines whose message contains `text`. */
  matching(text: string): string[] {
    return this.lines.filter((l) => l.message.includes(text)).map((l) => l.message);
  }
}
