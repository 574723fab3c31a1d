/**
 * Which other nodes file their takes under the same scene, shot and version as a node, so the
 * inspector can say that each numbers its own takes and files under its own letter
 * (`SHOT-010B`, edge/services/jobs/take_numbers.ts) rather than leave two "take01"s unexplained.
 */
import type { Graph, GraphNode } from "../../../protocol/graph.ts";
import { isExecutable, nodeType } from "../../../protocol/nodes.ts";
import { paramRules } from "../../../protocol/param_rules.ts";

/** A node's scene / shot / version, with the catalog's defaults where it set none. */
export function namingOf(node: GraphNode): { scene: string; shot: string; version: number } | null {
  const rules = paramRules(node.type);
  const value = (key: string) => node.params[key] ?? rules.find((r) => r.key === key)?.default;
  const scene = value("scene"), shot = value("shot"), version = value("version");
  if (typeof scene !== "string" || typeof shot !== "string" || typeof version !== "number") {
    return null;
  }
  return { scene, shot, version };
}

/** The other runnable nodes that file under the same scene, shot and version as `nodeId`. */
export function sharingNaming(graph: Graph, nodeId: string): GraphNode[] {
  const node = graph.nodes[nodeId];
  const mine = node && namingOf(node);
  if (!mine) return [];
  return Object.values(graph.nodes).filter((other) => {
    if (other.id === nodeId) return false;
    const def = nodeType(other.type);
    const theirs = def && isExecutable(def) ? namingOf(other) : null;
    return theirs !== null && theirs.scene === mine.scene && theirs.shot === mine.shot &&
      theirs.version === mine.version;
  });
}
