/**
 * The worked examples of gpu-agent/README.md ("Adding a template", "A Gradio app"), read from the
 * README itself, so the documented templates are the ones the tests load and run.
 */
const README = new URL("../../gpu-agent/README.md", import.meta.url);

/** The example's files by name (`image.generate.low.turbo.binding.json`, ...). */
export async function readmeTemplateFiles(): Promise<Record<string, string>> {
  const text = await Deno.readTextFile(README);
  const files: Record<string, string> = {};
  for (
    const match of text.matchAll(/^```json (\S+\.(?:binding|workflow)\.json)\n([\s\S]*?)^```$/gm)
  ) {
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

/** The Gradio template example: its file name and its JSON. */
export async function readmeGradioTemplate(): Promise<{ name: string; value: unknown }> {
  const text = await Deno.readTextFile(README);
  const match = /^```json (\S+)\.gradio\.json\n([\s\S]*?)^```$/m.exec(text);
  if (!match) throw new Error("the README's Gradio template example is not there");
  return { name: match[1]!, value: JSON.parse(match[2]!) };
}
