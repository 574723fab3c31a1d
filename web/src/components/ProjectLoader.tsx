/**
 * Reads a project by id and shows its page once it is read. A project the caller may not see
 * answers 404 like one that does not exist, and the message says both (a non-member learns
 * nothing more). One loader for the studio and both review pages.
 */
import { createResource, type JSX, Match, Show, Switch } from "solid-js";
import type { Project } from "../api/types.ts";
import { api } from "../services.ts";
import TopBar from "./TopBar.tsx";

export default function ProjectLoader(props: {
  projectId: string;
  /** The studio keeps its top bar over the error; the review pages show the message alone. */
  topBarOnError?: boolean;
  children: (project: Project) => JSX.Element;
}) {
  const [project] = createResource(() => props.projectId, (id) => api.projects.get(id));
  const error = () => (
    <div class="splash error" data-testid="project-error">
      {project.error?.status === 404
        ? "This project does not exist, or you are not a member."
        : String(project.error?.message)}
    </div>
  );
  return (
    <Switch>
      <Match when={project.error}>
        <Show when={props.topBarOnError} fallback={error()}>
          <div class="page">
            <TopBar />
            {error()}
          </div>
        </Show>
      </Match>
      <Match when={project()} keyed>{(p) => props.children(p)}</Match>
    </Switch>
  );
}
