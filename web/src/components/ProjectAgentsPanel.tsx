/**
 * The pools that serve this project (chosen by an owner) and their agents, for every member: name,
 * online or not, GPUs and VRAM, what each can run and what it lacks for the rest. Nothing about
 * the people who own them. Refreshed while open: agents come and go.
 */
import { createResource, For, onCleanup, Show } from "solid-js";
import { formatVram } from "../format/agents.ts";
import { api, settled } from "../services.ts";
import type { ProjectSession } from "../stores/project_session.ts";
import AgentCapabilities from "./AgentCapabilities.tsx";
import ProjectPools from "./fleet/ProjectPools.tsx";

const REFRESH_MS = 5_000;

export default function ProjectAgentsPanel(props: { session: ProjectSession }) {
  const id = props.session.project.id;
  const [agents, { refetch }] = createResource(() => api.agents.ofProject(id));
  const timer = setInterval(() => void refetch(), REFRESH_MS);
  onCleanup(() => clearInterval(timer));
  return (
    <div class="side-panel" data-testid="project-agents-panel">
      <ProjectPools session={props.session} />
      <p class="muted small">The agents of these pools run its Generate jobs:</p>
      <Show when={agents.error}>
        <p class="form-error">Cannot load agents: {String(agents.error?.message)}</p>
      </Show>
      <Show when={settled(agents)?.length === 0}>
        <p class="muted small" data-testid="project-agents-empty">
          No agent of these pools is enrolled yet: add a GPU machine on the Agents page, or enroll
          one into a studio's pool on the Pools page (top bar).
        </p>
      </Show>
      <ul class="list project-agents">
        <For each={settled(agents)}>
          {(agent) => (
            <li data-testid={`project-agent-${agent.id}`}>
              <div>
                <div class="agent-name-line">
                  <span
                    class="badge"
                    classList={{ online: agent.online }}
                    data-state={agent.online ? "online" : "offline"}
                  >
                    {agent.online ? "online" : "offline"}
                  </span>
                  <strong>{agent.name}</strong>
                  <Show when={agent.pool}>
                    {(pool) => <span class="chip">{pool().name}</span>}
                  </Show>
                </div>
                <div class="small" data-testid={`project-agent-gpus-${agent.id}`}>
                  {agent.gpus.length === 0
                    ? "no GPU (CPU work only)"
                    : agent.gpus.map((g) => `${g.name} · ${formatVram(g.vramTotalMiB)}`).join(
                      ", ",
                    )}
                </div>
                <AgentCapabilities agent={agent} />
              </div>
            </li>
          )}
        </For>
      </ul>
    </div>
  );
}
