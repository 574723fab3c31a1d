/**
 * A studio's people and their roles. Admins change roles and remove people; anyone may leave.
 * The edge keeps a studio from losing its last admin (409 `last_admin`, said in a toast).
 */
import { For, Show } from "solid-js";
import type { StudioRole } from "../../../../protocol/fleet.ts";
import { ApiError } from "../../api/client.ts";
import type { Studio } from "../../api/types.ts";
import { api } from "../../services.ts";
import { toast } from "../../stores/toasts.ts";

export default function StudioMembers(
  props: { studio: Studio; me: string; onChanged: () => void },
) {
  const admin = () => props.studio.role === "admin";
  async function act(change: () => Promise<void>) {
    try {
      await change();
    } catch (error) {
      toast(error instanceof ApiError ? error.describe() : String(error));
    }
    props.onChanged();
  }
  return (
    <ul class="list studio-members">
      <For each={props.studio.members}>
        {(m) => (
          <li data-testid={`studio-member-${m.userId}`}>
            <span class="studio-member-name">
              {m.name}
              {m.userId === props.me ? " (you)" : ""}
            </span>
            <select
              value={m.role}
              disabled={!admin()}
              aria-label={`Role of ${m.name}`}
              onChange={(e) => {
                const role = e.currentTarget.value as StudioRole;
                void act(() => api.studios.setRole(props.studio.id, m.userId, role));
              }}
              data-testid={`studio-role-${m.userId}`}
            >
              <option value="admin">admin</option>
              <option value="member">member</option>
            </select>
            <Show when={admin() || m.userId === props.me}>
              <button
                type="button"
                class="ghost danger small"
                onClick={() => {
                  const leaving = m.userId === props.me;
                  const ask = leaving
                    ? `Leave "${props.studio.name}"? Its pools stop serving your projects.`
                    : `Remove ${m.name} from "${props.studio.name}"?`;
                  if (confirm(ask)) void act(() => api.studios.remove(props.studio.id, m.userId));
                }}
                data-testid={`studio-remove-${m.userId}`}
              >
                {m.userId === props.me ? "Leave" : "Remove"}
              </button>
            </Show>
          </li>
        )}
      </For>
    </ul>
  );
}
