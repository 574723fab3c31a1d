/**
 * Who changed what and when: the project's activity log (`GET /api/projects/:id/activity`),
 * newest first, optionally only the asset library's entries. Refreshed while open.
 */
import { createResource, createSignal, For, onCleanup, Show } from "solid-js";
import type { ActivityEntry } from "../api/types.ts";
import { describeActivity, isAssetActivity, timeAgo } from "../format/activity.ts";
import { api, settled } from "../services.ts";
import type { ProjectSession } from "../stores/project_session.ts";

/** Teammates' changes show up without a reload; the log is small (50 rows). */
const REFRESH_MS = 10_000;

export default function ActivityPanel(props: { session: ProjectSession }) {
  const id = props.session.project.id;
  const [log, { refetch }] = createResource(() => api.projects.activity(id));
  const [assetsOnly, setAssetsOnly] = createSignal(false);
  const [now, setNow] = createSignal(Date.now());
  const timer = setInterval(() => {
    setNow(Date.now());
    void refetch();
  }, REFRESH_MS);
  onCleanup(() => clearInterval(timer));
  const shown = (): ActivityEntry[] =>
    (settled(log) ?? []).filter((e) => !assetsOnly() || isAssetActivity(e));

  return (
    <div class="side-panel" data-testid="activity-panel">
      <label class="check small">
        <input
          type="checkbox"
          checked={assetsOnly()}
          onChange={(e) => setAssetsOnly(e.currentTarget.checked)}
          data-testid="activity-assets-only"
        />{" "}
        Assets only
      </label>
      <Show when={log.error}>
        <p class="form-error">Cannot load activity: {String(log.error?.message)}</p>
      </Show>
      <Show when={settled(log) && shown().length === 0}>
        <p class="muted small">Nothing yet.</p>
      </Show>
      <ul class="list activity">
        <For each={shown()}>
          {(entry) => (
            <li data-testid={`activity-${entry.id}`} data-action={entry.action}>
              <span>
                {describeActivity(entry)}
                <div class="muted small" title={new Date(entry.at).toLocaleString()}>
                  {timeAgo(entry.at, now())}
                </div>
              </span>
            </li>
          )}
        </For>
      </ul>
    </div>
  );
}
