/** Small steps the end-to-end tests share: seeding graphs, members, reading the page. */
import type { Page } from "playwright-core";
import type { Graph, GraphNode } from "../../protocol/graph.ts";
import { until } from "../until.ts";
import type { TestApp } from "../../edge/testing.ts";
import type { Device, Studio, User } from "./studio.ts";

/**
 * The studio's real edge over HTTP where API fixtures (test/jobs/) take an in-process app: they
 * only call its `request`.
 */
export function overHttp(studio: Studio): Pick<TestApp, "app"> {
  const request = (path: string, init?: RequestInit) => fetch(studio.url + path, init);
  return { app: { request } } as unknown as Pick<TestApp, "app">;
}

export function node(id: string, type: string, x: number, y: number, params = {}): GraphNode {
  return { id, type, title: id, x, y, params };
}

/**
 * A shot node at (`x`, 80) asking for `frames` frames at 16 fps (Wan's rate), filed as
 * `scene` `code`: at the cut's 24 fps, 32 frames are 48 of the film.
 */
export function shotNode(id: string, code: string, x: number, frames: number, scene = "SC01") {
  return node(id, "shot.generate", x, 80, {
    prompt: `shot ${id}`,
    scene,
    shot: code,
    fps: 16,
    frames,
  });
}

export function graphOf(nodes: GraphNode[], edges: Graph["edges"] = {}): Graph {
  return { nodes: Object.fromEntries(nodes.map((n) => [n.id, n])), edges };
}

/** `owner`'s project with `members` added as editors (or reviewers), and a seeded graph. */
export async function projectWith(
  studio: Studio,
  owner: User,
  members: { user: User; role: "editor" | "reviewer" }[],
  graph?: Graph,
): Promise<string> {
  const projectId = await studio.createProject(owner);
  // The graph first: a membership change wakes the project's room (it is told of access
  // changes), and a room that woke before the seeded revision existed would serve an empty
  // graph, since seeding writes to the edge behind the room's back.
  if (graph) await studio.saveGraph(projectId, graph, owner);
  for (const { user, role } of members) {
    await joinByInvitation(studio, owner, projectId, user, role);
  }
  return projectId;
}

/** `owner` invites `user` with `role` and `user` accepts: the one way to become a member. */
export async function joinByInvitation(
  studio: Studio,
  owner: User,
  projectId: string,
  user: User,
  role: "editor" | "reviewer",
): Promise<void> {
  const { invite } = await studio.api<{ invite: { id: string } }>(
    "POST",
    `/api/projects/${projectId}/invites`,
    owner.token,
    { email: user.email, role },
  );
  await studio.api("POST", `/api/invites/${invite.id}/accept`, user.token);
}

/** Waits until the studio's room connection is live. */
export async function live(page: Page): Promise<void> {
  await page.getByTestId("connection-state").and(page.locator("[data-state=live]")).waitFor();
}

/** A node card's position on the canvas, in world units (its CSS translate). */
export async function nodePosition(page: Page, id: string): Promise<{ x: number; y: number }> {
  const transform = await page.getByTestId(`node-${id}`).evaluate((el) =>
    (el as HTMLElement).style.transform
  );
  const m = /translate\((-?[\d.]+)px, (-?[\d.]+)px\)/.exec(transform);
  if (!m) throw new Error(`node ${id} has no translate: ${transform}`);
  return { x: Number(m[1]), y: Number(m[2]) };
}

/** The centre of an element on screen. */
export async function centre(page: Page, testId: string): Promise<{ x: number; y: number }> {
  const box = await page.getByTestId(testId).boundingBox();
  if (!box) throw new Error(`${testId} is not visible`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** The usual pair: Ana owns a project with `graph`, Ben is her editor. */
export async function anaWithEditorBen(studio: Studio, graph: Graph) {
  const ana = await studio.signUp("Ana");
  const ben = await studio.signUp("Ben");
  const projectId = await projectWith(studio, ana, [{ user: ben, role: "editor" }], graph);
  return { ana, ben, projectId };
}

/** An edge for `graphOf`, from one node's output socket to another's input socket. */
export function link(
  id: string,
  from: string,
  fromSocket: string,
  to: string,
  toSocket: string,
): Graph["edges"] {
  return {
    [id]: { id, from: { node: from, socket: fromSocket }, to: { node: to, socket: toSocket } },
  };
}

/** A reviewer who came by `owner`'s share link, named `name`, live in the project's studio. */
export async function reviewerByLink(
  studio: Studio,
  owner: User,
  projectId: string,
  name = "Cleo",
  device?: Device,
): Promise<Page> {
  const { token } = await studio.api<{ token: string }>(
    "POST",
    `/api/projects/${projectId}/share-links`,
    owner.token,
    { label: `for ${name}` },
  );
  const page = await studio.open(null, `/s/${encodeURIComponent(token)}`, device);
  await page.getByTestId("share-name").fill(name);
  await page.getByTestId("share-join").click();
  await live(page);
  return page;
}

/** A node's takes as `user` reads them, newest first. */
export async function takesOf(
  studio: Studio,
  user: User,
  projectId: string,
  nodeId: string,
): Promise<{ id: string; name: string }[]> {
  return (await studio.api<{ takes: { id: string; name: string }[] }>(
    "GET",
    `/api/projects/${projectId}/takes?nodeId=${nodeId}`,
    user.token,
  )).takes;
}

/** Generates `nodeId` (of node type `type`) as `user` and waits, with an agent running, for its new take. */
export async function generateTake(
  studio: Studio,
  user: User,
  projectId: string,
  nodeId: string,
  type = "shot.generate",
): Promise<void> {
  const before = (await takesOf(studio, user, projectId, nodeId)).length;
  await studio.api("POST", `/api/projects/${projectId}/nodes/${nodeId}/generate`, user.token, {
    type,
  });
  await until(
    `a take of ${nodeId}`,
    async () => (await takesOf(studio, user, projectId, nodeId)).length > before,
    30_000,
  );
}

/** The node ids of the cut timeline's video clips in the order they are drawn, left to right. */
export function clipOrder(page: Page): Promise<string[]> {
  return page.locator(".video-lane .cut-clip").evaluateAll((els) =>
    els.map((e) => ({ left: (e as HTMLElement).offsetLeft, node: e.getAttribute("data-node")! }))
      .sort((a, b) => a.left - b.left).map((c) => c.node)
  );
}

/** Presses at `from`, moves `dx` pixels to the right (left if negative) in steps, releases. */
export async function dragBy(
  page: Page,
  from: { x: number; y: number },
  dx: number,
): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  const steps = 8;
  for (let i = 1; i <= steps; i++) await page.mouse.move(from.x + (dx * i) / steps, from.y);
  await page.mouse.up();
}

/**
 * The colour of an element as it is on screen at `at` (fractions of its box; its centre unless
 * said), from a screenshot of it, so whatever the page stacks, fades or clips there is mixed as
 * the viewer sees it: `[red, green, blue]`.
 */
export async function colourOnScreen(
  page: Page,
  testId: string,
  at = { x: 0.5, y: 0.5 },
): Promise<number[]> {
  const png = await page.getByTestId(testId).screenshot();
  // Decoded in the page without a URL: its CSP allows no data: or blob: images.
  return page.evaluate(async ([bytes, at]) => {
    const image = await createImageBitmap(new Blob([new Uint8Array(bytes)], { type: "image/png" }));
    const canvas = new OffscreenCanvas(image.width, image.height);
    const g = canvas.getContext("2d")!;
    g.drawImage(image, 0, 0);
    const x = Math.min(image.width - 1, Math.floor(image.width * at.x));
    const y = Math.min(image.height - 1, Math.floor(image.height * at.y));
    return [...g.getImageData(x, y, 1, 1).data.slice(0, 3)];
  }, [[...png], at] as const);
}
