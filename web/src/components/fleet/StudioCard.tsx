/**
 * One studio: its people and roles, a join code for admins to hand out (shown once; a new one
 * replaces it), and its pools (managed on the Pools page).
 */
import { createSignal, For, Show } from "solid-js";
import { ApiError } from "../../api/client.ts";
import type { Pool, Studio } from "../../api/types.ts";
import { api } from "../../services.ts";
import { toast } from "../../stores/toasts.ts";
import CopyCommand from "../CopyCommand.tsx";
import PageLink from "../PageLink.tsx";
import StudioMembers from "./StudioMembers.tsx";

export default function StudioCard(
  props: { studio: Studio; pools: Pool[]; me: string; onChanged: () => void },
) {
  const [code, setCode] = createSignal<string | null>(null);
  async function newCode() {
    try {
      setCode(await api.studios.joinCode(props.studio.id));
    } catch (error) {
      toast(error instanceof ApiError ? error.describe() : String(error));
    }
  }
  return (
    <section class="card" data-testid={`studio-${props.studio.id}`}>
      <div class="pool-head">
        <h2>{props.studio.name}</h2>
        <span class="muted small">you: {props.studio.role}</span>
      </div>
      <StudioMembers studio={props.studio} me={props.me} onChanged={props.onChanged} />
      <Show when={props.studio.role === "admin"}>
        <div class="studio-join-code">
          <button
            type="button"
            class="small"
            onClick={() => void newCode()}
            data-testid="studio-code"
          >
            New join code
          </button>
          <span class="muted small">
            Anyone with it joins as a member; a new code stops the old one.
          </span>
          <Show when={code()}>
            {(c) => <CopyCommand command={c()} testId="studio-code-value" />}
          </Show>
        </div>
      </Show>
      <h3 class="small">Pools</h3>
      <Show
        when={props.pools.length > 0}
        fallback={<p class="muted small" data-testid="studio-no-pools">No pools yet.</p>}
      >
        <ul class="plain small" data-testid="studio-pools">
          <For each={props.pools}>{(p) => <li>{p.name}</li>}</For>
        </ul>
      </Show>
      <PageLink to="pools" class="small" testId="studio-to-pools">
        {props.studio.role === "admin" ? "Create and manage pools" : "See the pools"}
      </PageLink>
    </section>
  );
}
