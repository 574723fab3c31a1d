/** Picks the screen for the current URL, once the session is known. */
import {
  createResource,
  ErrorBoundary,
  lazy,
  Match,
  onMount,
  Show,
  Suspense,
  Switch,
} from "solid-js";
import AgentsPage from "./pages/AgentsPage.tsx";
import AuthPage from "./pages/AuthPage.tsx";
import DashboardPage from "./pages/DashboardPage.tsx";
import PoolsPage from "./pages/PoolsPage.tsx";
import StudiosPage from "./pages/StudiosPage.tsx";
import SharePage from "./pages/SharePage.tsx";
import { currentRoute, navigate } from "./routes.ts";
import { loadSession, session } from "./services.ts";
import Toasts from "./components/Toasts.tsx";

// The canvas is most of the code; the sign-in page should not wait for it.
const ProjectPage = lazy(() => import("./pages/ProjectPage.tsx"));
const ReviewPage = lazy(() => import("./pages/ReviewPage.tsx"));
const CutReviewPage = lazy(() => import("./pages/CutReviewPage.tsx"));

function Redirect(props: { to: "signin" | "dashboard" }) {
  onMount(() => navigate({ name: props.to }, true));
  return null;
}

export default function App() {
  const [loaded] = createResource(loadSession);
  const route = currentRoute;
  const needsAccount = () => {
    const r = route();
    return r.name === "dashboard" || r.name === "project" || r.name === "agents" ||
      r.name === "pools" || r.name === "studios" || r.name === "reviewTake" ||
      r.name === "reviewCut";
  };
  return (
    <>
      <Show when={!loaded.loading} fallback={<div class="splash">Movie Director</div>}>
        <Show when={loaded.error}>
          <div class="splash error">
            Cannot reach the server: {String(loaded.error?.message ?? loaded.error)}
          </div>
        </Show>
        <Show when={!loaded.error}>
          <ErrorBoundary
            fallback={(error, reset) => (
              <div class="splash error" data-testid="app-error">
                Something went wrong: {String((error as Error)?.message ?? error)}{" "}
                <button type="button" onClick={reset}>Try again</button>
              </div>
            )}
          >
            <Switch>
              <Match when={route().name === "share"}>
                <SharePage token={(route() as { token: string }).token} />
              </Match>
              <Match when={needsAccount() && session() === null}>
                <Redirect to="signin" />
              </Match>
              <Match when={route().name === "signin" || route().name === "signup"}>
                <AuthPage mode={route().name === "signup" ? "signup" : "signin"} />
              </Match>
              <Match when={route().name === "dashboard"}>
                <DashboardPage />
              </Match>
              <Match when={route().name === "agents"}>
                <AgentsPage />
              </Match>
              <Match when={route().name === "pools"}>
                <PoolsPage />
              </Match>
              <Match when={route().name === "studios"}>
                <StudiosPage />
              </Match>
              <Match when={route().name === "project"}>
                <Suspense fallback={<div class="splash">Opening the canvas…</div>}>
                  <ProjectPage projectId={(route() as { projectId: string }).projectId} />
                </Suspense>
              </Match>
              <Match when={route().name === "reviewTake"}>
                <Suspense fallback={<div class="splash">Opening the take…</div>}>
                  <ReviewPage
                    projectId={(route() as { projectId: string }).projectId}
                    takeId={(route() as { takeId: string }).takeId}
                  />
                </Suspense>
              </Match>
              <Match when={route().name === "reviewCut"}>
                <Suspense fallback={<div class="splash">Opening the cut…</div>}>
                  <CutReviewPage
                    projectId={(route() as { projectId: string }).projectId}
                    cutId={(route() as { cutId: string }).cutId}
                  />
                </Suspense>
              </Match>
              <Match when={route().name === "notFound"}>
                <div class="splash">
                  No such page.{" "}
                  <a
                    href="/"
                    onClick={(e) => (e.preventDefault(), navigate({ name: "dashboard" }))}
                  >
                    Projects
                  </a>
                </div>
              </Match>
            </Switch>
          </ErrorBoundary>
        </Show>
      </Show>
      <Toasts />
    </>
  );
}
