/**
 * The canvas engine: turns pointer, wheel and key input into viewport moves, selection and typed
 * change objects. It reads the graph through its host and never touches the DOM, so the Solid
 * components are a thin binding and every gesture can be tested with plain calls.
 *
 * @example
 * ```ts
 * const engine = new CanvasEngine({ graph: () => g, apply: (c) => applyChanges(g, c), newId, readOnly: () => false });
 * engine.pointerDown({ x: 10, y: 10 }, { button: 0 });
 * engine.pointerMove({ x: 60, y: 10 });
 * engine.pointerUp({ x: 60, y: 10 });
 * ```
 */
import type { Graph } from "../../../protocol/graph.ts";
import { applyChanges, type Change, planEdit } from "./changes.ts";
import { checkConnection, type SocketEnd } from "./connect.ts";
import { createNode, deleteSelection, duplicate, moveNodes, snap } from "./edits.ts";
import { History, type HistoryEntry } from "./history.ts";
import { type Command, commandFor, type KeyInput } from "./keyboard.ts";
import { layoutNode, socketPosition } from "./layout.ts";
import { freeSpot, PLACE_GAP } from "./placement.ts";
import { type Hit, Scene } from "./scene.ts";
import {
  fitBounds,
  panBy,
  type Point,
  type Rect,
  rectContains,
  rectFromCorners,
  screenToWorld,
  unionRects,
  type Viewport,
  visibleWorld,
  wheelZoomFactor,
  zoomAt,
} from "./viewport.ts";

export interface EngineHost {
  graph(): Graph;
  /**
   * Applies changes to the shared graph (store and room). `transient` marks a step of a drag
   * still in progress: it goes to the room only (teammates watch the drag; the room may
   * coalesce steps) and must not be drawn, since the view draws the drag from `state.drag` as
   * one offset. The drop is sent without it and is what lands in the graph.
   */
  apply(changes: Change[], transient: boolean): void;
  newId(): string;
  /** A reviewer's canvas: pan, zoom and select only. */
  readOnly(): boolean;
  /** Shows why an action was refused (an incompatible socket, review mode). */
  refuse?(reason: string, at: Point): void;
}

/** A wire being dragged out of a socket; `check` is set while over another socket. */
export interface Wire {
  from: SocketEnd;
  start: Point;
  end: Point;
  check: { ok: true } | { ok: false; reason: string } | null;
}

export type Gesture = "idle" | "pan" | "drag" | "marquee" | "connect";

/** Everything the view draws besides the graph itself. Replaced (never mutated) on change. */
export interface EngineState {
  viewport: Viewport;
  selection: ReadonlySet<string>;
  selectedEdge: string | null;
  /** World rectangle of the marquee being dragged. */
  marquee: Rect | null;
  wire: Wire | null;
  hover: Hit;
  gesture: Gesture;
  /**
   * While nodes are dragged: how far (world units) the selection has moved since the press.
   * The graph keeps the start positions until the drop, so a 300-node drag is one transform.
   */
  drag: Point | null;
  canUndo: boolean;
  canRedo: boolean;
}

export interface PointerMods {
  button: number;
  shiftKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  /** Space is held: any drag pans, as in most design tools. */
  spaceKey?: boolean;
}

export interface WheelInput {
  deltaX: number;
  deltaY: number;
  ctrlKey?: boolean;
  /** 0 pixels (trackpads, most mice in Chromium), 1 lines (mouse wheels in Firefox). */
  deltaMode?: number;
}

/** Screen pixels the pointer must travel before a press becomes a drag. */
const DRAG_THRESHOLD = 3;

export class CanvasEngine {
  readonly scene: Scene;
  readonly #host: EngineHost;
  readonly #history = new History();
  readonly #listeners = new Set<(s: EngineState) => void>();
  #state: EngineState;
  #screen = { w: 1280, h: 800 };
  #press: {
    at: Point;
    moved: boolean;
    starts: Map<string, Point>;
    baseSelection: ReadonlySet<string>;
  } | null = null;
  /** Where the previous pan step ended, so each move pans by its own delta. */
  #lastPan: Point | null = null;
  /** The last node `placeInView` added: the next one goes beside it while it is in view. */
  #lastPlaced: string | null = null;

  constructor(host: EngineHost, viewport: Viewport = { x: 0, y: 0, zoom: 1 }) {
    this.#host = host;
    this.scene = new Scene(host.graph);
    this.#state = {
      viewport,
      selection: new Set(),
      selectedEdge: null,
      marquee: null,
      wire: null,
      hover: { kind: "none" },
      gesture: "idle",
      drag: null,
      canUndo: false,
      canRedo: false,
    };
  }

  get state(): EngineState {
    return this.#state;
  }

  subscribe(listener: (s: EngineState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  setScreenSize(w: number, h: number): void {
    this.#screen = { w, h };
  }

  setViewport(viewport: Viewport): void {
    this.#set({ viewport });
  }

  /** Call after changes from elsewhere (the room, a snapshot with `null`) reached the graph. */
  graphChanged(changes: readonly Change[] | null): void {
    if (changes) this.scene.update(changes);
    else this.scene.rebuild();
    const graph = this.#host.graph();
    const selection = new Set(
      [...this.#state.selection].filter((id) => Object.hasOwn(graph.nodes, id)),
    );
    const edge = this.#state.selectedEdge;
    const selectedEdge = edge && Object.hasOwn(graph.edges, edge) ? edge : null;
    if (selection.size !== this.#state.selection.size || selectedEdge !== edge) {
      this.#set({ selection, selectedEdge });
    }
  }

  /** The node under screen point `screen` (its body or a socket), or null. */
  nodeAt(screen: Point): string | null {
    const view = this.#state.viewport;
    const hit = this.scene.hitTest(screenToWorld(view, screen), view.zoom);
    return hit.kind === "node" || hit.kind === "socket" ? hit.node : null;
  }

  select(ids: Iterable<string>): void {
    this.#set({ selection: new Set(ids), selectedEdge: null });
  }

  // --- pointer ---------------------------------------------------------------------------

  pointerDown(screen: Point, mods: PointerMods): void {
    const world = screenToWorld(this.#state.viewport, screen);
    const baseSelection = this.#state.selection;
    this.#press = { at: screen, moved: false, starts: new Map(), baseSelection };
    if (mods.button === 1 || mods.spaceKey) return this.#set({ gesture: "pan" });
    if (mods.button !== 0) return;
    const hit = this.scene.hitTest(world, this.#state.viewport.zoom);
    const additive = mods.shiftKey === true || mods.ctrlKey === true || mods.metaKey === true;
    if (hit.kind === "socket" && !this.#host.readOnly()) {
      const from = { node: hit.node, side: hit.side, socket: hit.socket };
      const start = socketPosition(this.#host.graph().nodes[hit.node]!, hit.side, hit.socket)!;
      return this.#set({ gesture: "connect", wire: { from, start, end: world, check: null } });
    }
    if (hit.kind === "node") {
      let selection: Set<string>;
      if (additive) {
        selection = new Set(baseSelection);
        if (selection.has(hit.node)) selection.delete(hit.node);
        else selection.add(hit.node);
      } else {
        selection = baseSelection.has(hit.node) ? new Set(baseSelection) : new Set([hit.node]);
      }
      const graph = this.#host.graph();
      for (const id of selection) {
        const node = graph.nodes[id];
        if (node) this.#press.starts.set(id, { x: node.x, y: node.y });
      }
      return this.#set({ selection, selectedEdge: null, gesture: "drag" });
    }
    if (hit.kind === "edge") {
      return this.#set({ selection: new Set(), selectedEdge: hit.edge, gesture: "idle" });
    }
    if (additive) return this.#set({ gesture: "marquee", marquee: rectFromCorners(world, world) });
    this.#set({ selection: new Set(), selectedEdge: null, gesture: "pan" });
  }

  pointerMove(screen: Point): void {
    const view = this.#state.viewport;
    const world = screenToWorld(view, screen);
    const press = this.#press;
    if (!press) return this.#set({ hover: this.scene.hitTest(world, view.zoom) });
    const dx = screen.x - press.at.x, dy = screen.y - press.at.y;
    if (!press.moved && Math.hypot(dx, dy) < DRAG_THRESHOLD) return;
    press.moved = true;
    switch (this.#state.gesture) {
      case "pan": {
        const last = this.#lastPan ?? press.at;
        this.#lastPan = screen;
        return this.#set({ viewport: panBy(view, screen.x - last.x, screen.y - last.y) });
      }
      case "drag": {
        if (this.#host.readOnly() || press.starts.size === 0) return;
        const drag = { x: dx / view.zoom, y: dy / view.zoom };
        this.#host.apply(moveNodes(press.starts, drag.x, drag.y), true);
        return this.#set({ drag });
      }
      case "marquee": {
        const rect = rectFromCorners(screenToWorld(view, press.at), world);
        const selection = new Set([...press.baseSelection, ...this.scene.nodesIn(rect)]);
        return this.#set({ marquee: rect, selection });
      }
      case "connect": {
        const wire = this.#state.wire!;
        const hit = this.scene.hitTest(world, view.zoom);
        let check: Wire["check"] = null;
        if (hit.kind === "socket") {
          const result = checkConnection(this.#host.graph(), wire.from, hit);
          check = result.ok ? { ok: true } : { ok: false, reason: result.reason };
        }
        return this.#set({ wire: { ...wire, end: world, check }, hover: hit });
      }
    }
  }

  pointerUp(screen: Point): void {
    const press = this.#press;
    this.#press = null;
    this.#lastPan = null;
    const gesture = this.#state.gesture;
    if (!press) return;
    if (gesture === "drag" && press.moved && !this.#host.readOnly()) {
      const view = this.#state.viewport;
      const redo = moveNodes(
        press.starts,
        (screen.x - press.at.x) / view.zoom,
        (screen.y - press.at.y) / view.zoom,
      );
      const undo = [...press.starts].map(([id, p]): Change => ({
        type: "node.update",
        id,
        set: { x: p.x, y: p.y },
      }));
      this.#host.apply(redo, false);
      this.scene.update(redo);
      this.#record({ redo, undo });
    }
    if (gesture === "connect") this.#dropWire(screen);
    this.#set({ gesture: "idle", marquee: null, wire: null, drag: null });
  }

  /** A pointer capture was lost (window blur, a second finger): end the gesture where it is. */
  pointerCancel(): void {
    if (this.#press && this.#state.gesture === "drag" && this.#press.moved) {
      // Put the nodes back: the drag was not completed, so it must not be half-applied.
      const back = [...this.#press.starts].map(([id, p]): Change => ({
        type: "node.update",
        id,
        set: { x: p.x, y: p.y },
      }));
      this.#host.apply(back, false);
      this.scene.update(back);
    }
    this.#press = null;
    this.#lastPan = null;
    this.#set({ gesture: "idle", marquee: null, wire: null, drag: null });
  }

  #dropWire(screen: Point): void {
    const wire = this.#state.wire;
    if (!wire) return;
    const world = screenToWorld(this.#state.viewport, screen);
    const hit = this.scene.hitTest(world, this.#state.viewport.zoom);
    if (hit.kind !== "socket") return;
    const result = checkConnection(this.#host.graph(), wire.from, hit);
    if (!result.ok) return this.#host.refuse?.(result.reason, screen);
    const changes: Change[] = [];
    if (result.replaces) changes.push({ type: "edge.delete", id: result.replaces });
    changes.push({
      type: "edge.create",
      edge: { id: this.#host.newId(), from: result.from, to: result.to },
    });
    this.edit(changes);
  }

  wheel(screen: Point, e: WheelInput): void {
    const view = this.#state.viewport;
    // Pinch (ctrl+wheel) and line-based or notched mouse wheels zoom; smooth two-axis
    // trackpad scrolls pan.
    const notched = e.deltaX === 0 && Math.abs(e.deltaY) >= 50 && Number.isInteger(e.deltaY);
    if (e.ctrlKey || e.deltaMode === 1 || notched) {
      const dy = e.deltaMode === 1 ? e.deltaY * 33 : e.deltaY;
      return this.#set({ viewport: zoomAt(view, screen, wheelZoomFactor(dy)) });
    }
    this.#set({ viewport: panBy(view, -e.deltaX, -e.deltaY) });
  }

  // --- commands --------------------------------------------------------------------------

  /** Handles a key press; returns whether the canvas used it (the caller then prevents default). */
  key(e: KeyInput): boolean {
    const command = commandFor(e, this.#state.selection.size > 0);
    if (!command) return false;
    this.run(command);
    return true;
  }

  run(command: Command): void {
    const view = this.#state.viewport;
    const centre = { x: this.#screen.w / 2, y: this.#screen.h / 2 };
    const graph = this.#host.graph();
    switch (command.kind) {
      case "undo":
      case "redo": {
        if (this.#refuseIfReadOnly()) return;
        const changes = command.kind === "undo" ? this.#history.undo() : this.#history.redo();
        // Skip what no longer applies (a teammate deleted the node since): undo only ever
        // reverts this user's own work. A node it brings back (redo of a create undone) is
        // restored under its own id.
        if (changes) {
          const back = changes.map((c): Change =>
            c.type === "node.create" ? { ...c, restore: true } : c
          );
          this.#applyLocal(applyChanges(structuredClone(graph), back));
        }
        return this.#emit();
      }
      case "delete":
        return void this.edit(
          deleteSelection(
            graph,
            this.#state.selection,
            this.#state.selectedEdge ? [this.#state.selectedEdge] : [],
          ),
        );
      case "duplicate": {
        // The copies go beside the originals, in free room, keeping their layout.
        const box = unionRects(
          [...this.#state.selection].flatMap((id) => this.scene.nodeRect(id) ?? []),
        );
        if (!box) return;
        const want = { x: box.x + box.w + PLACE_GAP, y: box.y };
        const seen = visibleWorld(view, this.#screen);
        const at = freeSpot(want, box, (r) => this.scene.nodesIn(r).length > 0, seen);
        const offset = { x: at.x - box.x, y: at.y - box.y };
        const { changes, ids } = duplicate(
          graph,
          this.#state.selection,
          () => this.#host.newId(),
          offset,
        );
        if (this.edit(changes)) this.select(ids);
        return;
      }
      case "nudge": {
        const starts = new Map([...this.#state.selection].flatMap((id) => {
          const n = graph.nodes[id];
          return n ? [[id, { x: n.x, y: n.y }] as const] : [];
        }));
        return void this.edit(moveNodes(starts, command.dx, command.dy));
      }
      case "selectAll":
        return this.select(Object.keys(graph.nodes));
      case "deselect":
        return this.#set({ selection: new Set(), selectedEdge: null });
      case "pan":
        return this.#set({ viewport: panBy(view, command.dx, command.dy) });
      case "zoomIn":
        return this.#set({ viewport: zoomAt(view, centre, 1.25) });
      case "zoomOut":
        return this.#set({ viewport: zoomAt(view, centre, 0.8) });
      case "zoomReset":
        return this.#set({ viewport: zoomAt(view, centre, 1 / view.zoom) });
      case "fit": {
        const bounds = this.scene.bounds();
        if (bounds) this.#set({ viewport: fitBounds(bounds, this.#screen) });
        return;
      }
    }
  }

  /**
   * Adds a node of `type` where the user is looking (a palette click, Enter in its filter): in
   * free room near the view's centre, or beside the last node added this way while that one is
   * in view, so several in a row line up instead of piling up. Returns its id.
   */
  placeInView(type: string): string | null {
    if (this.#refuseIfReadOnly()) return null;
    const { w, h } = layoutNode({ type, x: 0, y: 0 }).rect;
    const view = this.#state.viewport;
    const seen = visibleWorld(view, this.#screen);
    const centre = screenToWorld(view, { x: this.#screen.w / 2, y: this.#screen.h / 2 });
    const last = this.#lastPlaced ? this.scene.nodeRect(this.#lastPlaced) : undefined;
    const beside = last && { x: last.x + last.w + PLACE_GAP, y: last.y };
    const inView = (p: Point) =>
      rectContains(seen, p) && rectContains(seen, { x: p.x + w, y: p.y + h });
    const want = beside && inView(beside) ? beside : { x: centre.x - w / 2, y: centre.y - h / 2 };
    const at = freeSpot(
      { x: snap(want.x), y: snap(want.y) },
      { w, h },
      (r) => this.scene.nodesIn(r).length > 0,
      seen,
    );
    const change = createNode(type, at, this.#host.newId());
    if (change.type !== "node.create" || !this.edit([change])) return null;
    this.#lastPlaced = change.node.id;
    this.select([change.node.id]);
    return change.node.id;
  }

  /** Places a new node of `type` centred on screen point `screen` (a drop); returns its id. */
  place(type: string, screen: Point): string | null {
    if (this.#refuseIfReadOnly(screen)) return null;
    const world = screenToWorld(this.#state.viewport, screen);
    const at = { x: snap(world.x - 110), y: snap(world.y - 20) };
    // Placing twice at one spot (two palette clicks) cascades instead of hiding the first node.
    const taken = new Set(Object.values(this.#host.graph().nodes).map((n) => `${n.x},${n.y}`));
    for (let i = 0; i < 50 && taken.has(`${at.x},${at.y}`); i++) {
      at.x += 24;
      at.y += 24;
    }
    const change = createNode(type, at, this.#host.newId());
    this.edit([change]);
    const id = change.type === "node.create" ? change.node.id : null;
    if (id) this.select([id]);
    return id;
  }

  /**
   * Applies one user edit (from a gesture, the inspector, a shortcut) as a single undo step;
   * successive edits with the same `coalesce` key (typing in one field) are one step together.
   * Returns false when nothing was done (read-only, or no change).
   */
  edit(requested: Change[], coalesce?: string): boolean {
    if (requested.length === 0 || this.#refuseIfReadOnly()) return false;
    // What no longer applies (a teammate deleted the node meanwhile) is not sent to be refused.
    const { changes, undo } = planEdit(this.#host.graph(), requested);
    if (changes.length === 0) return false;
    this.#applyLocal(changes);
    this.#record({ redo: changes, undo, ...(coalesce === undefined ? {} : { coalesce }) });
    return true;
  }

  #applyLocal(changes: Change[]): void {
    if (changes.length === 0) return;
    this.#host.apply(changes, false);
    this.graphChanged(changes);
  }

  #record(entry: HistoryEntry): void {
    this.#history.record(entry);
    this.#emit();
  }

  #refuseIfReadOnly(at?: Point): boolean {
    if (!this.#host.readOnly()) return false;
    this.#host.refuse?.("review mode is read-only", at ?? { x: this.#screen.w / 2, y: 16 });
    return true;
  }

  #set(patch: Partial<EngineState>): void {
    this.#state = { ...this.#state, ...patch };
    this.#emit();
  }

  #emit(): void {
    this.#state = {
      ...this.#state,
      canUndo: this.#history.canUndo,
      canRedo: this.#history.canRedo,
    };
    for (const listener of this.#listeners) listener(this.#state);
  }
}
