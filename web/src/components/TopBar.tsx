/** The app's top bar: brand, whatever the page puts in the middle, and the account menu. */
import { type JSX, Show } from "solid-js";
import { navigate } from "../routes.ts";
import { api, displayName, session, setSession } from "../services.ts";
import { toast } from "../stores/toasts.ts";
import PageLink from "./PageLink.tsx";

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
              <PageLink to="agents" testId="nav-agents">Agents</PageLink>
              <PageLink to="pools" testId="nav-pools">Pools</PageLink>
              <PageLink to="studios" testId="nav-studios">Studios</PageLink>
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
