/** The graph's saved revisions, newest first: who and when, view one's summary, revert to it. */
import { createResource, createSignal, For, Show } from "solid-js";
import { ApiError } from "../api/client.ts";
import { api, settled } from "../services.ts";
import type { ProjectSession } from "../stores/project_session.ts";
import { toast } from "../stores/toasts.ts";

export default function HistoryPanel(props: { session: ProjectSession }) {
  const id = props.session.project.id;
  const [page, { refetch }] = createResource(() => api.revisions.list(id));
  const [viewing, setViewing] = createSignal<number | null>(null);
  const [detail] = createResource(viewing, (rev) => api.revisions.get(id, rev));

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
                onClick={() => setViewing(viewing() === r.revision ? null : r.revision)}
              >
                <strong>#{r.revision}</strong> {r.message || "edits"}
                <div class="muted small">
                  {r.authorName ?? "someone"} · {new Date(r.createdAt).toLocaleString()}
                </div>
              </button>
              <Show when={viewing() === r.revision && settled(detail)}>
                {(d) => (
                  <div class="revision-detail">
                    <div class="muted small">
                      {Object.keys(d().graph.nodes).length} nodes,{" "}
                      {Object.keys(d().graph.edges).length} connections:{" "}
                      {Object.values(d().graph.nodes).slice(0, 6).map((n) => n.title).join(", ")}
                    </div>
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
