/**
 * What an agent can run (node types and tiers), what it cannot run yet, and its backends that
 * are down. On the Agents page (`fixes`) each missing pair says what to install where; in a
 * project's GPUs panel, for members who cannot install anything, only what it cannot run.
 */
import { For, Show } from "solid-js";
import type { Agent, ProjectAgent } from "../api/types.ts";
import { blockedLines, runnableLines } from "../format/agents.ts";

export default function AgentCapabilities(
  props: {
    agent: Agent | ProjectAgent;
    /** Say what would fix each pair it cannot run (for the agent's owner). */
    fixes?: boolean;
    unhealthy?: { kind: string; problem?: string | undefined }[];
  },
) {
  const id = () => props.agent.id;
  return (
    <div class="agent-capabilities small">
      <div data-testid={`agent-runnable-${id()}`}>
        <span class="muted label">Runs</span>
        <For
          each={runnableLines(props.agent.runnable)}
          fallback={<span class="muted">nothing yet</span>}
        >
          {(line) => <span class="chip">{line}</span>}
        </For>
      </div>
      <Show when={props.agent.blocked.length > 0}>
        <div data-testid={`agent-blocked-${id()}`}>
          <span class="muted label">Cannot run yet</span>
          <Show
            when={props.fixes}
            fallback={
              <For each={runnableLines(props.agent.blocked)}>
                {(line) => <span class="chip muted">{line}</span>}
              </For>
            }
          >
            <ul class="plain">
              <For each={blockedLines(props.agent.blocked)}>{(line) => <li>{line}</li>}</For>
            </ul>
          </Show>
        </div>
      </Show>
      <For each={props.unhealthy ?? []}>
        {(b) => (
          <div class="warn" data-testid={`agent-down-${id()}-${b.kind}`}>
            {b.kind} is down{b.problem ? `: ${b.problem}` : ""}
          </div>
        )}
      </For>
    </div>
  );
}
