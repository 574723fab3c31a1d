/** The app's top bar: brand, whatever the page puts in the middle, and the account menu. */
import { type JSX, Show } from "solid-js";
import { navigate } from "../routes.ts";
import { api, displayName, session, setSession } from "../services.ts";
import { toast } from "../stores/toasts.ts";

export default function TopBar(props: { children?: JSX.Element }) {
  async function signOut() {
    try {
      await api.auth.logout();
    } catch (error) {
      return toast(`Sign out failed: ${(error as Error).message}`);
    }
    setSession(null);
    navigate({ name: "signin" }, true);
  }
  return (
    <header class="topbar">
      <a
        class="brand"
        href="/"
        data-testid="nav-home"
        onClick={(e) => (e.preventDefault(), navigate({ name: "dashboard" }))}
      >
        <span class="brand-mark" aria-hidden="true">▶</span>{" "}
        <span class="brand-name">Movie Director</span>
      </a>
      <div class="topbar-middle">{props.children}</div>
      <Show when={session()}>
        {(me) => (
          <div class="account">
            <Show when={"user" in me()}>
              <a
                class="nav-link"
                href="/agents"
                data-testid="nav-agents"
                onClick={(e) => (e.preventDefault(), navigate({ name: "agents" }))}
              >
                Agents
              </a>
              <a
                class="nav-link"
                href="/pools"
                data-testid="nav-pools"
                onClick={(e) => (e.preventDefault(), navigate({ name: "pools" }))}
              >
                Pools
              </a>
              <a
                class="nav-link"
                href="/studios"
                data-testid="nav-studios"
                onClick={(e) => (e.preventDefault(), navigate({ name: "studios" }))}
              >
                Studios
              </a>
            </Show>
            <span class="muted account-name" data-testid="account-name">{displayName(me())}</span>
            <button type="button" class="ghost" onClick={signOut} data-testid="sign-out">
              Sign out
            </button>
          </div>
        )}
      </Show>
    </header>
  );
}
