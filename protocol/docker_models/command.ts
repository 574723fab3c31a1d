/**
 * A model config's command: an argv template whose `{placeholders}` are filled from the job. No
 * shell ever sees it: the engine runs the argv as given, so each value lands in exactly one argv
 * element whatever it holds (quotes, `;`, `$(…)`, backticks, newlines).
 *
 * A placeholder is an element of its own (`"--prompt", "{prompt}"`) or ends an option written
 * with `=` (`"--prompt={prompt}"`): the program's parser then reads everything after `=` as the
 * value, so a prompt that starts with `-` can never pass for an option. Anywhere else
 * (`"{prompt}.png"`, `"a {prompt} b"`, `"{a}{b}"`) the template is refused: a value glued into a
 * larger element is how argument splitting and injection start in programs that re-split it.
 *
 * Placeholders: a parameter of the node type (`{prompt}`, `{steps}`, `{seed}`), an input's path
 * in the container (`{inputs.reference}`), and `{outputs}` (the job's output folder, /outputs).
 *
 * @example
 * ```ts
 * renderCommand(["python", "run.py", "--prompt={prompt}", "--out", "{outputs}"], values);
 * // ["python", "run.py", "--prompt=a red door", "--out", "/outputs"]
 * ```
 */

/** Where the job's output folder is mounted in every container. */
export const OUTPUTS_DIR = "/outputs";

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_-]*)?)\}/g;
const OPTION_PREFIX = /^--?[A-Za-z0-9][A-Za-z0-9_.-]*=$/;

export interface Placeholder {
  /** The element's index in the command. */
  index: number;
  /** The name inside the braces: "prompt", "inputs.reference", "outputs". */
  name: string;
  /** What comes before it in its element: "" or an option with `=` ("--prompt="). */
  prefix: string;
}

/**
 * The placeholders of a command, checked for position; throws naming the element when one sits
 * inside a larger element.
 */
export function placeholders(command: readonly string[]): Placeholder[] {
  const found: Placeholder[] = [];
  command.forEach((element, index) => {
    const matches = [...element.matchAll(PLACEHOLDER)];
    if (matches.length === 0) return;
    const only = matches[0]!;
    const prefix = element.slice(0, only.index);
    const whole = matches.length === 1 && only.index + only[0].length === element.length &&
      (prefix === "" || OPTION_PREFIX.test(prefix));
    if (!whole) {
      throw new CommandError(
        `command.${index}: "${element}" puts ${only[0]} inside a larger argument, where a value ` +
          `could split or change it; give it an element of its own ("--flag", "${only[0]}") or ` +
          `end an option with it ("--flag=${only[0]}")`,
      );
    }
    found.push({ index, name: only[1]!, prefix });
  });
  return found;
}

export class CommandError extends Error {
  override name = "CommandError";
}

/** The argv with every placeholder replaced by its value (already checked by `placeholders`). */
export function renderCommand(
  command: readonly string[],
  values: ReadonlyMap<string, string>,
): string[] {
  const argv = [...command];
  for (const { index, name, prefix } of placeholders(command)) {
    const value = values.get(name);
    if (value === undefined) throw new CommandError(`command.${index}: no value for {${name}}`);
    argv[index] = prefix + value;
  }
  return argv;
}

/** A job parameter as one argv string: text as is, numbers and booleans as JSON writes them. */
export function argText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "boolean") return String(value);
  return undefined;
}
