/**
 * What an agent can run (node types and tiers), what it cannot run yet and what would fix it,
 * and its backends that are down: on the Agents page and in a project's Agents panel.
 */
import { For, Show } from "solid-js";
import type { Agent, ProjectAgent } from "../api/types.ts";
import { blockedLines, runnableLines } from "../format/agents.ts";

/** What an agent runs, what it cannot run yet and why, and backends that are down. */
export default function AgentCapabilities(
  props: {
    agent: Agent | ProjectAgent;
    unhealthy?: { kind: string; problem?: string | undefined }[];
  },
) {
  const id = () => props.agent.id;
  return (
    <div class="agent-capabilities small">
      <div data-testid={`agent-runnable-${id()}`}>
        <span class="muted">Runs</span>
        <For
          each={runnableLines(props.agent.runnable)}
          fallback={<span class="muted">nothing yet</span>}
        >
          {(line) => <span class="chip">{line}</span>}
        </For>
      </div>
      <Show when={props.agent.blocked.length > 0}>
        <div data-testid={`agent-blocked-${id()}`}>
          <span class="muted">Cannot run yet</span>
          <ul class="plain">
            <For each={blockedLines(props.agent.blocked)}>{(line) => <li>{line}</li>}</For>
          </ul>
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
