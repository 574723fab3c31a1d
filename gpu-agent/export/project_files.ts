/**
 * The files of a project's current state in the production folder convention, as
 * `GET /api/projects/:id/structure` names them: every version of each asset, as its history
 * (`GET …/assets/:id/versions`) has them, under the asset's current name as
 * `assets/{characters|styles|locations}/{name}/v{N}/` (`description.txt`, `params.json`,
 * `reference_01.png`...), each take as `renders/{SCENE}/{SHOT}/v{NN}/{SHOT}_v{NN}_take{NN}.{ext}`,
 * and each cut's OTIO and EDL under `cuts/{name}/` when the studio has cut routes.
 */
import type { EdgeReader } from "./edge_reader.ts";

export interface TreeNode {
  name: string;
  kind: "folder" | "asset" | "take";
  id?: string;
  children?: TreeNode[];
}

/**
 * One file to write: its text, or a signed URL to fetch it from, with its SHA-256 when the studio
 * says it, and for an object that never changes (a reference image) its storage key.
 */
export type ProjectFile =
  & { path: string }
  & ({ text: string } | { url: string; sha256: string | null; key?: string });

interface VersionsAnswer {
  versions: Array<{
    version: number;
    description: string;
    params: Record<string, unknown>;
    referenceImages: Array<{ key: string; url: string }>;
  }>;
  unreadable: Array<{ version: number; reason: string }>;
}
interface TakeAnswer {
  id: string;
  url: string;
  sha256: string;
}

/** Everything under assets/, renders/ and cuts/, and a note for each step it skipped. */
export async function projectFiles(
  edge: EdgeReader,
  projectId: string,
  say: (line: string) => void,
): Promise<ProjectFile[]> {
  const base = `/api/projects/${projectId}`;
  const { tree } = (await edge.json<{ tree: TreeNode }>(`${base}/structure`))!;
  const { takes } = (await edge.json<{ takes: TakeAnswer[] }>(`${base}/takes`))!;
  const takeById = new Map(takes.map((t) => [t.id, t]));
  const files: ProjectFile[] = [];
  const used = new Set<string>();
  const walk = async (node: TreeNode, parent: string[]) => {
    const path = uniquePath(used, [...parent, safeName(node.name)], node.id);
    if (node.kind === "asset" && node.id) {
      // The tree names the current version's folder; its history goes beside it (in a folder
      // of its own, with the asset's id, when another asset's name cleans up to the same one).
      const clash = path !== [...parent, safeName(node.name)].join("/");
      const folder = parent.join("/") + (clash ? `-${node.id.slice(0, 8)}` : "");
      const answer = (await edge.json<VersionsAnswer>(`${base}/assets/${node.id}/versions`))!;
      for (const bad of answer.unreadable) {
        say(`${folder}/v${bad.version} skipped: the studio cannot read it (${bad.reason})`);
      }
      for (const version of answer.versions) {
        const at = `${folder}/v${version.version}`;
        files.push({ path: `${at}/description.txt`, text: version.description + "\n" });
        files.push({ path: `${at}/params.json`, text: jsonFile(version.params) });
        version.referenceImages.forEach((image, i) => {
          const ext = image.key.split(".").pop() ?? "png";
          const name = safeName(`reference_${String(i + 1).padStart(2, "0")}.${ext}`);
          files.push({ path: `${at}/${name}`, url: image.url, sha256: null, key: image.key });
        });
      }
    } else if (node.kind === "take" && node.id) {
      const take = takeById.get(node.id);
      if (take) files.push({ path, url: take.url, sha256: take.sha256 });
    }
    for (const child of node.children ?? []) await walk(child, path.split("/"));
  };
  // The tree's root is the project's own folder: the export folder itself.
  for (const child of tree.children ?? []) await walk(child, []);
  files.push(...await cutFiles(edge, base, used, say));
  return files;
}

/**
 * Cuts, when the studio serves them (`GET …/cuts`, each cut's `…/otio` and `…/edl`): a studio
 * without cut routes answers 404 and the step is skipped with a note.
 */
async function cutFiles(
  edge: EdgeReader,
  base: string,
  used: Set<string>,
  say: (line: string) => void,
): Promise<ProjectFile[]> {
  const answer = await edge.json<{ cuts?: Array<{ id: string; name: string }> }>(`${base}/cuts`, {
    missingOk: true,
    what: "the cuts",
  });
  if (!answer) {
    say("cuts skipped: this studio has no cut routes (GET /cuts answered 404)");
    return [];
  }
  if (!Array.isArray(answer.cuts)) {
    // The cut routes are newer than this export (edge/API.md): better a note than a failure.
    say("cuts skipped: GET /cuts answered without a `cuts` list this export can read");
    return [];
  }
  const files: ProjectFile[] = [];
  for (const cut of answer.cuts) {
    const name = safeName(cut.name);
    const folder = uniquePath(used, ["cuts", name], cut.id);
    for (const format of ["otio", "edl"] as const) {
      // `?relative=1`: the OTIO's media point at this export's own renders/ paths, not at
      // download URLs that expire (and would make every rerun a new commit).
      const query = format === "otio" ? "?relative=1" : "";
      const path = `${base}/cuts/${cut.id}/${format}${query}`;
      const text = await edge.text(path, `cut ${cut.name} ${format}`);
      if (text !== null) files.push({ path: `${folder}/${name}.${format}`, text });
    }
  }
  return files;
}

/**
 * A name from the studio as one path segment: names are what users typed, so a `/`, a `..` or
 * a `.git` must never reach outside its folder or into the repository's own files.
 */
export function safeName(name: string): string {
  // deno-lint-ignore no-control-regex
  const cleaned = name.replace(/[\/\\:*?"<>|\u0000-\u001f]/g, "_").trim();
  if (cleaned === "" || /^\.+$/.test(cleaned)) return "_";
  return cleaned.startsWith(".") ? `_${cleaned}` : cleaned;
}

/** The joined path, made unique with the thing's id when two names clean up to the same one. */
function uniquePath(used: Set<string>, segments: string[], id: string | undefined): string {
  let path = segments.join("/");
  if (id !== undefined && used.has(path)) path = `${path}-${id.slice(0, 8)}`;
  if (id !== undefined) used.add(path);
  return path;
}

export function jsonFile(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}
