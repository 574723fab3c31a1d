/** A link to one of the studio's pages: a real href, followed without a page load. */
import type { JSX } from "solid-js";
import { navigate, pathFor } from "../routes.ts";

type Page = "agents" | "pools" | "studios";

export default function PageLink(
  props: { to: Page; testId: string; class?: string; children: JSX.Element },
) {
  return (
    <a
      class={props.class ?? "nav-link"}
      href={pathFor({ name: props.to })}
      onClick={(e) => (e.preventDefault(), navigate({ name: props.to }))}
      data-testid={props.testId}
    >
      {props.children}
    </a>
  );
}
