/**
 * The command that enrolls a machine into this pool (managers): single use for 15 minutes, or
 * reusable for an autoscaled fleet whose every container enrolls itself with the same token.
 */
import { createSignal, Show } from "solid-js";
import { AGENT_LAUNCHER } from "../../../../protocol/agent_command.ts";
import { ApiError } from "../../api/client.ts";
import type { PoolEnrollment } from "../../api/types.ts";
import { api } from "../../services.ts";
import { toast } from "../../stores/toasts.ts";
import CopyCommand from "../CopyCommand.tsx";

export default function PoolEnroll(props: { poolId: string }) {
  const [grant, setGrant] = createSignal<PoolEnrollment | null>(null);
  const [reusable, setReusable] = createSignal(false);
  async function create() {
    try {
      setGrant(await api.pools.enroll(props.poolId, { reusable: reusable() }));
    } catch (error) {
      toast(error instanceof ApiError ? error.describe() : String(error));
    }
  }
  return (
    <div class="pool-enroll" data-testid={`pool-enroll-${props.poolId}`}>
      <div class="inline-form">
        <button type="button" class="small" onClick={() => void create()} data-testid="pool-enroll">
          Enrollment command
        </button>
        <label class="small">
          <input
            type="checkbox"
            checked={reusable()}
            onChange={(e) => setReusable(e.currentTarget.checked)}
            data-testid="pool-enroll-reusable"
          />{" "}
          reusable (for an autoscaled fleet, 30 days)
        </label>
      </div>
      <Show when={grant()}>
        {(g) => (
          <div class="enroll-steps">
            <p class="small">On the GPU machine, in the repository's folder, run:</p>
            <CopyCommand command={g().command} testId="pool-enroll-command" />
            <p class="muted small">
              then <code>{AGENT_LAUNCHER} run</code>.{" "}
              {g().reusable ? "Reusable" : "Single use"}, valid until{" "}
              {new Date(g().expiresAt).toLocaleString()}.
            </p>
          </div>
        )}
      </Show>
    </div>
  );
}
