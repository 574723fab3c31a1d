/**
 * `@name` mentions reach the named person's dashboard live (issue 18): Ben (editor) has his
 * dashboard open; Ana comments on the cut naming @Ben; the mention appears on Ben's dashboard
 * without a reload, and opening it goes to the cut's review page with the comment there.
 */
import assert from "node:assert/strict";
import { DEFAULT_CUT_FORMAT } from "../../protocol/cut.ts";
import { cutFromGraph } from "../../protocol/cut_from_graph.ts";
import { anaWithEditorBen, graphOf, node } from "./helpers.ts";
import { startStudio } from "./studio.ts";

Deno.test("a mention of Ben appears on his open dashboard live and opens where it was said", async () => {
  await using studio = await startStudio();
  const graph = graphOf([node("wide", "shot.generate", 80, 80, { prompt: "a pier", frames: 48 })]);
  const main = cutFromGraph(graph, { id: "main", name: "Main", format: DEFAULT_CUT_FORMAT });
  const { ana, ben, projectId } = await anaWithEditorBen(studio, { ...graph, cuts: { main } });
  const b = await studio.open(ben, "/");
  await b.getByTestId("project-list").waitFor();
  assert.equal(await b.getByTestId("mentions").count(), 0);
  const { comment } = await studio.api<{ comment: { id: string } }>(
    "POST",
    `/api/projects/${projectId}/comments`,
    ana.token,
    { target: { kind: "cut", cutId: "main", frame: 12 }, body: "@Ben can you trim this?" },
  );
  const mention = b.getByTestId(`mention-${comment.id}`);
  await mention.waitFor();
  assert.equal(
    await mention.getByTestId("mention-text").innerText(),
    "Ana in Film: @Ben can you trim this?",
  );
  await studio.screenshot(b, "mentions-dashboard");
  await mention.getByRole("link").click();
  await b.getByTestId(`thread-${comment.id}`).waitFor();
  assert.equal(
    await b.getByTestId(`thread-${comment.id}`).getByTestId("thread-seek").innerText(),
    "00:00:00:12",
  );
});
