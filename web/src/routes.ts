/**
 * The studio's URLs and a tiny router over the History API (the edge serves index.html for
 * every non-API path, so deep links and reloads work). Matching is pure and tested.
 */
import { createSignal } from "solid-js";

export type Route =
  | { name: "signin" }
  | { name: "signup" }
  | { name: "dashboard" }
  | { name: "agents" }
  /** The pools of agents the person may see (theirs, their studios'). */
  | { name: "pools" }
  /** The studios the person is in: members, roles, join codes, their pools. */
  | { name: "studios" }
  | { name: "project"; projectId: string }
  /** One take on its own, for review: the player, its comments and decisions. */
  | { name: "reviewTake"; projectId: string; takeId: string }
  /** A cut for review: its film, comments at times of the film as markers and a list. */
  | { name: "reviewCut"; projectId: string; cutId: string }
  | { name: "share"; token: string }
  | { name: "notFound"; path: string };

export function matchRoute(path: string): Route {
  const clean = path.replace(/\/+$/, "") || "/";
  if (clean === "/") return { name: "dashboard" };
  if (clean === "/signin") return { name: "signin" };
  if (clean === "/signup") return { name: "signup" };
  if (clean === "/agents") return { name: "agents" };
  if (clean === "/pools") return { name: "pools" };
  if (clean === "/studios") return { name: "studios" };
  const project = /^\/projects\/([A-Za-z0-9_-]{1,64})$/.exec(clean);
  if (project) return { name: "project", projectId: project[1]! };
  const review = /^\/review\/([A-Za-z0-9_-]{1,64})\/take\/([A-Za-z0-9_-]{1,64})$/.exec(clean);
  if (review) return { name: "reviewTake", projectId: review[1]!, takeId: review[2]! };
  const cut = /^\/review\/([A-Za-z0-9_-]{1,64})\/([A-Za-z0-9_-]{1,64})$/.exec(clean);
  if (cut) return { name: "reviewCut", projectId: cut[1]!, cutId: cut[2]! };
  const share = /^\/s\/([^/]{1,512})$/.exec(clean);
  if (share) return { name: "share", token: decodeURIComponent(share[1]!) };
  return { name: "notFound", path: clean };
}

export function pathFor(route: Exclude<Route, { name: "notFound" }>): string {
  switch (route.name) {
    case "dashboard":
      return "/";
    case "signin":
      return "/signin";
    case "signup":
      return "/signup";
    case "agents":
      return "/agents";
    case "pools":
      return "/pools";
    case "studios":
      return "/studios";
    case "project":
      return `/projects/${route.projectId}`;
    case "reviewTake":
      return `/review/${route.projectId}/take/${route.takeId}`;
    case "reviewCut":
      return `/review/${route.projectId}/${route.cutId}`;
    case "share":
      return `/s/${encodeURIComponent(route.token)}`;
  }
}

const [path, setPath] = createSignal(typeof location === "undefined" ? "/" : location.pathname);
if (typeof addEventListener !== "undefined") {
  addEventListener("popstate", () => setPath(location.pathname));
}

/** The current route, reactive. */
export const currentRoute = () => matchRoute(path());

/** Goes to a route without a page load. */
export function navigate(route: Exclude<Route, { name: "notFound" }>, replace = false): void {
  const target = pathFor(route);
  if (target === location.pathname) return;
  if (replace) history.replaceState(null, "", target);
  else history.pushState(null, "", target);
  setPath(target);
}
