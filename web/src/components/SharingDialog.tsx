/**
 * Members and sharing (owners): invite by email with a role (the person becomes a member when
 * they accept), pending invitations with their expiry and Revoke, change roles, reviewer links.
 */
import { createEffect, createResource, createSignal, For, on, Show } from "solid-js";
import { type Role, ROLES } from "../../../protocol/room_ticket.ts";
import { ApiError } from "../api/client.ts";
import type { Project } from "../api/types.ts";
import { timeLeft } from "../format/activity.ts";
import { api, loaded } from "../services.ts";
import { toast } from "../stores/toasts.ts";

const report = (error: unknown) =>
  toast(error instanceof ApiError ? error.describe() : String(error));

export default function SharingDialog(
  props: {
    project: Project;
    /** Moves when the room says who is a member changed (someone accepted, left, was moved). */
    membersChanged: () => number;
    onClose: () => void;
  },
) {
  const id = props.project.id;
  const [members, { refetch: reloadMembers }] = createResource(() => api.members.list(id));
  const [links, { refetch: reloadLinks }] = createResource(() => api.shareLinks.list(id));
  const [invites, { refetch: reloadInvites }] = createResource(() => api.invites.list(id));
  createEffect(on(props.membersChanged, () => {
    void reloadMembers();
    void reloadInvites();
  }, { defer: true }));
  const [inviteError, setInviteError] = createSignal<string | null>(null);
  const [invited, setInvited] = createSignal<{ email: string; role: Role } | null>(null);
  const [newLink, setNewLink] = createSignal<string | null>(null);

  async function invite(e: SubmitEvent) {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    setInviteError(null);
    setInvited(null);
    try {
      const invite = await api.invites.create(
        id,
        String(data.get("email") ?? "").trim(),
        String(data.get("role")) as Role,
      );
      form.reset();
      setInvited({ email: invite.email, role: invite.role });
      void reloadInvites();
    } catch (error) {
      setInviteError(
        error instanceof ApiError && error.code === "already_member"
          ? "They are already a member: change their role below."
          : error instanceof ApiError
          ? error.issueFor("email") ?? error.describe()
          : String(error),
      );
    }
  }

  async function createLink(e: SubmitEvent) {
    e.preventDefault();
    const label = String(new FormData(e.currentTarget as HTMLFormElement).get("label") ?? "")
      .trim();
    try {
      const { token } = await api.shareLinks.create(id, label ? { label } : {});
      setNewLink(`${location.origin}/s/${encodeURIComponent(token)}`);
      void reloadLinks();
    } catch (error) {
      report(error);
    }
  }

  return (
    <div
      class="modal-backdrop"
      onClick={(e) => e.target === e.currentTarget && props.onClose()}
    >
      <div
        class="modal"
        role="dialog"
        aria-modal="true"
        aria-label="Share"
        data-testid="sharing-dialog"
        onKeyDown={(e) => e.key === "Escape" && props.onClose()}
      >
        <header class="modal-head">
          <h2>Share "{props.project.name}"</h2>
          <button
            type="button"
            class="ghost"
            aria-label="Close"
            onClick={props.onClose}
            data-testid="sharing-close"
          >
            ×
          </button>
        </header>
        <section>
          <h3>Members</h3>
          <form class="inline-form" onSubmit={invite} data-testid="invite-form">
            <input
              name="email"
              type="email"
              placeholder="teammate@studio.com"
              required
              data-testid="invite-email"
            />
            <select name="role" data-testid="invite-role">
              <For each={ROLES.filter((r) => r !== "owner")}>
                {(r) => <option value={r}>{r}</option>}
              </For>
            </select>
            <button class="primary" type="submit" data-testid="invite-submit">Invite</button>
          </form>
          <Show when={inviteError()}>
            <p class="form-error" role="alert" data-testid="invite-error">{inviteError()}</p>
          </Show>
          <Show when={invited()}>
            {(i) => (
              <p class="notice small" role="status" data-testid="invite-sent">
                {i().email} is invited as{" "}
                {i().role}. They see the invitation on their dashboard when they sign in, or sign
                up, with that email, and join when they accept it. The studio sends no email: let
                them know.
              </p>
            )}
          </Show>
          <ul class="list" data-testid="member-list">
            <For each={loaded(members)}>
              {(m) => (
                <li data-testid={`member-${m.userId}`}>
                  <span>
                    {m.name} <span class="muted">{m.email}</span>
                  </span>
                  <Show when={m.role !== "owner"} fallback={<span class="muted">owner</span>}>
                    <select
                      value={m.role}
                      aria-label={`Role of ${m.name}`}
                      onChange={(e) =>
                        void api.members.setRole(id, m.userId, e.currentTarget.value as Role).catch(
                          report,
                        ).finally(reloadMembers)}
                    >
                      <For each={ROLES.filter((r) => r !== "owner")}>
                        {(r) => <option value={r}>{r}</option>}
                      </For>
                    </select>
                    <button
                      type="button"
                      class="ghost danger"
                      onClick={() =>
                        void api.members.remove(id, m.userId).catch(report).finally(reloadMembers)}
                      data-testid={`member-remove-${m.userId}`}
                    >
                      Remove
                    </button>
                  </Show>
                </li>
              )}
            </For>
          </ul>
          <Show when={(loaded(invites)?.length ?? 0) > 0}>
            <h4 class="muted small">Invited, not yet joined</h4>
            <ul class="list" data-testid="invite-list">
              <For each={loaded(invites)}>
                {(invite) => (
                  <li data-testid={`pending-invite-${invite.id}`}>
                    <span>
                      {invite.email}{" "}
                      <span class="muted">
                        {invite.role} · {invite.expired
                          ? "expired: invite again to renew"
                          : `expires in ${timeLeft(invite.expiresAt, Date.now())}`}
                      </span>
                    </span>
                    <button
                      type="button"
                      class="ghost danger"
                      onClick={() =>
                        void api.invites.revoke(id, invite.id).catch(report).finally(
                          reloadInvites,
                        )}
                      data-testid={`pending-invite-revoke-${invite.id}`}
                    >
                      Revoke
                    </button>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </section>
        <section>
          <h3>Reviewer links</h3>
          <p class="muted small">
            Anyone with a link can watch the canvas live, open takes and play them; they cannot
            edit.
          </p>
          <form class="inline-form" onSubmit={createLink} data-testid="share-link-form">
            <input
              name="label"
              placeholder="Label, e.g. Client review"
              maxLength={200}
              data-testid="share-link-label"
            />
            <button class="primary" type="submit" data-testid="share-link-create">
              Create link
            </button>
          </form>
          <Show when={newLink()}>
            <div class="new-link">
              <input
                readOnly
                value={newLink()!}
                data-testid="share-link-url"
                onFocus={(e) => e.currentTarget.select()}
              />
              <button
                type="button"
                onClick={() =>
                  void navigator.clipboard?.writeText(newLink()!).then(() =>
                    toast("Link copied", "info")
                  )}
              >
                Copy
              </button>
            </div>
            <p class="muted small">Copy it now: it is shown only once.</p>
          </Show>
          <ul class="list" data-testid="share-link-list">
            <For each={loaded(links)?.filter((l) => l.revokedAt === null)}>
              {(l) => (
                <li data-testid={`share-link-${l.id}`}>
                  <span>
                    {l.label || "Untitled link"}{" "}
                    <span class="muted">created {new Date(l.createdAt).toLocaleDateString()}</span>
                  </span>
                  <button
                    type="button"
                    class="ghost danger"
                    onClick={() =>
                      void api.shareLinks.revoke(id, l.id).catch(report).finally(reloadLinks)}
                    data-testid={`share-link-revoke-${l.id}`}
                  >
                    Revoke
                  </button>
                </li>
              )}
            </For>
          </ul>
        </section>
      </div>
    </div>
  );
}
