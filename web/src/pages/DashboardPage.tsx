/**
 * The signed-in person's home: invitations waiting for them (accept or decline), then their
 * projects, most recent first: create (and open), open, rename, delete. Both lists follow
 * changes made elsewhere while the page is open (stores/inbox.ts): a new invitation appears
 * with a notice, a membership an owner changed shows at once.
 */
import { createResource, createSignal, For, onCleanup, onMount, Show } from "solid-js";
import { ApiError } from "../api/client.ts";
import type { MyInvite, MyMention, Project } from "../api/types.ts";
import TopBar from "../components/TopBar.tsx";
import { timeLeft } from "../format/activity.ts";
import { navigate } from "../routes.ts";
import { api, session, settled } from "../services.ts";
import { openInbox } from "../stores/inbox.ts";
import { dismiss, showToast, toast } from "../stores/toasts.ts";

function ago(ms: number): string {
  const s = Math.max(0, (Date.now() - ms) / 1000);
  if (s < 60) return "just now";
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return new Date(ms).toLocaleDateString();
}

const ROLE_VERB: Record<MyInvite["role"], string> = {
  owner: "co-own",
  editor: "edit",
  reviewer: "review",
};

/** "Ana invited you to edit “Harbour”" */
/** Where a mention is read: the cut's or the take's review page, else the project. */
export function mentionPath(mention: MyMention): string {
  const t = mention.target;
  if (t.kind === "cut") return `/review/${mention.projectId}/${t.cutId}`;
  if (t.kind === "take") return `/review/${mention.projectId}/take/${t.takeId}`;
  return `/projects/${mention.projectId}`;
}

export function inviteLine(invite: MyInvite): string {
  return `${invite.invitedByName} invited you to ${ROLE_VERB[invite.role]} “${invite.projectName}”`;
}

export default function DashboardPage() {
  onMount(() => {
    // A share-link guest has one project only.
    const me = session();
    if (me && "guest" in me) navigate({ name: "project", projectId: me.guest.projectId }, true);
  });
  const [projects, { mutate, refetch }] = createResource(() => api.projects.list());
  const [invites, { refetch: refetchInvites }] = createResource(() => api.invites.mine());
  const [mentions, { refetch: refetchMentions }] = createResource(() => api.inbox.mentions());
  const [answering, setAnswering] = createSignal<string | null>(null);
  /** The notice of each invitation that arrived while the page was open, by invitation id. */
  const notices = new Map<string, number>();
  /** Reloads the invitations; one that was not on the page before gets a notice. */
  async function reloadInvites() {
    const shown = invites.loading ? null : new Set((settled(invites) ?? []).map((i) => i.id));
    const list = await refetchInvites();
    if (!list) return;
    // A notice for an invitation that is gone (answered, withdrawn) would offer a dead Accept.
    for (const [id, notice] of notices) {
      if (list.some((i) => i.id === id)) continue;
      dismiss(notice);
      notices.delete(id);
    }
    if (!shown) return;
    for (const invite of list) {
      if (shown.has(invite.id)) continue;
      notices.set(
        invite.id,
        showToast(inviteLine(invite), "info", {
          label: "Accept",
          run: () => void answer(invite, "accept"),
        }),
      );
    }
  }
  onMount(() => {
    const me = session();
    if (!me || !("user" in me)) return;
    const close = openInbox({
      changed: (what) =>
        void (what === "invites"
          ? reloadInvites()
          : what === "mentions"
          ? refetchMentions()
          : refetch()),
      stopped: (reason) => toast(`Live updates are off: ${reason}`),
    });
    onCleanup(close);
  });

  async function answer(invite: MyInvite, how: "accept" | "decline") {
    setAnswering(invite.id);
    try {
      if (how === "accept") {
        await api.invites.accept(invite.id);
        toast(`You joined “${invite.projectName}” as ${invite.role}`, "info");
        await refetch();
      } else {
        await api.invites.decline(invite.id);
      }
    } catch (error) {
      toast(error instanceof ApiError ? error.describe() : String(error));
    } finally {
      setAnswering(null);
      void reloadInvites();
    }
  }
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
      // Someone who names a project means to work in it.
      navigate({ name: "project", projectId: project.id });
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
        <Show when={(settled(invites)?.length ?? 0) > 0}>
          <section class="invites" aria-label="Invitations" data-testid="invites">
            <h2>Invitations</h2>
            <ul class="project-list">
              <For each={settled(invites)}>
                {(invite) => (
                  <li class="project-row invite-row" data-testid={`invitation-${invite.id}`}>
                    <div class="project-open">
                      <span class="project-name" data-testid="invitation-text">
                        {inviteLine(invite)}
                      </span>
                      <span class="muted">
                        {invite.role} · expires in {timeLeft(invite.expiresAt, Date.now())}
                      </span>
                    </div>
                    <div class="row-actions">
                      <button
                        type="button"
                        class="primary"
                        disabled={answering() === invite.id}
                        onClick={() =>
                          void answer(invite, "accept")}
                        data-testid="invitation-accept"
                      >
                        Accept
                      </button>
                      <button
                        type="button"
                        class="ghost"
                        disabled={answering() === invite.id}
                        onClick={() =>
                          void answer(invite, "decline")}
                        data-testid="invitation-decline"
                      >
                        Decline
                      </button>
                    </div>
                  </li>
                )}
              </For>
            </ul>
          </section>
        </Show>
        <Show when={(settled(mentions)?.length ?? 0) > 0}>
          <section class="invites" aria-label="Mentions" data-testid="mentions">
            <h2>Mentions</h2>
            <ul class="project-list">
              <For each={settled(mentions)}>
                {(mention) => (
                  <li class="project-row" data-testid={`mention-${mention.commentId}`}>
                    <a class="project-open" href={mentionPath(mention)}>
                      <span class="project-name" data-testid="mention-text">
                        {mention.by} in {mention.projectName}: {mention.body}
                      </span>
                      <span class="muted">{ago(mention.at)}</span>
                    </a>
                  </li>
                )}
              </For>
            </ul>
          </section>
        </Show>
        <Show when={projects.error}>
          <p class="form-error" role="alert">
            Cannot load projects: {String(projects.error?.message)}
          </p>
        </Show>
        <Show when={settled(projects)?.length === 0}>
          <div class="empty" data-testid="projects-empty">
            No projects yet. Name one above to start laying out shots, or accept an invitation:
            invitations to your email appear here as soon as they are sent.
          </div>
        </Show>
        <ul class="project-list" hidden={!settled(projects)?.length} data-testid="project-list">
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
