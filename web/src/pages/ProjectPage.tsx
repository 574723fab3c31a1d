/** One project: palette and library on the left, the live canvas, the inspector on the right. */
import "../zod_without_eval.ts";
import { createSignal, Match, onCleanup, Show, Switch } from "solid-js";
import type { Project } from "../api/types.ts";
import ActivityPanel from "../components/ActivityPanel.tsx";
import AssetsPanel from "../components/AssetsPanel.tsx";
import CanvasView from "../components/CanvasView.tsx";
import HistoryPanel from "../components/HistoryPanel.tsx";
import Inspector from "../components/Inspector.tsx";
import Palette from "../components/Palette.tsx";
import PresenceBar from "../components/PresenceBar.tsx";
import ProjectAgentsPanel from "../components/ProjectAgentsPanel.tsx";
import SharingDialog from "../components/SharingDialog.tsx";
import TakeViewer from "../components/TakeViewer.tsx";
import Timeline from "../components/Timeline.tsx";
import ProjectLoader from "../components/ProjectLoader.tsx";
import TopBar from "../components/TopBar.tsx";
import WhatsNew from "../components/WhatsNew.tsx";
import { session as signedIn } from "../services.ts";
import { createProjectSession } from "../stores/project_session.ts";

type LeftTab = "nodes" | "assets" | "history" | "activity" | "agents";

function Studio(props: { project: Project }) {
  const session = createProjectSession(props.project);
  void session.load();
  const online = () => session.reconnect();
  addEventListener("online", online);
  onCleanup(() => {
    removeEventListener("online", online);
    session.dispose();
  });
  const [tab, setTab] = createSignal<LeftTab>("nodes");
  const [sharing, setSharing] = createSignal(false);
  const view = session.view;
  const toggle = (panel: "palette" | "inspector") =>
    session.setPanel(session.panel() === panel ? null : panel);

  return (
    <div
      class="page studio"
      classList={{
        "show-palette": session.panel() === "palette",
        "show-inspector": session.panel() === "inspector",
      }}
      data-testid="studio"
    >
      <TopBar>
        {/* On a narrow screen the side panels are drawers, opened from here. */}
        <button
          type="button"
          class="ghost narrow-only"
          aria-label="Nodes, assets, history"
          aria-expanded={session.panel() === "palette"}
          onClick={() => toggle("palette")}
          data-testid="open-palette"
        >
          ☰
        </button>
        <span class="project-title" data-testid="project-title">{props.project.name}</span>
        <div class="toolbar" role="toolbar" aria-label="Edit">
          <button
            type="button"
            class="ghost"
            disabled={!view.canUndo() || session.readOnly()}
            title="Undo (Ctrl+Z)"
            onClick={() => session.engine.run({ kind: "undo" })}
            data-testid="undo"
          >
            Undo
          </button>
          <button
            type="button"
            class="ghost"
            disabled={!view.canRedo() || session.readOnly()}
            title="Redo (Ctrl+Shift+Z)"
            onClick={() => session.engine.run({ kind: "redo" })}
            data-testid="redo"
          >
            Redo
          </button>
        </div>
        <PresenceBar session={session} />
        <WhatsNew session={session} />
        <button
          type="button"
          class="ghost narrow-only"
          aria-expanded={session.panel() === "inspector"}
          onClick={() => toggle("inspector")}
          data-testid="open-inspector"
        >
          Details
        </button>
        <Show when={props.project.role === "owner"}>
          <button
            type="button"
            class="ghost"
            onClick={() => setSharing(true)}
            data-testid="open-sharing"
          >
            Share
          </button>
        </Show>
      </TopBar>
      <div class="studio-body">
        <div class="left">
          <div class="tabs" role="tablist">
            {(["nodes", "assets", "history", "activity", "agents"] as const).filter((t) =>
              // Guests (share links) run nothing and are not told whose machines do.
              t !== "agents" || "user" in (signedIn() ?? {})
            ).map((t) => (
              <button
                type="button"
                role="tab"
                class="tab"
                classList={{ active: tab() === t }}
                aria-selected={tab() === t}
                onClick={() => setTab(t)}
                data-testid={`tab-${t}`}
              >
                {t === "agents" ? "GPUs" : t[0]!.toUpperCase() + t.slice(1)}
              </button>
            ))}
          </div>
          <Switch>
            <Match when={tab() === "nodes" && session.readOnly()}>
              <p class="side-panel muted small" data-testid="review-note">
                Review mode: pan, zoom, select and follow runs as they happen. Editing is off.
              </p>
            </Match>
            <Match when={tab() === "nodes"}>
              <Palette session={session} />
            </Match>
            <Match when={tab() === "assets"}>
              <AssetsPanel session={session} />
            </Match>
            <Match when={tab() === "history"}>
              <HistoryPanel session={session} />
            </Match>
            <Match when={tab() === "activity"}>
              <ActivityPanel session={session} />
            </Match>
            <Match when={tab() === "agents"}>
              <ProjectAgentsPanel session={session} />
            </Match>
          </Switch>
        </div>
        <div class="centre">
          <div class="canvas-area">
            <CanvasView session={session} />
          </div>
          <Timeline session={session} />
        </div>
        <Show when={session.panel()}>
          <div
            class="drawer-backdrop narrow-only"
            onClick={() => session.setPanel(null)}
            data-testid="drawer-backdrop"
          />
        </Show>
        <Inspector session={session} />
      </div>
      <TakeViewer session={session} />
      <Show when={sharing()}>
        <SharingDialog
          project={props.project}
          membersChanged={session.membersChanged}
          onClose={() => setSharing(false)}
        />
      </Show>
    </div>
  );
}

export default function ProjectPage(props: { projectId: string }) {
  return (
    <ProjectLoader projectId={props.projectId} topBarOnError>
      {(p) => <Studio project={p} />}
    </ProjectLoader>
  );
}
