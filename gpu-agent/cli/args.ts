/**
 * A small, strict argv parser: `<command> [operand] --flag value --switch`, also `--flag=value`. Unknown
 * flags and missing values are usage errors naming the flag (node:util's parseArgs phrases
 * them for programmers, not for users).
 */
import { CliError } from "./cli_error.ts";

export type FlagSpec = Record<
  string,
  { type: "string" | "boolean"; description: string; valueName?: string }
>;

export interface ParsedArgs {
  command: string | null;
  /** Words after the command (only `export DIR` takes one; the dispatcher refuses the rest). */
  operands: string[];
  flags: Record<string, string | boolean>;
}

export function parseArgs(argv: readonly string[], spec: FlagSpec): ParsedArgs {
  const flags: Record<string, string | boolean> = {};
  let command: string | null = null;
  const operands: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("-")) {
      if (command === null) command = arg;
      else operands.push(arg);
      continue;
    }
    if (arg === "-h") {
      flags.help = true;
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const def = arg.startsWith("--") ? spec[name] : undefined;
    if (!def) {
      throw new CliError(
        `unknown flag ${arg.split("=")[0]}`,
        undefined,
        "see --help for the flags",
      );
    }
    if (def.type === "boolean") {
      if (eq >= 0) throw new CliError(`--${name} takes no value`);
      flags[name] = true;
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith("--"))) {
      throw new CliError(`--${name} needs a value (--${name} ${def.valueName ?? "VALUE"})`);
    }
    flags[name] = value;
  }
  return { command, operands, flags };
}
