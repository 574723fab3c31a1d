/**
 * A uniform grid over world space. Each item is filed under every cell its bounds touch, so a
 * point or rectangle query looks at a handful of cells instead of every node and edge. With
 * hundreds of items and cells about a node wide this keeps hit tests well under a millisecond.
 */
import { type Point, type Rect, rectContains, rectsIntersect } from "./viewport.ts";

const MAX_CELLS_PER_ITEM = 256;

export class SpatialIndex {
  readonly #cellSize: number;
  readonly #cells = new Map<string, Set<string>>();
  readonly #bounds = new Map<string, Rect>();
  /** Items too large to file cell by cell (an edge across the whole film); always checked. */
  readonly #oversized = new Set<string>();

  constructor(cellSize = 256) {
    this.#cellSize = cellSize;
  }

  get size(): number {
    return this.#bounds.size;
  }

  /** Adds an item, or moves it if it is already present. */
  set(id: string, bounds: Rect): void {
    this.delete(id);
    this.#bounds.set(id, bounds);
    if (this.#cellCount(bounds) > MAX_CELLS_PER_ITEM) {
      this.#oversized.add(id);
      return;
    }
    for (const key of this.#keys(bounds)) {
      let cell = this.#cells.get(key);
      if (!cell) this.#cells.set(key, cell = new Set());
      cell.add(id);
    }
  }

  delete(id: string): void {
    const old = this.#bounds.get(id);
    if (!old) return;
    this.#bounds.delete(id);
    if (this.#oversized.delete(id)) return;
    for (const key of this.#keys(old)) {
      const cell = this.#cells.get(key);
      cell?.delete(id);
      if (cell?.size === 0) this.#cells.delete(key);
    }
  }

  clear(): void {
    this.#cells.clear();
    this.#bounds.clear();
    this.#oversized.clear();
  }

  bounds(id: string): Rect | undefined {
    return this.#bounds.get(id);
  }

  /** Ids whose bounds contain `p`. */
  queryPoint(p: Point): string[] {
    const s = this.#cellSize;
    const cell = this.#cells.get(this.#key(Math.floor(p.x / s), Math.floor(p.y / s))) ?? [];
    return [...cell, ...this.#oversized].filter((id) => rectContains(this.#bounds.get(id)!, p));
  }

  /** Ids whose bounds intersect `r`. */
  queryRect(r: Rect): string[] {
    const found = new Set<string>();
    for (const id of this.#oversized) if (rectsIntersect(this.#bounds.get(id)!, r)) found.add(id);
    // A huge query (a marquee at tiny zoom) would walk millions of empty cells: walk the filled
    // ones instead, which is correct because results are filtered by bounds anyway.
    const keys = this.#cellCount(r) > this.#cells.size ? this.#cells.keys() : this.#keys(r);
    for (const key of keys) {
      for (const id of this.#cells.get(key) ?? []) {
        if (!found.has(id) && rectsIntersect(this.#bounds.get(id)!, r)) found.add(id);
      }
    }
    return [...found];
  }

  *#keys(r: Rect): Generator<string> {
    const s = this.#cellSize;
    const x0 = Math.floor(r.x / s), x1 = Math.floor((r.x + r.w) / s);
    const y0 = Math.floor(r.y / s), y1 = Math.floor((r.y + r.h) / s);
    for (let cx = x0; cx <= x1; cx++) {
      for (let cy = y0; cy <= y1; cy++) yield this.#key(cx, cy);
    }
  }

  #cellCount(r: Rect): number {
    const s = this.#cellSize;
    return (Math.floor((r.x + r.w) / s) - Math.floor(r.x / s) + 1) *
      (Math.floor((r.y + r.h) / s) - Math.floor(r.y / s) + 1);
  }

  #key(cx: number, cy: number): string {
    return `${cx},${cy}`;
  }
}
