import assert from "node:assert/strict";
import { mentionedIn } from "./mentions.ts";

const members = [
  { id: "ada", name: "Ada" },
  { id: "adam", name: "Adam" },
  { id: "cleo", name: "Cleo Marsh" },
];

Deno.test("mentionedIn() names whole member names after @, in any case", () => {
  assert.deepEqual(mentionedIn("@ada look at frame 12", members), ["ada"]);
  assert.deepEqual(mentionedIn("@Adam, and @cleo marsh.", members), ["adam", "cleo"]);
  assert.deepEqual(mentionedIn("ada@example.com @Adamant", members), []);
  assert.deepEqual(mentionedIn("no one", members), []);
});
