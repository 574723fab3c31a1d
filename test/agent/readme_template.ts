/**
 * The worked example of gpu-agent/README.md ("Adding a template"), read from the README itself,
 * so the documented template is the one the tests load and run.
 */
const README = new URL("../../gpu-agent/README.md", import.meta.url);

/** The example's files by name (`image.generate.low.turbo.binding.json`, ...). */
export async function readmeTemplateFiles(): Promise<Record<string, string>> {
  const text = await Deno.readTextFile(README);
  const files: Record<string, string> = {};
  for (const match of text.matchAll(/^```json (\S+\.json)\n([\s\S]*?)^```$/gm)) {
    files[match[1]!] = match[2]!;
  }
  if (Object.keys(files).length !== 2) {
    throw new Error("the README's template example is not there");
  }
  return files;
}

/** Writes the README's example into `dir`. */
export async function writeReadmeTemplate(dir: string): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(await readmeTemplateFiles())) {
    await Deno.writeTextFile(`${dir}/${name}`, text);
  }
}
