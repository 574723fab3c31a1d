/**
 * The signed-in user's GPU agents: make a single-use enrollment token and show the exact
 * command to run on the GPU machine (it needs only Node.js and npm there), then watch the agent
 * come online; rename and revoke. The list (online state, GPUs, VRAM, backends, what each can
 * run and what it lacks for the rest, current job) refreshes every few seconds.
 */
import { createSignal, For, onCleanup, Show } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import { ApiError } from "../api/client.ts";
import type { Agent, EnrollmentToken, JobSummary, Project } from "../api/types.ts";
import AgentCapabilities from "../components/AgentCapabilities.tsx";
import CopyCommand from "../components/CopyCommand.tsx";
import PageLink from "../components/PageLink.tsx";
import TopBar from "../components/TopBar.tsx";
import { enrollCommands } from "../../../protocol/agent_command.ts";
import { formatVram, gpuLines } from "../format/agents.ts";
import { timeAgo } from "../format/activity.ts";
import { api } from "../services.ts";
import { toast } from "../stores/toasts.ts";

const POLL_MS = 3000;
/** Projects scanned for running jobs (GET /api/agents does not say what an agent runs). */
const JOB_SCAN_PROJECTS = 10;

const report = (error: unknown) =>
  toast(error instanceof ApiError ? error.describe() : String(error));

type RunningJob = JobSummary & { projectName: string };

/** What each agent runs now, by agent id, from the running jobs of the user's projects. */
async function runningJobs(): Promise<Map<string, RunningJob>> {
  const projects: Project[] = (await api.projects.list())
    .filter((p) => p.role !== "reviewer")
    .slice(0, JOB_SCAN_PROJECTS);
  const lists = await Promise.all(
    projects.map(async (p) =>
      (await api.jobs.list(p.id, { state: "running", limit: 50 }))
        .map((job) => ({ ...job, projectName: p.name }))
    ),
  );
  const byAgent = new Map<string, RunningJob>();
  for (const job of lists.flat()) if (job.agentId) byAgent.set(job.agentId, job);
  return byAgent;
}

function EnrollPanel(props: { onCreated: () => void }) {
  const [grant, setGrant] = createSignal<(EnrollmentToken & { name: string }) | null>(null);
  const [name, setName] = createSignal("");
  const commands = () => {
    const g = grant();
    return g && enrollCommands(location.origin, g.token, g.name);
  };
  async function create(e: SubmitEvent) {
    e.preventDefault();
    try {
      setGrant({ ...(await api.agents.createEnrollmentToken()), name: name() });
      props.onCreated();
    } catch (error) {
      report(error);
    }
  }
  return (
    <section class="card enroll" data-testid="enroll-panel">
      <h2>Add a GPU machine</h2>
      <p class="muted" data-testid="enroll-needs">
        On the GPU machine you need Node.js 18 or newer with npm, and a copy of this studio's
        repository (git clone, or unpack a download); run the commands in that folder. npx fetches
        Deno by itself. ComfyUI running there, and ffmpeg, are found by themselves. The token works
        once, for 15 minutes.
      </p>
      <form class="inline-form" onSubmit={create} data-testid="enroll-form">
        <input
          name="name"
          placeholder="Agent name (optional)"
          maxLength={200}
          value={name()}
          onInput={(e) => setName(e.currentTarget.value)}
          data-testid="enroll-name"
        />
        <button class="primary" type="submit" data-testid="enroll-create">
          Create enrollment token
        </button>
      </form>
      <Show when={commands()}>
        {(c) => (
          <div class="enroll-steps">
            <p>1. On the GPU machine, in the repository's folder, run:</p>
            <CopyCommand command={c().enroll} testId="enroll-command" />
            <p class="muted small">
              where Deno is installed: <code data-testid="enroll-task">{c().enrollWithDeno}</code>
            </p>
            <p>
              2. Then start it: <code data-testid="enroll-run">{c().run}</code>
            </p>
            <p class="muted small" data-testid="enroll-expires">
              Token valid until{" "}
              {new Date(grant()!.expiresAt).toLocaleTimeString()}. The agent appears below once it
              is enrolled.
            </p>
          </div>
        )}
      </Show>
    </section>
  );
}

function AgentRow(
  props: { agent: Agent; job: RunningJob | undefined; onChanged: () => void; now: number },
) {
  const [renaming, setRenaming] = createSignal(false);
  const a = () => props.agent;
  async function rename(value: string) {
    setRenaming(false);
    if (!value.trim() || value.trim() === a().name) return;
    try {
      await api.agents.rename(a().id, value.trim());
      props.onChanged();
    } catch (error) {
      report(error);
    }
  }
  async function revoke() {
    if (!confirm(`Revoke "${a().name}"? It stops taking jobs and must enroll again.`)) return;
    try {
      await api.agents.revoke(a().id);
      props.onChanged();
    } catch (error) {
      report(error);
    }
  }
  return (
    <li class="agent-row" data-testid={`agent-${a().id}`}>
      <div class="agent-main">
        <div class="agent-name-line">
          <span
            class="badge"
            classList={{ online: a().online }}
            data-testid={`agent-state-${a().id}`}
            data-state={a().online ? "online" : "offline"}
          >
            {a().online ? "online" : "offline"}
          </span>
          <Show
            when={renaming()}
            fallback={<strong data-testid={`agent-name-${a().id}`}>{a().name}</strong>}
          >
            <input
              value={a().name}
              maxLength={200}
              ref={(el) => queueMicrotask(() => el.select())}
              data-testid="agent-rename-input"
              onKeyDown={(e) => {
                if (e.key === "Enter") void rename(e.currentTarget.value);
                if (e.key === "Escape") setRenaming(false);
              }}
              onBlur={(e) => void rename(e.currentTarget.value)}
            />
          </Show>
          <span class="muted small">
            {a().profile.hostname} · seen {timeAgo(a().lastSeenAt, props.now)}
          </span>
        </div>
        <div class="agent-facts small">
          <span data-testid={`agent-gpus-${a().id}`}>{gpuLines(a().profile).join(", ")}</span>
          <span class="muted">largest {formatVram(a().maxVramMiB)}</span>
          <span data-testid={`agent-backends-${a().id}`}>
            <For each={a().backends} fallback={<span class="muted">no healthy backend</span>}>
              {(b) => <span class="chip">{b}</span>}
            </For>
          </span>
        </div>
        <AgentCapabilities
          agent={a()}
          fixes
          unhealthy={a().profile.backends.filter((b) => !b.healthy)}
        />
        <div class="small" data-testid={`agent-job-${a().id}`}>
          <Show when={props.job} fallback={<span class="muted">idle</span>}>
            {(job) => (
              <span>
                running {job().nodeType} in {job().projectName}
                {job().progress ? ` · ${Math.round(job().progress!.percent)}%` : ""}
              </span>
            )}
          </Show>
        </div>
      </div>
      <div class="row-actions">
        <button
          type="button"
          class="ghost"
          onClick={() => setRenaming(true)}
          data-testid={`agent-rename-${a().id}`}
        >
          Rename
        </button>
        <button
          type="button"
          class="ghost danger"
          onClick={() => void revoke()}
          data-testid={`agent-revoke-${a().id}`}
        >
          Revoke
        </button>
      </div>
    </li>
  );
}

export default function AgentsPage() {
  // A store merged by id keeps each row (and a rename in progress) across refreshes.
  const [agents, setAgents] = createStore<{ list: Agent[]; loaded: boolean; error: string | null }>(
    { list: [], loaded: false, error: null },
  );
  const [jobs, setJobs] = createSignal(new Map<string, RunningJob>());
  const [now, setNow] = createSignal(Date.now());
  let stopped = false;
  async function refresh(): Promise<void> {
    setNow(Date.now());
    try {
      const list = await api.agents.list();
      if (stopped) return;
      setAgents("list", reconcile(list, { key: "id" }));
      setAgents({ loaded: true, error: null });
      if (list.some((a) => a.online)) setJobs(await runningJobs());
    } catch (error) {
      if (!stopped) setAgents("error", (error as Error).message);
    }
  }
  void refresh();
  const timer = setInterval(() => void refresh(), POLL_MS);
  onCleanup(() => {
    stopped = true;
    clearInterval(timer);
  });

  return (
    <div class="page">
      <TopBar />
      <main class="dashboard agents-page" data-testid="agents-page">
        <div class="dashboard-head">
          <h1>GPU agents</h1>
          <PageLink to="pools" testId="agents-to-pools">Pools</PageLink>
        </div>
        <p class="muted small">
          These are your own machines (your personal pool). A studio's machines enroll into its
          pools, on the Pools page.
        </p>
        <EnrollPanel onCreated={() => void refresh()} />
        <Show when={agents.error}>
          <p class="form-error" role="alert">Cannot load agents: {agents.error}</p>
        </Show>
        <Show when={agents.loaded && agents.list.length === 0}>
          <div class="empty" data-testid="agents-empty">
            No agents yet. Create a token above and run the command on a machine with a GPU.
          </div>
        </Show>
        <ul class="project-list" data-testid="agent-list">
          <For each={agents.list}>
            {(agent) => (
              <AgentRow
                agent={agent}
                job={jobs().get(agent.id)}
                onChanged={() => void refresh()}
                now={now()}
              />
            )}
          </For>
        </ul>
      </main>
    </div>
  );
}
