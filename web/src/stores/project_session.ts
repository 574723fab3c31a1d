/**
 * Everything one open project needs, wired together: the graph store, the canvas engine
 * (whose edits go to the store and the room), the room connection, presence, and the runs
 * shown on nodes. Pages and components read from it; nothing else talks to the room.
 */
import { batch, createMemo, createSignal } from "solid-js";
import { createStore, produce, reconcile } from "solid-js/store";
import type { JobEvent, Peer } from "../../../protocol/canvas.ts";
import { systemClock } from "../../../protocol/clock.ts";
import type {
  ModelConfigAvailability,
  WorkAvailability,
  WorkflowAvailability,
} from "../../../protocol/jobs.ts";
import type { ModelConfigRun } from "../format/availability.ts";
import {
  MODEL_CONFIG_PARAM,
  NAMING_PARAMS,
  nodeType,
  WORKFLOW_PARAM,
  WORKFLOW_VERSION_PARAM,
} from "../../../protocol/nodes.ts";
import { runProblems } from "../../../protocol/run_readiness.ts";
import type { Role } from "../../../protocol/room_ticket.ts";
import type { Tier } from "../../../protocol/tiers.ts";
import { ApiError } from "../api/client.ts";
import type { JobSummary, Project, Take } from "../api/types.ts";
import { settingsOfTake } from "../forms/take_settings.ts";
import { api } from "../services.ts";
import type { Change } from "../canvas/changes.ts";
import { linkCanvas, type OutsideChange } from "../sync/canvas_link.ts";
import type { ConnectionState } from "../sync/room_client.ts";
import { bindEngineView } from "./engine_view.ts";
import { createGraphStore } from "./graph_store.ts";
import { watchActiveJobs } from "./job_watch.ts";
import { createReviewStore } from "./review.ts";
import {
  idleRun,
  latestJobs,
  type NodeRun,
  onJob,
  onJobEvent,
  onJobRead,
  selectedTake,
  withTake,
} from "./runs.ts";
import { toast } from "./toasts.ts";
import { readinessOf, type WorkflowReadiness, workflowReadiness } from "./workflow_availability.ts";

/** Cursor updates sent at most this often; the room batches at ~30/s anyway. */
const CURSOR_MS = 33;
/**
 * What the online agents can run is read again this often while the page is visible: agents
 * come and go by heartbeat, which no event announces.
 */
const CAPABILITIES_MS = 5_000;

export function createProjectSession(project: Project) {
  const projectId = project.id;
  const role: Role = project.role;
  const store = createGraphStore();
  const review = createReviewStore(projectId);
  const [runs, setRuns] = createStore<Record<string, NodeRun>>({});
  /** The tier this user has chosen for each node (their own choice, not shared). */
  const [tiers, setTiers] = createStore<Record<string, Tier>>({});
  /**
   * Nodes this user pressed Generate on while something was missing: from then on their forms
   * say what is required (before that, an empty required field is not an error yet).
   */
  const [attempted, setAttempted] = createStore<Record<string, boolean>>({});
  /** The side panel open as a drawer on a narrow screen (none on a wide one: both show). */
  const [panel, setPanel] = createSignal<"palette" | "inspector" | null>(null);
  /** Bumped when someone asks to see a node's takes: the inspector scrolls to them. */
  const [takesWanted, setTakesWanted] = createSignal(0);
  /** Counts the room's `members.changed`: the members panel reloads when it moves. */
  const [membersChanged, setMembersChanged] = createSignal(0);
  /** The take viewer: which node's takes it shows, starting at which take; null when closed. */
  const [viewer, setViewer] = createSignal<{ nodeId: string; takeId: string | null } | null>(null);
  /** What the agents online for the project can run, by `nodeType:tier`; null until read. */
  const [capabilities, setCapabilities] = createSignal<Map<string, WorkAvailability> | null>(null);
  /** The same for the project's workflow assets and their versions; null until read. */
  const [workflowCapabilities, setWorkflowCapabilities] = createSignal<WorkflowReadiness | null>(
    null,
  );
  /** The same for the project's Docker model config assets, by asset id; null until read. */
  const [modelConfigCapabilities, setModelConfigCapabilities] = createSignal<
    Map<string, ModelConfigAvailability> | null
  >(null);
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
  /** The room was live once: a later "live" is a reconnection. */
  let wasLive = false;
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
      connection(state) {
        // Review events sent while this page was away are not replayed: read them again.
        if (state.kind === "live" && wasLive) void review.load();
        if (state.kind === "live") wasLive = true;
        setConnection(state);
      },
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
      job(event: JobEvent) {
        setRuns(event.nodeId, (run) => onJobEvent(run ?? idleRun(), event));
        // An agent at work may be one the last read did not see yet: read again, soon.
        if (performance.now() - capabilitiesReadAt > 1_000) void readCapabilities();
      },
      review: (event) => review.onUpdate(event),
      members: () => setMembersChanged((n) => n + 1),
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

  let capabilityTimer = 0;
  let capabilitiesReadAt = -Infinity;
  let capabilitiesText = "";
  let disposed = false;
  async function readCapabilities(): Promise<void> {
    clearTimeout(capabilityTimer);
    capabilitiesReadAt = performance.now();
    try {
      if (document.visibilityState !== "hidden") {
        const read = await api.jobs.capabilities(projectId);
        // Unchanged (the usual case): every card's note is left alone.
        const text = JSON.stringify(read);
        if (text !== capabilitiesText) {
          capabilitiesText = text;
          batch(() => {
            setCapabilities(new Map(read.capabilities.map((w) => [`${w.nodeType}:${w.tier}`, w])));
            setWorkflowCapabilities(workflowReadiness(read.workflows, read.workflowVersions));
            setModelConfigCapabilities(new Map(read.modelConfigs.map((m) => [m.assetId, m])));
          });
        }
      }
    } catch {
      // Kept as last read; the next read may work (a restart of the edge, say).
    } finally {
      if (!disposed) capabilityTimer = Number(setTimeout(readCapabilities, CAPABILITIES_MS));
    }
  }

  /** A runner asset the node names, as `find` reads it; a new one (uploaded since) is read again. */
  function runnerOf<T>(
    id: unknown,
    find: (id: string) => T | null | undefined,
  ): T | null | undefined {
    if (typeof id !== "string") return undefined;
    const found = find(id);
    // Uploaded since the last read: read again (a deleted one stays unknown; Generate says).
    if (!found && performance.now() - capabilitiesReadAt > 1_000) void readCapabilities();
    return found ?? null;
  }

  /**
   * Whether, where and why not the node can run at its chosen tier now (a node that runs a
   * workflow asset: that workflow at the version it pins, else the newest, at its own tier; a
   * Docker model config: that config, at the node's tier); null until known.
   */
  function availabilityOf(
    nodeId: string,
  ): WorkAvailability | WorkflowAvailability | ModelConfigRun | null {
    const node = store.graph.nodes[nodeId];
    const workflow = runnerOf(node?.params[WORKFLOW_PARAM], (id) => {
      const known = workflowCapabilities();
      return known && readinessOf(known, id, node?.params[WORKFLOW_VERSION_PARAM]);
    });
    if (workflow !== undefined) return workflow;
    const config = runnerOf(
      node?.params[MODEL_CONFIG_PARAM],
      (id) => modelConfigCapabilities()?.get(id),
    );
    if (config) return { ...config, nodeType: node!.type, tier: tierOf(nodeId) };
    if (config === null) return null;
    return (node && capabilities()?.get(`${node.type}:${tierOf(nodeId)}`)) || null;
  }

  /**
   * Why the node's chosen tier does not use a parameter (no template the agents would run for
   * it reads it), or undefined when it does or nobody can tell.
   */
  function unusedParam(nodeId: string, key: string): string | undefined {
    const work = availabilityOf(nodeId);
    if (!work?.params || work.params.includes(key) || NAMING_PARAMS.includes(key)) return;
    if ("pairs" in work) {
      return `Not read by your Docker model "${work.name}": its command has no {${key}}`;
    }
    if ("assetId" in work) {
      return `Not read by your workflow "${work.name}": it binds no input to it`;
    }
    const tier = work.downgrade?.tier ?? work.tier;
    return `Not used at ${tier}: the template agents run there does not read it`;
  }

  /** Queued jobs' ETAs and running jobs' pools, read again while any shows (job_watch.ts). */
  const stopJobWatch = watchActiveJobs({
    active: () =>
      Object.values(runs).some((r) =>
        r.phase === "queued" || (r.phase === "running" && r.pool === null)
      ),
    read: () => api.jobs.list(projectId, { limit: 50 }),
    apply: (jobs) =>
      setRuns(produce((all) => {
        for (const job of jobs) {
          const run = all[job.nodeId];
          if (run?.jobId === job.id) all[job.nodeId] = onJobRead(run, job);
        }
      })),
  });

  async function load(): Promise<void> {
    room.start();
    void readCapabilities();
    void review.load();
    // The saved graph draws the canvas at once; the room's snapshot, newer if anything, follows.
    const [graph, takes, jobs, selects] = await Promise.allSettled([
      api.revisions.current(projectId),
      api.jobs.takes(projectId),
      api.jobs.list(projectId),
      api.jobs.selects(projectId),
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
    if (selects.status === "fulfilled") {
      // Only choices someone made: a node nobody chose for shows its newest take as selected.
      setRuns(produce((all) => {
        for (const select of selects.value) {
          if (!select.selectedBy || select.selectedAt === null) continue;
          all[select.nodeId] = onJobEvent(all[select.nodeId] ?? idleRun(), {
            type: "take.selected",
            nodeId: select.nodeId,
            takeId: select.takeId,
            by: { userId: select.selectedBy.id, name: select.selectedBy.name },
            at: select.selectedAt,
          });
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

  /** The tier chosen for a node: this user's pick, else standard where the type has it. */
  function tierOf(nodeId: string): Tier {
    const def = nodeType(store.raw().nodes[nodeId]?.type ?? "");
    const offered = def?.tiers ?? [];
    const chosen = tiers[nodeId];
    if (chosen && offered.includes(chosen)) return chosen;
    return offered.includes("standard") ? "standard" : offered[0] ?? "standard";
  }

  /**
   * Queues a run of the node at its chosen tier. What would keep it from running (a missing
   * prompt, an input not connected) is shown on the node and in its inspector instead, all at
   * once and in the words the edge would use, and nothing is sent.
   */
  async function generate(nodeId: string): Promise<void> {
    const node = store.raw().nodes[nodeId];
    const def = node && nodeType(node.type);
    if (!node || !def) return;
    const tier = tierOf(nodeId);
    if (runProblems(store.raw(), nodeId).length > 0) {
      setAttempted(nodeId, true);
      engine.select([nodeId]);
      setPanel("inspector"); // on a phone, the drawer that lists them
      return;
    }
    await queueRun(nodeId, () => api.jobs.generate(projectId, nodeId, { type: node.type, tier }));
  }

  /**
   * Queues a render of the cut; its progress and film arrive under the cut's id like a node's
   * (the film is a take of the cut).
   */
  function render(cutId: string): Promise<void> {
    return queueRun(cutId, () => api.jobs.render(projectId, cutId));
  }

  /** Shows the run as sent, then as the edge answered: its job, or why it refused. */
  async function queueRun(id: string, send: () => Promise<{ job: JobSummary }>): Promise<void> {
    setRuns(
      id,
      (run) => ({ ...(run ?? idleRun()), phase: "queued", message: "sending…", error: null }),
    );
    try {
      // The edge runs what the room holds: let the room have this user's edits first.
      await room.settled();
      const { job } = await send();
      setRuns(id, (run) => onJob(run ?? idleRun(), job));
    } catch (error) {
      const text = error instanceof ApiError ? error.describe() : String(error);
      setRuns(id, (run) => ({ ...(run ?? idleRun()), jobId: null, phase: "failed", error: text }));
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

  /** Makes `takeId` the node's selected take for everyone (editors; the room tells the rest). */
  async function selectTake(nodeId: string, takeId: string): Promise<void> {
    try {
      const select = await api.jobs.select(projectId, nodeId, takeId);
      setRuns(nodeId, (run) =>
        onJobEvent(run ?? idleRun(), {
          type: "take.selected",
          nodeId,
          takeId,
          by: { userId: select.selectedBy?.id ?? "", name: select.selectedBy?.name ?? "" },
          at: select.selectedAt ?? Date.now(),
        }));
    } catch (error) {
      toast(error instanceof ApiError ? error.describe() : String(error));
    }
  }

  /** Copies the parameters and seed a take was made with back to its node, as one edit. */
  function useSettings(nodeId: string, take: Take): void {
    const type = store.raw().nodes[nodeId]?.type;
    if (!type) return;
    const params = settingsOfTake(type, take);
    engine.edit([{ type: "node.update", id: nodeId, set: { params } }]);
    toast(`Settings of ${take.name} copied to the node`, "info");
  }

  function dispose(): void {
    disposed = true;
    clearTimeout(capabilityTimer);
    stopJobWatch();
    room.stop();
    review.dispose();
    setRuns(reconcile({}));
  }

  return {
    project,
    role,
    readOnly,
    review,
    membersChanged,
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
    render,
    tierOf,
    panel,
    setPanel,
    takesWanted,
    /** Shows a node's takes: selects it and opens the inspector at its takes. */
    revealTakes(nodeId: string) {
      engine.select([nodeId]);
      setPanel("inspector");
      setTakesWanted((n) => n + 1);
    },
    viewer,
    /** Opens the take viewer on a node's takes, at `takeId` or its selected take. */
    openTakes(nodeId: string, takeId?: string) {
      setViewer({ nodeId, takeId: takeId ?? null });
    },
    closeViewer: () => setViewer(null),
    selectTake,
    /** Edits a cut (the timeline): through the room like any edit, on the same undo history. */
    editCut: (ops: Change[]) => engine.edit(ops),
    /** The take a node plays in the cut (its selected one), if it has any. */
    playedTake: (nodeId: string): Take | undefined => {
      const run = runs[nodeId];
      return run ? selectedTake(run) : undefined;
    },
    useSettings,
    availabilityOf,
    unusedParam,
    previewUrl: (jobId: string, at: number) => api.jobs.previewUrl(projectId, jobId, at),
    setTier: (nodeId: string, tier: Tier) => setTiers(nodeId, tier),
    attempted: (nodeId: string) => attempted[nodeId] === true,
    retry,
    cancel,
    reconnect: () => room.reconnectNow(),
    dispose,
  };
}

export type ProjectSession = ReturnType<typeof createProjectSession>;
