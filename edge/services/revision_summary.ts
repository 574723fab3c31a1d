/**
 * History in words: what a graph revision changed, computed from the difference between it and
 * the revision before, and who made it ("Ben moved 3 nodes, changed the prompt of Shot
 * SHOT-010"). The room stores revisions as whole graphs with their authors, so the words follow
 * from any two revisions, old ones included; when several people's edits went into one
 * revision, they are named together.
 *
 * @example
 * ```ts
 * describeRevision({ before, after, authors: ["Ben"], message: "Live edits 4-9 on the canvas" });
 * // "Ben moved 3 nodes, changed the prompt of Shot SHOT-010"
 * ```
 */
import type { Graph, GraphNode } from "../../protocol/graph.ts";
import { nodeType } from "../../protocol/nodes.ts";
import { paramRules } from "../../protocol/param_rules.ts";

/** At most this many nodes are named one by one in a phrase; more are counted. */
const NAMED = 2;

/** "Shot SHOT-010" for a node still called after its type, else `Shot "Opening"`. */
export function nodeLabel(node: GraphNode): string {
  const typeTitle = nodeType(node.type)?.title ?? node.type;
  if (node.title && node.title !== typeTitle) return `${typeTitle} "${node.title}"`;
  // A node that never set its shot files under the catalog's default one.
  const shot = node.params["shot"] ??
    paramRules(node.type).find((rule) => rule.key === "shot")?.default;
  return typeof shot === "string" ? `${typeTitle} ${shot}` : typeTitle;
}

/** "negativePrompt" → "negative prompt". */
function fieldWords(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
}

/** "a", "a and b", "a, b and c". */
export function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "added Shot SHOT-010", or "added 4 nodes". */
function nodesPhrase(verb: string, nodes: GraphNode[], named = NAMED): string[] {
  if (nodes.length === 0) return [];
  if (nodes.length <= named) return [`${verb} ${listWords(nodes.map(nodeLabel))}`];
  return [`${verb} ${count(nodes.length, "node")}`];
}

/** The changes from `before` to `after`, as phrases in a fixed order. */
export function graphChanges(before: Graph, after: Graph): string[] {
  const added = Object.values(after.nodes).filter((n) => !before.nodes[n.id]);
  const removed = Object.values(before.nodes).filter((n) => !after.nodes[n.id]);
  const kept = Object.values(after.nodes).flatMap((n) => {
    const old = before.nodes[n.id];
    return old ? [{ old, now: n }] : [];
  });
  const moved = kept.filter(({ old, now }) => old.x !== now.x || old.y !== now.y).map((k) => k.now);
  const renamed = kept.filter(({ old, now }) => old.title !== now.title);
  const edited = kept.flatMap(({ old, now }) => {
    const keys = new Set([...Object.keys(old.params), ...Object.keys(now.params)]);
    const fields = [...keys].filter((k) =>
      JSON.stringify(old.params[k]) !== JSON.stringify(now.params[k])
    );
    return fields.length > 0 ? [{ node: now, fields }] : [];
  });
  const label = (graph: Graph, id: string) => {
    const node = graph.nodes[id];
    return node ? nodeLabel(node) : "a deleted node";
  };
  const connected = Object.values(after.edges).filter((e) => !before.edges[e.id]);
  const disconnected = Object.values(before.edges).filter((e) => !after.edges[e.id]);

  const phrases = [
    ...nodesPhrase("added", added),
    ...nodesPhrase("deleted", removed),
    // A drag moves many nodes at once: named only when it is one.
    ...nodesPhrase("moved", moved, 1),
  ];
  if (renamed.length > NAMED) phrases.push(`renamed ${count(renamed.length, "node")}`);
  else {
    for (const { old, now } of renamed) phrases.push(`renamed ${nodeLabel(old)} to "${now.title}"`);
  }
  if (edited.length > NAMED) {
    phrases.push(`changed the settings of ${count(edited.length, "node")}`);
  } else {
    for (const { node, fields } of edited) {
      const words = fields.length > 3
        ? [...fields.slice(0, 2).map(fieldWords), `${fields.length - 2} more`]
        : fields.map(fieldWords);
      phrases.push(`changed the ${listWords(words)} of ${nodeLabel(node)}`);
    }
  }
  if (connected.length === 1) {
    const e = connected[0]!;
    phrases.push(`connected ${label(after, e.from.node)} to ${label(after, e.to.node)}`);
  } else if (connected.length > 1) phrases.push(`made ${count(connected.length, "connection")}`);
  if (disconnected.length === 1) {
    const e = disconnected[0]!;
    phrases.push(
      `disconnected ${label(before, e.from.node)} from ${label(before, e.to.node)}`,
    );
  } else if (disconnected.length > 1) {
    phrases.push(`removed ${count(disconnected.length, "connection")}`);
  }
  phrases.push(...cutChanges(before, after));
  return phrases;
}

/** "made the cut "Main"", "edited the cut "Trailer"", "deleted the cut "Old"". */
function cutChanges(before: Graph, after: Graph): string[] {
  const phrases: string[] = [];
  const was = before.cuts ?? {};
  const now = after.cuts ?? {};
  for (const cut of Object.values(now)) {
    const old = was[cut.id];
    if (!old) phrases.push(`made the cut "${cut.name}"`);
    else if (JSON.stringify(old) !== JSON.stringify(cut)) {
      phrases.push(`edited the cut "${cut.name}"`);
    }
  }
  for (const cut of Object.values(was)) {
    if (!now[cut.id]) phrases.push(`deleted the cut "${cut.name}"`);
  }
  return phrases;
}

/**
 * One history line. `before` is the revision before (null for the first), `authors` the names
 * of whoever's edits it holds, `message` what the room called it (a revert says which).
 */
export function describeRevision(entry: {
  before: Graph | null;
  after: Graph;
  authors: readonly string[];
  message: string;
}): string {
  const who = entry.authors.length > 0 ? listWords(entry.authors) : "Someone";
  const changes = graphChanges(entry.before ?? { nodes: {}, edges: {} }, entry.after);
  const what = changes.length > 0 ? changes.join(", ") : "changed nothing on the canvas";
  const revert = /^Revert to revision (\d+)/.exec(entry.message);
  if (revert) return `${who} reverted the canvas to revision ${revert[1]}: ${what}`;
  return `${who} ${what}`;
}
