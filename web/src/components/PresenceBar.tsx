/** Who is here (avatars), whether the canvas is live, and the review badge. */
import { For, Match, Show, Switch } from "solid-js";
import type { Peer } from "../../../protocol/canvas.ts";
import type { ProjectSession } from "../stores/project_session.ts";

function initials(name: string): string {
  // Letters only: "Cleo (client)" is "CC", not "C(".
  return name.split(/[^\p{L}\p{N}]+/u).filter(Boolean).slice(0, 2).map((w) => w[0]!.toUpperCase())
    .join("") ||
    "?";
}

function Avatar(props: { peer: Peer; you?: boolean }) {
  return (
    <span
      class="avatar"
      classList={{ you: props.you === true }}
      style={{ background: props.peer.color }}
      title={`${props.peer.name}${props.you ? " (you)" : ""} · ${props.peer.role}`}
      data-testid={`avatar-${props.peer.userId}`}
    >
      {initials(props.peer.name)}
    </span>
  );
}

export default function PresenceBar(props: { session: ProjectSession }) {
  const s = props.session;
  const state = () => s.connection();
  return (
    <div class="presence">
      <Show when={s.readOnly()}>
        <span
          class="badge review"
          data-testid="review-badge"
          title="You can look and follow along; edits are off"
        >
          Review
        </span>
      </Show>
      <span
        class={`connection ${state().kind}`}
        data-testid="connection-state"
        data-state={state().kind}
      >
        <Switch>
          <Match when={state().kind === "live"}>Live</Match>
          <Match when={state().kind === "connecting"}>Connecting…</Match>
          <Match when={state().kind === "offline"}>
            Offline: edits are kept{" "}
            <button
              type="button"
              class="link"
              onClick={() => s.reconnect()}
              data-testid="reconnect"
            >
              retry now
            </button>
          </Match>
          <Match when={state().kind === "closed"}>{(state() as { reason: string }).reason}</Match>
        </Switch>
      </span>
      <div class="avatars" data-testid="avatars">
        <Show when={s.you()}>{(me) => <Avatar peer={me()} you />}</Show>
        <For each={s.peers()}>{(peer) => <Avatar peer={peer} />}</For>
      </div>
    </div>
  );
}
