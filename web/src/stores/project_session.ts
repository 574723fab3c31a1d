/**
 * Everything one open project needs, wired together: the graph store, the canvas engine
 * (whose edits go to the store and the room), the room connection, presence, and the runs
 * shown on nodes. Pages and components read from it; nothing else talks to the room.
 */
import { batch, createMemo, createSignal } from "solid-js";
import { createStore, produce, reconcile } from "solid-js/store";
import type { JobEvent, Peer } from "../../../protocol/canvas.ts";
import { systemClock } from "../../../protocol/clock.ts";
import { nodeType } from "../../../protocol/nodes.ts";
import type { Role } from "../../../protocol/room_ticket.ts";
import type { Tier } from "../../../protocol/tiers.ts";
import { ApiError } from "../api/client.ts";
import type { Project } from "../api/types.ts";
import { validateParams } from "../forms/schema_form.ts";
import { api } from "../services.ts";
import type { Change } from "../canvas/changes.ts";
import { linkCanvas, type OutsideChange } from "../sync/canvas_link.ts";
import type { ConnectionState } from "../sync/room_client.ts";
import { bindEngineView } from "./engine_view.ts";
import { createGraphStore } from "./graph_store.ts";
import { idleRun, latestJobs, type NodeRun, onJob, onJobEvent, withTake } from "./runs.ts";
import { toast } from "./toasts.ts";

/** Cursor updates sent at most this often; the room batches at ~30/s anyway. */
const CURSOR_MS = 33;

export function createProjectSession(project: Project) {
  const projectId = project.id;
  const role: Role = project.role;
  const store = createGraphStore();
  const [runs, setRuns] = createStore<Record<string, NodeRun>>({});
  const [connection, setConnection] = createSignal<ConnectionState>({
    kind: "connecting",
    attempt: 1,
  });
  const [you, setYou] = createSignal<Peer | null>(null);
  const [peers, setPeers] = createSignal<Peer[]>([]);
  const [cursors, setCursors] = createStore<Record<string, { x: number; y: number }>>({});
  const [selections, setSelections] = createStore<Record<string, string[]>>({});
  /** The teammate (user id) who last changed each node field, keyed `${nodeId} ${field}`. */
  const [authors, setAuthors] = createStore<Record<string, string>>({});
  /** What this user is typing and has not sent, keyed `${nodeId} ${field}`. */
  const drafts = new Map<string, string>();
  /** The role the room gives this socket, which follows role changes live; until then the page's. */
  const readOnly = () => (you()?.role ?? role) === "reviewer";

  let snapshotSeen = false;
  /** The view is fitted to the graph once, when it first arrives (saved graph or room). */
  let framed = false;
  const frame = () => {
    framed = true;
    engine.run({ kind: "fit" });
  };

  const { engine, room } = linkCanvas({
    drawn: store,
    ticket: () => api.projects.ticket(projectId),
    clock: systemClock,
    newId: () => crypto.randomUUID(),
    readOnly,
    refuse: (reason) => toast(reason),
    on: {
      changed(change) {
        if (change.ops === null) {
          const first = !snapshotSeen;
          snapshotSeen = true;
          if (first && !framed) frame();
        }
        noteAuthors(change);
        tellDeleted(change);
      },
      rejected(reason, code, op) {
        // An edit that raced a teammate's delete of its node: the delete was told already.
        const target = op?.type === "node.update" ? op.id : null;
        const gone = target !== null && !store.raw().nodes[target];
        if (gone && (code === "conflict" || code === "not_found")) return;
        toast(`Edit refused by the room: ${reason}`);
      },
      connection: setConnection,
      peers(me, list) {
        batch(() => {
          setYou(me);
          setPeers(list);
          const here = new Set(list.map((p) => p.connectionId));
          setCursors(produce((c) => Object.keys(c).forEach((id) => here.has(id) || delete c[id])));
          setSelections(
            produce((s) => Object.keys(s).forEach((id) => here.has(id) || delete s[id])),
          );
        });
      },
      cursors(list) {
        setCursors(produce((c) => list.forEach((p) => (c[p.connectionId] = { x: p.x, y: p.y }))));
      },
      selections(list) {
        setSelections(produce((s) => list.forEach((p) => (s[p.connectionId] = p.nodeIds))));
      },
      job: (event: JobEvent) => setRuns(event.nodeId, (run) => onJobEvent(run ?? idleRun(), event)),
    },
  });

  /** Remembers who changed which field, so a field being typed in can say who changed it. */
  function noteAuthors({ ops, by }: OutsideChange): void {
    if (!ops || !by) return;
    const fields: Record<string, string> = {};
    for (const op of ops) {
      if (op.type !== "node.update") continue;
      if (op.set.title !== undefined) fields[`${op.id} title`] = by;
      for (const key of Object.keys(op.set.params ?? {})) fields[`${op.id} ${key}`] = by;
    }
    if (Object.keys(fields).length > 0) setAuthors(fields);
  }

  /** The name of the teammate who last changed a node's field, or null. */
  function changedBy(nodeId: string, field: string): string | null {
    const by = authors[`${nodeId} ${field}`];
    return by ? peers().find((p) => p.userId === by)?.name ?? "A teammate" : null;
  }

  /** Records (or with null, forgets) what this user is typing into a node's field. */
  function draft(nodeId: string, field: string, text: string | null): void {
    const key = `${nodeId} ${field}`;
    // A field that closes because its node was just deleted keeps its text for a restore.
    if (text === null && store.raw().nodes[nodeId]) drafts.delete(key);
    else if (text !== null) drafts.set(key, text);
  }

  /** Takes (and forgets) what this user had typed into a node's fields. */
  function takeDrafts(nodeId: string): Map<string, string> {
    const mine = new Map<string, string>();
    for (const [key, text] of drafts) {
      if (!key.startsWith(`${nodeId} `)) continue;
      mine.set(key.slice(nodeId.length + 1), text);
      drafts.delete(key);
    }
    return mine;
  }

  /**
   * A teammate deleted nodes this user had selected (so maybe was editing): one notice naming
   * who, offering to restore them (same ids, with what this user typed into them).
   */
  function tellDeleted(change: OutsideChange): void {
    const gone = change.removed.nodes.filter((n) => change.selection.has(n.id));
    if (gone.length === 0) return;
    const who = peers().find((p) => p.userId === change.by)?.name ?? "A teammate";
    const editing = gone.length === 1 && change.selection.size === 1;
    const restored = gone.map((n) => {
      const node = structuredClone(n);
      for (const [field, text] of takeDrafts(n.id)) {
        if (field === "title") node.title = text;
        else if (text !== "") node.params[field] = text;
      }
      return node;
    });
    // Named as this user last saw them: a title being typed may not have been sent yet.
    const titles = restored.map((n) => `"${n.title}"`).join(", ");
    const edges = change.removed.edges.map((e) => structuredClone(e));
    toast(
      `${who} deleted ${titles}, which you ${editing ? "were editing" : "had selected"}`,
      "info",
      readOnly() ? undefined : {
        label: "Restore",
        run() {
          engine.edit([
            ...restored.map((node): Change => ({ type: "node.create", node, restore: true })),
            ...edges.map((edge): Change => ({ type: "edge.create", edge })),
          ]);
          engine.select(restored.map((n) => n.id));
        },
      },
    );
  }

  const view = bindEngineView(engine, (ids) => room.selection(ids), store.raw);

  /** The colour of the first teammate who has each node selected. */
  const selectedByPeer = createMemo(() => {
    const colours: Record<string, { color: string; name: string }> = {};
    for (const peer of peers()) {
      for (const id of selections[peer.connectionId] ?? []) {
        colours[id] ??= { color: peer.color, name: peer.name };
      }
    }
    return colours;
  });

  let cursorAt = 0;
  function moveCursor(x: number, y: number): void {
    const now = performance.now();
    if (now - cursorAt < CURSOR_MS) return;
    cursorAt = now;
    room.cursor(Math.round(x), Math.round(y));
  }

  async function load(): Promise<void> {
    room.start();
    // The saved graph draws the canvas at once; the room's snapshot, newer if anything, follows.
    const [graph, takes, jobs] = await Promise.allSettled([
      api.revisions.current(projectId),
      api.jobs.takes(projectId),
      api.jobs.list(projectId),
    ]);
    if (graph.status === "fulfilled" && !snapshotSeen) {
      store.replace(graph.value.graph);
      engine.graphChanged(null);
      frame();
    } else if (graph.status === "rejected") {
      toast(`Cannot load the canvas: ${(graph.reason as Error).message}`);
    }
    if (takes.status === "fulfilled") {
      setRuns(produce((all) => {
        for (const take of [...takes.value].reverse()) {
          all[take.nodeId] = {
            ...(all[take.nodeId] ?? idleRun()),
            takes: withTake(all[take.nodeId]?.takes ?? [], take),
          };
        }
      }));
    }
    if (jobs.status === "fulfilled") {
      // A job already running shows its progress at once; the room's events take over from here.
      setRuns(produce((all) => {
        for (const [nodeId, job] of latestJobs(jobs.value)) {
          const run = all[nodeId] ?? idleRun();
          // A room event that arrived during the request is newer than this read.
          if (run.jobId === job.id && run.phase !== "queued") continue;
          if (job.state !== "succeeded") all[nodeId] = onJob(run, job);
        }
      }));
    }
  }

  async function generate(nodeId: string, tier: Tier): Promise<void> {
    const node = store.raw().nodes[nodeId];
    const def = node && nodeType(node.type);
    if (!node || !def) return;
    const problems = validateParams(def.params, node.params);
    const first = Object.entries(problems)[0];
    if (first) return toast(`${node.title}: ${first[0]}: ${first[1]}`);
    setRuns(
      nodeId,
      (run) => ({ ...(run ?? idleRun()), phase: "queued", message: "sending…", error: null }),
    );
    try {
      // The edge runs the node as the room holds it: let the room have this user's edits first.
      await room.settled();
      const { job } = await api.jobs.generate(projectId, nodeId, { type: node.type, tier });
      setRuns(nodeId, (run) => onJob(run ?? idleRun(), job));
    } catch (error) {
      const text = error instanceof ApiError ? error.describe() : String(error);
      setRuns(
        nodeId,
        (run) => ({ ...(run ?? idleRun()), jobId: null, phase: "failed", error: text }),
      );
    }
  }

  /** Runs the node's failed or canceled job again with the same inputs. */
  async function retry(nodeId: string): Promise<void> {
    const jobId = runs[nodeId]?.jobId;
    if (!jobId) return;
    try {
      const { job } = await api.jobs.retry(projectId, jobId);
      setRuns(nodeId, (run) => onJob(run ?? idleRun(), job));
    } catch (error) {
      toast(error instanceof ApiError ? error.describe() : String(error));
    }
  }

  async function cancel(nodeId: string): Promise<void> {
    const jobId = runs[nodeId]?.jobId;
    if (!jobId) return;
    try {
      const { job } = await api.jobs.cancel(projectId, jobId);
      setRuns(nodeId, (run) => onJob(run ?? idleRun(), job));
    } catch (error) {
      toast(error instanceof ApiError ? error.describe() : String(error));
    }
  }

  function dispose(): void {
    room.stop();
    setRuns(reconcile({}));
  }

  return {
    project,
    role,
    readOnly,
    graph: store.graph,
    engine,
    view,
    runs,
    connection,
    you,
    peers,
    cursors,
    selections,
    selectedByPeer,
    moveCursor,
    changedBy,
    draft,
    load,
    generate,
    retry,
    cancel,
    reconnect: () => room.reconnectNow(),
    dispose,
  };
}

export type ProjectSession = ReturnType<typeof createProjectSession>;
