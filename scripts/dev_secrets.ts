/**
 * Secrets for local development: made at random on first run and kept in `.data/` (git-ignored),
 * so signed URLs and room tickets survive restarts but no secret is ever in the repository.
 * Values already set in the environment win.
 */
const NAMES = ["ROOM_SECRET", "BLOB_SECRET"] as const;

function random(): string {
  return Array.from(
    crypto.getRandomValues(new Uint8Array(32)),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
}

export async function devSecrets(path: string): Promise<Record<typeof NAMES[number], string>> {
  let stored: Record<string, string> = {};
  try {
    stored = JSON.parse(await Deno.readTextFile(path));
  } catch { /* first run */ }
  let changed = false;
  for (const name of NAMES) {
    if (!stored[name]) {
      stored[name] = random();
      changed = true;
    }
  }
  if (changed) {
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(path, JSON.stringify(stored, null, 2), { mode: 0o600 });
  }
  const pick = (name: typeof NAMES[number]) => Deno.env.get(name) ?? stored[name]!;
  return { ROOM_SECRET: pick("ROOM_SECRET"), BLOB_SECRET: pick("BLOB_SECRET") };
}
