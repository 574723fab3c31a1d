/**
 * The graph's saved revisions, newest first: who changed what and when; open one to see its
 * graph drawn small, and revert to it.
 */
import { createResource, createSignal, For, onCleanup, Show } from "solid-js";
import type { Graph } from "../../../protocol/graph.ts";
import { ApiError } from "../api/client.ts";
import { api, settled } from "../services.ts";
import type { ProjectSession } from "../stores/project_session.ts";
import { toast } from "../stores/toasts.ts";
import GraphPreview from "./GraphPreview.tsx";

/** "3 nodes, 1 connection". */
function sizeWords(graph: Graph): string {
  const n = Object.keys(graph.nodes).length, e = Object.keys(graph.edges).length;
  return `${n} node${n === 1 ? "" : "s"}, ${e} connection${e === 1 ? "" : "s"}`;
}

/** How often the list is read again while the panel is open (the activity panel's pace). */
const REFRESH_MS = 10_000;

export default function HistoryPanel(props: { session: ProjectSession }) {
  const id = props.session.project.id;
  const [page, { refetch }] = createResource(() => api.revisions.list(id));
  const [viewing, setViewing] = createSignal<number | null>(null);
  const [detail] = createResource(viewing, (rev) => api.revisions.get(id, rev));
  // Teammates' edits are saved as revisions a moment after they stop: show them without a reload.
  const timer = setInterval(() => void refetch(), REFRESH_MS);
  onCleanup(() => clearInterval(timer));

  async function revert(revision: number) {
    if (
      !confirm(`Revert the canvas to revision ${revision}? Everyone in the room sees it at once.`)
    ) return;
    try {
      const result = await api.revisions.revert(id, revision);
      toast(`Reverted: saved as revision ${result.revision}`, "info");
      void refetch();
    } catch (error) {
      toast(error instanceof ApiError ? error.describe() : String(error));
    }
  }

  return (
    <div class="side-panel" data-testid="history-panel">
      <Show when={page.error}>
        <p class="form-error">Cannot load history: {String(page.error?.message)}</p>
      </Show>
      <Show when={settled(page)?.revisions.length === 0}>
        <p class="muted small">No saved revisions yet. The room saves shortly after edits stop.</p>
      </Show>
      <ul class="list revisions">
        <For each={settled(page)?.revisions}>
          {(r) => (
            <li
              classList={{ active: viewing() === r.revision }}
              data-testid={`revision-${r.revision}`}
            >
              <button
                type="button"
                class="link"
                aria-expanded={viewing() === r.revision}
                onClick={() => setViewing(viewing() === r.revision ? null : r.revision)}
              >
                <strong>#{r.revision}</strong>{" "}
                <span data-testid={`revision-${r.revision}-summary`}>
                  {r.summary ?? r.message ?? "edits"}
                </span>
                <div class="muted small">{new Date(r.createdAt).toLocaleString()}</div>
              </button>
              <Show when={viewing() === r.revision && settled(detail)}>
                {(d) => (
                  <div class="revision-detail">
                    <GraphPreview
                      graph={d().graph}
                      label={`The canvas at revision ${r.revision}`}
                    />
                    <div class="muted small">{sizeWords(d().graph)}</div>
                    <Show when={!props.session.readOnly()}>
                      <button
                        type="button"
                        class="small"
                        onClick={() => void revert(r.revision)}
                        data-testid={`revert-${r.revision}`}
                      >
                        Revert to this
                      </button>
                    </Show>
                  </div>
                )}
              </Show>
            </li>
          )}
        </For>
      </ul>
    </div>
  );
}
