/**
 * The cut's timeline, under the canvas: clips sized by their length with a frame of their take,
 * a playhead, drag to reorder, edge drags to trim, transition handles between clips (their length
 * set in the clip's details), audio lanes whose clips drag in time and trim the same way, zoom
 * (ctrl/cmd+wheel at the pointer, +/- at the playhead) over a scale of timecodes, a take picker
 * for the selected clip, and a preview that plays the selected takes in sequence with their
 * trims and transitions mixed (format/film_mix.ts). Trims stop at the take's real end; drags
 * snap to clip edges and the playhead. Keys while it has focus: space play/pause, J/K/L back/
 * pause/forward (again: faster), I/O trim the clip under the playhead to it, arrows one frame.
 * Every edit is a cut op through the room (session.editCut), so everyone sees it and Ctrl+Z
 * undoes it; reviewers get no handles, and a drag of theirs never starts.
 */
import { createEffect, createMemo, createSignal, For, on, onCleanup, Show } from "solid-js";
import {
  audioTracks,
  DEFAULT_CUT_FORMAT,
  placeClips,
  type PlacedClip,
  timecode,
  videoTrack,
} from "../../../protocol/cut.ts";
import { shotFrames, soundFrames } from "../../../protocol/cut_from_graph.ts";
import { pastTake, takeEndsAt, takeFrames } from "../../../protocol/take_length.ts";
import type { GraphNode } from "../../../protocol/graph.ts";
import type { Take } from "../api/types.ts";
import { nodeType } from "../../../protocol/nodes.ts";
import type { Change } from "../canvas/changes.ts";
import {
  audioEdit,
  dragEdges,
  dropIndex,
  playingAt,
  positionAtEnd,
  positionForMove,
  SNAP_PIXELS,
  snapDelta,
  snapMarks,
  transitionLimit,
  trimEdge,
} from "../format/timeline.ts";
import { DEFAULT_SCALE, zoomAround } from "../format/timeline_zoom.ts";
import { filmLayersAt } from "../format/film_mix.ts";
import { wheelZoomFactor } from "../canvas/viewport.ts";
import type { ProjectSession } from "../stores/project_session.ts";
import BarMenu from "./BarMenu.tsx";
import ClipPoster from "./ClipPoster.tsx";
import { createCutClock } from "./cut_clock.ts";
import CutPreview from "./CutPreview.tsx";
import CutRenders from "./CutRenders.tsx";
import TimelineAudioLane, { type DragMode } from "./TimelineAudioLane.tsx";
import TimelineRuler from "./TimelineRuler.tsx";
import TimelineClipDetails from "./TimelineClipDetails.tsx";

/** The fastest J/L play: 8 times real time, as far as a browser's video decodes smoothly. */
const MAX_SPEED = 8;

interface Drag {
  clipId: string;
  mode: DragMode;
  startX: number;
  dx: number;
}

const hasOutput = (node: GraphNode, type: "video" | "audio") =>
  nodeType(node.type)?.outputs.some((o) => o.type === type) ?? false;

export default function Timeline(props: { session: ProjectSession }) {
  const s = props.session;
  const [chosenCut, setChosenCut] = createSignal<string | null>(null);
  const [selected, setSelected] = createSignal<string | null>(null);
  const [drag, setDrag] = createSignal<Drag | null>(null);
  /** Pixels per frame of the cut. */
  const [scale, setScale] = createSignal(DEFAULT_SCALE);
  /** The lanes' visible stretch, in pixels from the film's start (for the ruler's ticks). */
  const [view, setView] = createSignal({ left: 0, width: 0 });
  /** A render of the cut playing in the preview instead of the cut's takes; null: the cut plays. */
  const [watching, setWatching] = createSignal<Take | null>(null);
  const cuts = () => Object.values(s.graph.cuts ?? {}).sort((a, b) => a.name.localeCompare(b.name));
  const cut = () => {
    const id = chosenCut();
    return (id ? s.graph.cuts?.[id] : undefined) ?? cuts()[0] ?? null;
  };
  const fps = () => cut()?.format.fps ?? DEFAULT_CUT_FORMAT.fps;
  // Another cut chosen: its own takes play, not the last cut's film.
  createEffect(on(() => cut()?.id, () => setWatching(null), { defer: true }));
  const editable = () => !s.readOnly();
  const edit = (ops: Change[]) => void s.editCut(ops);
  const nodeOf = (id: string) => s.graph.nodes[id];
  /** The take a clip of `nodeId` plays: its node's selected take; none for a deleted node. */
  const takeOf = (nodeId: string) => (nodeOf(nodeId) ? s.playedTake(nodeId) : undefined);
  /** The frames of the cut's rate the take of `nodeId` holds; null when not known. */
  const limitOf = (nodeId: string) => takeFrames(takeOf(nodeId)?.media, fps());
  /** Why the clip cannot play as far as it reads (its take is shorter), or null. */
  const pastTakeOf = (clip: { id: string; nodeId: string; out: number }) =>
    pastTake(clip, limitOf(clip.nodeId), fps())?.message ?? null;
  /**
   * How many frames the drag `d` moves its clip or edge by: the pointer's travel, snapped to the
   * nearest clip edge or the playhead within a few pixels (`snapDelta`). Audio clips snap when
   * moved and trimmed; a video clip's tail when trimmed (its head trim moves nothing on the film
   * but its own end, and a moved video clip drops between its neighbours).
   */
  const dragFrames = (d: Drag): number => {
    const frames = Math.round(d.dx / scale());
    const clip = cut()?.clips[d.clipId];
    if (!clip || (clip.kind === "video" && d.mode !== "out")) return frames;
    const video = resting().clips;
    const marks = snapMarks(clip, video, audio().flatMap((lane) => lane.clips), frame());
    return snapDelta(dragEdges(clip, d.mode, video), frames, marks, SNAP_PIXELS / scale());
  };

  /** The track as drawn: a trim being dragged shows its new length at once. */
  const track = createMemo(() => {
    const c = cut();
    if (!c) return [];
    const clips = videoTrack(c);
    const d = drag();
    if (!d || d.mode === "move") return clips;
    const edge = d.mode;
    return clips.map((clip) =>
      clip.id === d.clipId
        ? { ...clip, ...trimEdge(clip, edge, dragFrames(d), limitOf(clip.nodeId)) }
        : clip
    );
  });
  const layout = createMemo(() => placeClips(track()));
  /** The video track as it is, whatever is being dragged: what drags snap to. */
  const resting = createMemo(() => placeClips(cut() ? videoTrack(cut()!) : []));
  const audio = createMemo(() => (cut() ? audioTracks(cut()!) : []));
  /** The audio lanes as drawn: a clip being dragged shows where it would land. */
  const audioShown = createMemo(() => {
    const d = drag();
    return audio().map((lane) => ({
      ...lane,
      clips: lane.clips.map((clip) =>
        clip.id === d?.clipId
          ? { ...clip, ...audioEdit(clip, d.mode, dragFrames(d), limitOf(clip.nodeId)) }
          : clip
      ),
    }));
  });
  const duration = () => {
    let end = layout().duration;
    for (const lane of audio()) {
      for (const c of lane.clips) end = Math.max(end, c.start + c.out - c.in);
    }
    return end;
  };
  const label = (nodeId: string) => {
    const node = nodeOf(nodeId);
    if (!node) return "deleted node";
    // The title people gave it, then where its takes file (SC02 SHOT-010: codes repeat per scene).
    const code = [node.params["scene"], node.params["shot"]].filter((v) => typeof v === "string");
    return code.length > 0 ? `${node.title} · ${code.join(" ")}` : node.title;
  };

  // ---------------------------------------------------------------- playback

  const clock = createCutClock({ fps, duration });
  const { frame, shown, speed, stop, step } = clock;
  const play = (rate: number) => {
    setWatching(null);
    clock.play(rate);
  };

  /** The clip under the playhead (from a transition's middle, the incoming one), or null. */
  const now = createMemo(() => playingAt(layout().clips, shown()));

  /** The preview's picture at the playhead: its takes, two mixed during a transition. */
  const pictureLayers = createMemo(() =>
    filmLayersAt(layout().clips, shown(), fps(), (p) => takeOf(p.clip.nodeId)?.url ?? null)
  );

  // ---------------------------------------------------------------- editing

  const clipAtPlayhead = () => now()?.placed;
  const trimToPlayhead = (edge: "in" | "out") => {
    const placed = (selected() && layout().clips.find((p) => p.clip.id === selected())) ||
      clipAtPlayhead();
    const c = cut();
    if (!placed || !c || !editable()) return;
    const offset = shown() - placed.recordIn;
    if (offset < 0 || offset >= placed.frames) return;
    const set = edge === "in"
      ? { in: placed.clip.in + offset }
      : { out: placed.clip.in + offset + 1 };
    edit([{ type: "cut.clip.update", cutId: c.id, clipId: placed.clip.id, set }]);
  };

  const key = (e: KeyboardEvent) => {
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) return;
    const handled = (() => {
      switch (e.key) {
        case " ":
          speed() === 0 ? play(1) : stop();
          return true;
        case "k":
        case "K":
          stop();
          return true;
        // As in editors: L plays, again doubles the speed; J the same backwards; K pauses.
        case "l":
        case "L":
          play(speed() > 0 ? Math.min(MAX_SPEED, speed() * 2) : 1);
          return true;
        case "j":
        case "J":
          play(speed() < 0 ? Math.max(-MAX_SPEED, speed() * 2) : -1);
          return true;
        case "+":
        case "=":
          zoomBy(2);
          return true;
        case "-":
          zoomBy(0.5);
          return true;
        case "ArrowLeft":
          step(-1);
          return true;
        case "ArrowRight":
          step(1);
          return true;
        case "i":
        case "I":
          trimToPlayhead("in");
          return true;
        case "o":
        case "O":
          trimToPlayhead("out");
          return true;
      }
      return false;
    })();
    // Handled here: the canvas (listening on the window) leaves prevented keys alone.
    if (handled) e.preventDefault();
  };

  /**
   * Said while a trim is held at its take's end, and for a moment after it lands there: the
   * edge stops where the take does, and this says why.
   */
  const [hint, setHint] = createSignal<string | null>(null);
  let hintTimer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(hintTimer));
  const takeEndHint = (d: Drag): string | null => {
    const clip = cut()?.clips[d.clipId];
    const limit = clip && limitOf(clip.nodeId);
    if (d.mode === "move" || !clip || !limit) return null;
    const free = trimEdge(clip, d.mode, dragFrames(d))[d.mode];
    return free !== trimEdge(clip, d.mode, dragFrames(d), limit)[d.mode]
      ? takeEndsAt(limit, fps())
      : null;
  };

  const startDrag = (e: PointerEvent, clipId: string, mode: Drag["mode"]) => {
    if (!editable() || e.button !== 0) return;
    e.stopPropagation();
    e.preventDefault();
    clearTimeout(hintTimer);
    setHint(null);
    setSelected(clipId);
    setDrag({ clipId, mode, startX: e.clientX, dx: 0 });
    // Followed on the window, so a drag that leaves the lanes still ends.
    const up = (end: PointerEvent) => {
      removeEventListener("pointermove", moveDrag);
      removeEventListener("pointerup", up);
      endDrag(end);
    };
    addEventListener("pointermove", moveDrag);
    addEventListener("pointerup", up);
  };
  const moveDrag = (e: PointerEvent) => {
    const d = drag();
    if (!d) return;
    const next = { ...d, dx: e.clientX - d.startX };
    setDrag(next);
    setHint(takeEndHint(next));
  };
  const endDrag = (e: PointerEvent) => {
    const d = drag();
    const c = cut();
    setDrag(null);
    hintTimer = setTimeout(() => setHint(null), 6000);
    if (!d || !c || Math.abs(d.dx) < 2) return;
    const clip = c.clips[d.clipId];
    if (!clip) return;
    const frames = dragFrames(d);
    const limit = limitOf(clip.nodeId);
    if (clip.kind === "audio") {
      const set = audioEdit(clip, d.mode, frames, limit);
      edit([{ type: "cut.clip.update", cutId: c.id, clipId: d.clipId, set }]);
    } else if (d.mode === "move") {
      const placed = layout().clips.find((p) => p.clip.id === d.clipId)!;
      const x = (placed.recordIn + placed.frames / 2) * scale() + (e.clientX - d.startX);
      const to = dropIndex(layout().clips.filter((p) => p.clip.id !== d.clipId), x, scale());
      const position = positionForMove(videoTrack(c), d.clipId, to);
      edit([{ type: "cut.clip.update", cutId: c.id, clipId: d.clipId, set: { position } }]);
    } else {
      // The dragged edge only: a teammate's trim of the other edge meanwhile stays.
      const set = { [d.mode]: trimEdge(clip, d.mode, frames, limit)[d.mode] };
      edit([{ type: "cut.clip.update", cutId: c.id, clipId: d.clipId, set }]);
    }
  };

  // ---------------------------------------------------------------- zoom

  let lanes!: HTMLDivElement;
  const readView = () => setView({ left: lanes.scrollLeft, width: lanes.clientWidth });
  /** Zooms by `factor` keeping the frame at `anchorX` (pixels into the visible lanes) in place. */
  const zoomAt = (factor: number, anchorX: number) => {
    const next = zoomAround({ scale: scale(), scroll: lanes.scrollLeft }, factor, anchorX);
    setScale(next.scale);
    // The lanes are as wide as the new scale makes them (Solid updates the DOM synchronously).
    lanes.scrollLeft = next.scroll;
    readView();
  };
  /** The +/- buttons and keys zoom around the playhead, or the lanes' middle if it is out of view. */
  const zoomBy = (factor: number) => {
    const x = frame() * scale() - lanes.scrollLeft;
    zoomAt(factor, x >= 0 && x <= lanes.clientWidth ? x : lanes.clientWidth / 2);
  };
  const wheel = (e: WheelEvent) => {
    if (!e.ctrlKey && !e.metaKey) return;
    // Ours, not the page's zoom nor the canvas's.
    e.preventDefault();
    e.stopPropagation();
    zoomAt(wheelZoomFactor(e.deltaY), e.clientX - lanes.getBoundingClientRect().left);
  };

  const toggleTransition = (placed: PlacedClip, next: PlacedClip) => {
    const c = cut();
    if (!c || !editable()) return;
    const frames = Math.min(12, transitionLimit(placed, next));
    const transition = placed.clip.transition
      ? null
      : frames >= 1
      ? { kind: "dissolve" as const, frames }
      : null;
    edit([{ type: "cut.clip.update", cutId: c.id, clipId: placed.clip.id, set: { transition } }]);
  };

  const newCut = () => {
    const id = crypto.randomUUID().slice(0, 8);
    const name = cuts().length === 0 ? "Main" : `Cut ${cuts().length + 1}`;
    const format = { ...DEFAULT_CUT_FORMAT };
    if (s.editCut([{ type: "cut.create", cut: { id, name, format }, fromGraph: true }])) {
      setChosenCut(id);
    }
  };
  const [toAdd, setToAdd] = createSignal("");
  const addClip = () => {
    const c = cut();
    const node = nodeOf(toAdd());
    if (!c || !node) return;
    const id = crypto.randomUUID().slice(0, 8);
    const kind = hasOutput(node, "video") ? "video" : "audio";
    // As long as the node asks for, and no longer than its take, when that is known.
    const asked = (kind === "video" ? shotFrames : soundFrames)(node, c.format.fps);
    const frames = Math.min(asked, limitOf(node.id) ?? asked);
    if (kind === "video") {
      edit([{
        type: "cut.clip.add",
        cutId: c.id,
        clip: {
          id,
          kind,
          nodeId: node.id,
          position: positionAtEnd(videoTrack(c)),
          in: 0,
          out: frames,
          transition: null,
        },
      }]);
      return;
    }
    // Audio goes on the first audio lane (made if there is none), at the playhead.
    const ops: Change[] = [];
    let trackId = audio()[0]?.track.id;
    if (!trackId) {
      trackId = crypto.randomUUID().slice(0, 8);
      ops.push({
        type: "cut.track.add",
        cutId: c.id,
        track: { id: trackId, name: "A1", position: "a0" },
      });
    }
    ops.push({
      type: "cut.clip.add",
      cutId: c.id,
      clip: { id, kind, trackId, nodeId: node.id, start: shown(), in: 0, out: frames, gainDb: 0 },
    });
    edit(ops);
  };
  const playable = () =>
    Object.values(s.graph.nodes).filter((n) => hasOutput(n, "video") || hasOutput(n, "audio"));

  const selectedClip = () => {
    const id = selected();
    return id ? cut()?.clips[id] : undefined;
  };
  const setClip = (set: Record<string, unknown>) => {
    const c = cut();
    const clip = selectedClip();
    if (c && clip) edit([{ type: "cut.clip.update", cutId: c.id, clipId: clip.id, set }]);
  };
  /** The longest transition the clip `clipId` can have into the next; 0 for the last clip. */
  const transitionRoom = (clipId: string) => {
    const clips = layout().clips;
    const index = clips.findIndex((p) => p.clip.id === clipId);
    const next = clips[index + 1];
    return index >= 0 && next ? transitionLimit(clips[index]!, next) : 0;
  };
  /** The lanes' content: the film at this zoom, then a screen's width to scroll the end into. */
  const contentWidth = () => Math.ceil(duration() * scale() + Math.max(view().width, 40));
  const exportUrl = (what: "otio" | "edl") =>
    `/api/projects/${s.project.id}/cuts/${cut()?.id}/${what}${
      what === "otio" ? "?relative=1" : ""
    }`;

  return (
    <section
      class="timeline"
      tabIndex={0}
      onKeyDown={key}
      aria-label="Cut timeline"
      data-testid="timeline"
    >
      <header class="timeline-bar">
        <Show
          when={cuts().length > 0}
          fallback={<span class="muted small">No cut yet.</span>}
        >
          <select
            value={cut()?.id ?? ""}
            onChange={(e) => setChosenCut(e.currentTarget.value)}
            aria-label="Cut"
            data-testid="cut-select"
          >
            <For each={cuts()}>{(c) => <option value={c.id}>{c.name}</option>}</For>
          </select>
        </Show>
        <Show when={editable()}>
          <button
            type="button"
            class="ghost"
            onClick={newCut}
            title="A new cut from the graph: its shots in scene and shot order, transition nodes as transitions"
            data-testid="new-cut"
          >
            New cut
          </button>
        </Show>
        <Show when={cut()}>
          <button
            type="button"
            onClick={() => (speed() === 0 ? play(1) : stop())}
            data-testid="cut-play"
          >
            {speed() === 0 ? "Play" : "Pause"}
          </button>
          <span class="timecode" data-testid="cut-timecode">
            {timecode(shown(), fps())} / {timecode(duration(), fps())}
          </span>
          <Show when={speed() !== 0}>
            <span class="timecode" title="J/K/L: play speed" data-testid="cut-speed">
              {speed() < 0 ? "−" : ""}
              {Math.abs(speed())}×
            </span>
          </Show>
          <span class="zoom-buttons">
            <button
              type="button"
              class="ghost"
              title="Zoom out (−, or Ctrl+wheel)"
              onClick={() => zoomBy(0.5)}
              data-testid="timeline-zoom-out"
            >
              −
            </button>
            <button
              type="button"
              class="ghost"
              title="Zoom in (+, or Ctrl+wheel)"
              onClick={() => zoomBy(2)}
              data-testid="timeline-zoom-in"
            >
              +
            </button>
          </span>
          <Show when={editable()}>
            <select
              value={toAdd()}
              onChange={(e) => setToAdd(e.currentTarget.value)}
              aria-label="Node to add"
              data-testid="clip-node"
            >
              <option value="">Add a node…</option>
              <For each={playable()}>{(n) => <option value={n.id}>{label(n.id)}</option>}</For>
            </select>
            <button
              type="button"
              class="ghost"
              onClick={addClip}
              disabled={!toAdd()}
              data-testid="add-clip"
            >
              Add
            </button>
          </Show>
          <BarMenu label="Export" testId="cut-export">
            <a href={exportUrl("otio")} download="" data-testid="export-otio">
              OpenTimelineIO (.otio)
            </a>
            <a href={exportUrl("edl")} download="" data-testid="export-edl">
              CMX 3600 EDL (.edl)
            </a>
          </BarMenu>
        </Show>
      </header>
      <Show when={cut()}>
        {(c) => (
          <CutRenders
            session={s}
            cutId={c().id}
            watching={watching()}
            watch={(film) => {
              stop();
              setWatching(film);
            }}
          />
        )}
      </Show>
      <Show when={cut()}>
        <div class="timeline-body">
          <Show when={hint()}>
            <p class="trim-hint" role="status" data-testid="trim-hint">{hint()}</p>
          </Show>
          <CutPreview
            layers={pictureLayers()}
            slate={now() ? `${label(now()!.placed.clip.nodeId)}: no take` : "end"}
            speed={speed()}
            fps={fps()}
            watching={watching()}
            closeWatching={() => setWatching(null)}
          />
          <div
            class="lanes"
            ref={(el) => {
              lanes = el;
              // The ruler labels what is in view, so it follows the lanes' size as well.
              const sized = new ResizeObserver(readView);
              sized.observe(el);
              onCleanup(() => sized.disconnect());
            }}
            onScroll={readView}
            onWheel={wheel}
            data-scale={scale()}
          >
            <TimelineRuler
              scale={scale()}
              fps={fps()}
              width={contentWidth()}
              view={view()}
              seek={clock.seek}
            />
            <div class="lane video-lane" style={{ width: `${contentWidth()}px` }}>
              <For each={layout().clips}>
                {(placed, i) => {
                  const take = () => takeOf(placed.clip.nodeId);
                  const past = () => pastTakeOf(placed.clip);
                  const moving = () => drag()?.mode === "move" && drag()?.clipId === placed.clip.id;
                  return (
                    <>
                      <div
                        class="cut-clip"
                        classList={{
                          gap: !take(),
                          "past-take": past() !== null,
                          selected: selected() === placed.clip.id,
                          moving: moving(),
                        }}
                        style={{
                          left: `${placed.recordIn * scale()}px`,
                          width: `${placed.frames * scale()}px`,
                          transform: moving() ? `translateX(${drag()!.dx}px)` : "",
                        }}
                        onPointerDown={(e) => startDrag(e, placed.clip.id, "move")}
                        onClick={() => setSelected(placed.clip.id)}
                        title={`${label(placed.clip.nodeId)} · ${placed.frames} frames${
                          past() ? ` · ${past()}` : ""
                        }`}
                        data-testid={`clip-${placed.clip.id}`}
                        data-node={placed.clip.nodeId}
                        data-frames={placed.frames}
                      >
                        <Show when={take()}>
                          {(shownTake) => <ClipPoster take={shownTake()} class="clip-poster" />}
                        </Show>
                        <span class="clip-label">
                          {label(placed.clip.nodeId)}
                          <Show when={!take()}>· no take</Show>
                        </span>
                        <Show when={editable()}>
                          <div
                            class="trim-handle in"
                            onPointerDown={(e) => startDrag(e, placed.clip.id, "in")}
                            data-testid={`trim-in-${placed.clip.id}`}
                          />
                          <div
                            class="trim-handle out"
                            onPointerDown={(e) => startDrag(e, placed.clip.id, "out")}
                            data-testid={`trim-out-${placed.clip.id}`}
                          />
                        </Show>
                      </div>
                      <Show when={layout().clips[i() + 1]}>
                        {(next) => (
                          <button
                            type="button"
                            class="transition-handle"
                            classList={{ on: !!placed.clip.transition }}
                            style={{
                              left: `${(placed.recordOut - placed.overlapOut / 2) * scale() - 9}px`,
                            }}
                            disabled={!editable()}
                            title={placed.clip.transition
                              ? `${placed.clip.transition.kind}, ${placed.clip.transition.frames} frames`
                              : "Cut: click for a dissolve"}
                            onClick={() => toggleTransition(placed, next())}
                            data-testid={`transition-${placed.clip.id}`}
                          >
                            {placed.clip.transition ? "⧓" : "|"}
                          </button>
                        )}
                      </Show>
                    </>
                  );
                }}
              </For>
            </div>
            <For each={audioShown()}>
              {(lane) => (
                <TimelineAudioLane
                  track={lane.track}
                  clips={lane.clips}
                  scale={scale()}
                  editable={editable()}
                  selected={selected()}
                  label={label}
                  hasTake={(nodeId) => !!s.playedTake(nodeId)}
                  pastTake={pastTakeOf}
                  select={setSelected}
                  startDrag={startDrag}
                />
              )}
            </For>
            <div
              class="playhead"
              style={{ left: `${frame() * scale()}px` }}
              data-testid="playhead"
            />
          </div>
        </div>
        <Show when={selectedClip()}>
          {(clip) => (
            <TimelineClipDetails
              session={s}
              clip={clip()}
              fps={fps()}
              label={label(clip().nodeId)}
              editable={editable()}
              transitionLimit={transitionRoom(clip().id)}
              takeFrames={limitOf(clip().nodeId)}
              pastTake={pastTakeOf(clip())}
              set={setClip}
              remove={() => {
                const c = cut();
                if (c) edit([{ type: "cut.clip.remove", cutId: c.id, clipId: clip().id }]);
                setSelected(null);
              }}
            />
          )}
        </Show>
      </Show>
    </section>
  );
}
