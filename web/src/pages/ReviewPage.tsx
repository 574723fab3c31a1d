/**
 * `/review/:projectId/take/:takeId`: one take on its own for review: the take viewer (player,
 * frame comments with their markers and shapes, decisions) without the canvas, live through the
 * project's room like the studio. Closing it goes to the project.
 */
import "../zod_without_eval.ts";
import { createEffect, onCleanup } from "solid-js";
import type { Project } from "../api/types.ts";
import TakeViewer from "../components/TakeViewer.tsx";
import ProjectLoader from "../components/ProjectLoader.tsx";
import TopBar from "../components/TopBar.tsx";
import WhatsNew from "../components/WhatsNew.tsx";
import { navigate } from "../routes.ts";
import { createProjectSession } from "../stores/project_session.ts";

function Review(props: { project: Project; takeId: string }) {
  const session = createProjectSession(props.project);
  void session.load();
  onCleanup(() => session.dispose());
  let opened = false;
  // The take's node is known once the takes are read: open the viewer on it then.
  createEffect(() => {
    for (const [nodeId, run] of Object.entries(session.runs)) {
      if (run.takes.some((t) => t.id === props.takeId)) {
        if (!opened) session.openTakes(nodeId, props.takeId);
        opened = true;
        return;
      }
    }
  });
  // Closed: back to the project it belongs to.
  createEffect(() => {
    if (opened && session.viewer() === null) {
      navigate({ name: "project", projectId: props.project.id });
    }
  });
  return (
    <div class="page review-page" data-testid="review-page">
      <TopBar>
        <span class="project-title">{props.project.name}</span>
        <WhatsNew session={session} />
      </TopBar>
      <p class="splash muted" data-testid="review-waiting">Opening the take…</p>
      <TakeViewer session={session} />
    </div>
  );
}

export default function ReviewPage(props: { projectId: string; takeId: string }) {
  return (
    <ProjectLoader projectId={props.projectId}>
      {(p) => <Review project={p} takeId={props.takeId} />}
    </ProjectLoader>
  );
}
