/** The project list, most recent first: create, open, rename, delete. */
import { createResource, createSignal, For, onMount, Show } from "solid-js";
import { ApiError } from "../api/client.ts";
import type { Project } from "../api/types.ts";
import TopBar from "../components/TopBar.tsx";
import { navigate } from "../routes.ts";
import { api, session, settled } from "../services.ts";
import { toast } from "../stores/toasts.ts";

function ago(ms: number): string {
  const s = Math.max(0, (Date.now() - ms) / 1000);
  if (s < 60) return "just now";
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return new Date(ms).toLocaleDateString();
}

export default function DashboardPage() {
  onMount(() => {
    // A share-link guest has one project only.
    const me = session();
    if (me && "guest" in me) navigate({ name: "project", projectId: me.guest.projectId }, true);
  });
  const [projects, { mutate, refetch }] = createResource(() => api.projects.list());
  const [createError, setCreateError] = createSignal<string | null>(null);
  const [renaming, setRenaming] = createSignal<string | null>(null);

  async function create(e: SubmitEvent) {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const name = String(new FormData(form).get("name") ?? "").trim();
    setCreateError(null);
    try {
      const project = await api.projects.create({ name });
      form.reset();
      mutate((list) => [project, ...(list ?? [])]);
    } catch (error) {
      setCreateError(
        error instanceof ApiError ? error.issueFor("name") ?? error.message : String(error),
      );
    }
  }

  async function rename(project: Project, name: string) {
    setRenaming(null);
    if (name.trim() === "" || name === project.name) return;
    try {
      const updated = await api.projects.update(project.id, { name: name.trim() });
      mutate((list) => [updated, ...(list ?? []).filter((p) => p.id !== project.id)]);
    } catch (error) {
      toast(error instanceof ApiError ? error.describe() : String(error));
    }
  }

  async function remove(project: Project) {
    if (!confirm(`Delete "${project.name}"? Its canvas, takes and history go with it.`)) return;
    try {
      await api.projects.remove(project.id);
      mutate((list) => (list ?? []).filter((p) => p.id !== project.id));
      toast(`Deleted "${project.name}"`, "info");
    } catch (error) {
      toast(error instanceof ApiError ? error.describe() : String(error));
      void refetch();
    }
  }

  return (
    <div class="page">
      <TopBar />
      <main class="dashboard">
        <div class="dashboard-head">
          <h1>Projects</h1>
          <form class="inline-form" onSubmit={create} data-testid="project-create-form">
            <input
              name="name"
              placeholder="New project name"
              required
              maxLength={200}
              data-testid="project-name-input"
            />
            <button class="primary" type="submit" data-testid="project-create">
              Create project
            </button>
          </form>
        </div>
        <Show when={createError()}>
          <p class="form-error" role="alert" data-testid="project-create-error">{createError()}</p>
        </Show>
        <Show when={projects.error}>
          <p class="form-error" role="alert">
            Cannot load projects: {String(projects.error?.message)}
          </p>
        </Show>
        <Show when={settled(projects)?.length === 0}>
          <div class="empty" data-testid="projects-empty">
            No projects yet. Name one above to start laying out shots.
          </div>
        </Show>
        <ul class="project-list" data-testid="project-list">
          <For each={settled(projects)}>
            {(project) => (
              <li class="project-row" data-testid={`project-${project.id}`}>
                <Show
                  when={renaming() === project.id}
                  fallback={
                    <a
                      class="project-open"
                      href={`/projects/${project.id}`}
                      data-testid="project-open"
                      onClick={(
                        e,
                      ) => (e.preventDefault(),
                        navigate({ name: "project", projectId: project.id }))}
                    >
                      <span class="project-name">{project.name}</span>
                      <span class="muted">{project.role} · edited {ago(project.updatedAt)}</span>
                    </a>
                  }
                >
                  <input
                    class="project-rename-input"
                    value={project.name}
                    maxLength={200}
                    ref={(el) => queueMicrotask(() => el.select())}
                    data-testid="project-rename-input"
                    onKeyDown={(e) => {
                      if (e.key === "Enter") void rename(project, e.currentTarget.value);
                      if (e.key === "Escape") setRenaming(null);
                    }}
                    onBlur={(e) => void rename(project, e.currentTarget.value)}
                  />
                </Show>
                <div class="row-actions">
                  <Show when={project.role !== "reviewer"}>
                    <button
                      type="button"
                      class="ghost"
                      onClick={() => setRenaming(project.id)}
                      data-testid="project-rename"
                    >
                      Rename
                    </button>
                  </Show>
                  <Show when={project.role === "owner"}>
                    <button
                      type="button"
                      class="ghost danger"
                      onClick={() => void remove(project)}
                      data-testid="project-delete"
                    >
                      Delete
                    </button>
                  </Show>
                </div>
              </li>
            )}
          </For>
        </ul>
      </main>
    </div>
  );
}
