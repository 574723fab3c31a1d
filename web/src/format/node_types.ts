/**
 * The node catalog as people search and read it: category titles, the types matching what was
 * typed, and a type's tooltip ("Text to video for one shot. 5 inputs → 1 output").
 */
import { NODE_TYPES, type NodeTypeDef } from "../../../protocol/nodes.ts";

export const CATEGORY_TITLES: Record<string, string> = {
  generation: "Generate",
  processing: "Process",
  asset: "Assets",
  control: "Control",
};

const ALL = Object.values(NODE_TYPES);

/** Node types matching what was typed (title, type or description), in catalog order. */
export function matchingTypes(query: string): NodeTypeDef[] {
  const q = query.trim().toLowerCase();
  return ALL.filter((def) =>
    q === "" || def.title.toLowerCase().includes(q) || def.type.includes(q) ||
    def.description.toLowerCase().includes(q)
  );
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function typeTooltip(def: NodeTypeDef): string {
  return `${def.description} ${plural(def.inputs.length, "input")} → ${
    plural(def.outputs.length, "output")
  }`;
}
