import assert from "node:assert/strict";
import type { ActivityEntry } from "../api/types.ts";
import { describeActivity, isAssetActivity, timeAgo, timeLeft } from "./activity.ts";

const entry = (
  action: string,
  subject: string,
  actorName: string | null = "Ana",
): ActivityEntry => ({
  id: "a1",
  actorId: "u1",
  actorName,
  action,
  subject,
  at: 0,
});

Deno.test("activity lines name who did what to which asset", () => {
  assert.equal(
    describeActivity(entry("asset.update", "character Hero")),
    "Ana updated character Hero",
  );
  assert.equal(
    describeActivity(entry("asset.rollback", "style Noir")),
    "Ana rolled back style Noir",
  );
  assert.equal(
    describeActivity(entry("asset.create", "location Pier", null)),
    "Someone created location Pier",
  );
});

Deno.test("a select reads as who selected which take", () => {
  assert.equal(
    describeActivity(entry("take.select", "SHOT-010_v01_take02.mp4", "Ben")),
    "Ben selected SHOT-010_v01_take02.mp4",
  );
});

Deno.test("an action the studio does not know is shown by its code", () => {
  assert.equal(describeActivity(entry("graph.lock", "")), "Ana graph.lock");
});

Deno.test("the assets filter keeps only asset entries", () => {
  assert.equal(isAssetActivity(entry("asset.delete", "x")), true);
  assert.equal(isAssetActivity(entry("job.queue", "x")), false);
});

Deno.test("times read as a person would say them", () => {
  const now = 10 * 86_400_000;
  assert.equal(timeAgo(now - 10_000, now), "just now");
  assert.equal(timeAgo(now - 5 * 60_000, now), "5 min ago");
  assert.equal(timeAgo(now - 3 * 3_600_000, now), "3 h ago");
  assert.equal(timeAgo(now - 86_400_000, now), "yesterday");
  assert.equal(timeAgo(now - 3 * 86_400_000, now), "3 days ago");
  assert.equal(timeAgo(now + 5000, now), "just now");
});

Deno.test("time left reads in the largest sensible unit, and says when it is over", () => {
  const now = 1_000_000_000_000;
  assert.equal(timeLeft(now + 14 * 86_400_000, now), "14 days");
  assert.equal(timeLeft(now + 5 * 3_600_000, now), "5 h");
  assert.equal(timeLeft(now + 20 * 60_000, now), "20 min");
  assert.equal(timeLeft(now + 10_000, now), "a moment");
  assert.equal(timeLeft(now, now), "expired");
  assert.equal(describeActivity(entry("member.join", "editor")), "Ana joined as editor");
});
