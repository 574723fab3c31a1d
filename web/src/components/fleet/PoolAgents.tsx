/** A pool's agents: online or not, busy or idle (and how many jobs they hold), their VRAM. */
import { For, Show } from "solid-js";
import type { PoolAgent } from "../../api/types.ts";
import { formatVram } from "../../format/agents.ts";

function state(agent: PoolAgent): "offline" | "busy" | "idle" {
  if (!agent.online) return "offline";
  return agent.busy ? "busy" : "idle";
}

export default function PoolAgents(props: { agents: PoolAgent[] }) {
  return (
    <Show
      when={props.agents.length > 0}
      fallback={
        <p class="muted small" data-testid="pool-agents-empty">No agents in this pool yet.</p>
      }
    >
      <ul class="pool-agents">
        <For each={props.agents}>
          {(agent) => (
            <li data-testid={`pool-agent-${agent.id}`} data-state={state(agent)}>
              <span class="badge" classList={{ online: agent.online }}>{state(agent)}</span>
              <strong>{agent.name}</strong>
              <span class="small">{formatVram(agent.maxVramMiB)}</span>
              <Show when={agent.jobs > 0}>
                <span class="muted small">
                  {agent.jobs} job{agent.jobs === 1 ? "" : "s"}
                </span>
              </Show>
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}
