/**
 * A pool's scaling tokens: a manager makes one (its secret shown once, with the URL and a command
 * that uses it), lists them (name, made, last used; never the secret or its hash) and revokes
 * each on its own. A token opens only its own pool's scaling answer; a revoked one opens nothing.
 * Members may not manage them (403), outsiders learn nothing (404, even with a bad body).
 */
import assert from "node:assert/strict";
import { joinStudio, studioWithPool } from "../../test/jobs/fleet_fixture.ts";
import { call, createTestApp, signUp } from "../testing.ts";
import { LAST_USED_EVERY_MS, MAX_SCALING_TOKENS } from "../services/fleet/scaling_tokens.ts";

Deno.test("a scaling token is shown once, listed without its secret, opens only its pool, and is revoked alone", async () => {
  const t = await createTestApp();
  try {
    const admin = await signUp(t, "Mira");
    const { poolId } = await studioWithPool(t, admin);
    const other = await studioWithPool(t, admin, {}, "Southlight");
    const make = (name: unknown) =>
      call(t, "POST", `/api/pools/${poolId}/scaling-tokens`, {
        token: admin.token,
        body: { name },
      });
    const scaling = (id: string, token: string) =>
      call(t, "GET", `/api/pools/${id}/scaling`, { token });
    const list = async () =>
      (await call(t, "GET", `/api/pools/${poolId}/scaling-tokens`, { token: admin.token })).body;

    const keda = await make("KEDA prod");
    assert.equal(keda.status, 201, JSON.stringify(keda.body));
    assert.equal(typeof keda.body.token, "string");
    assert.equal(keda.body.scalingToken.name, "KEDA prod");
    assert.equal(keda.body.url, `${t.deps.config.PUBLIC_URL}/api/pools/${poolId}/scaling`);
    assert.equal(
      keda.body.command,
      `curl -H 'Authorization: Bearer ${keda.body.token}' ${keda.body.url}`,
    );
    const script = await make("  test scaler ");
    assert.equal(script.body.scalingToken.name, "test scaler", "trimmed");

    const listed = await list();
    assert.deepEqual(listed.tokens.map((x: { name: string }) => x.name), [
      "test scaler",
      "KEDA prod",
    ]);
    assert.equal(listed.tokens[1].lastUsedAt, null);
    const text = JSON.stringify(listed);
    assert.ok(!text.includes(keda.body.token), "the secret is never listed");
    assert.deepEqual(Object.keys(listed.tokens[0]).sort(), [
      "createdAt",
      "id",
      "lastUsedAt",
      "name",
    ]);

    // It opens its own pool's answer, and says when it was used; not another pool's.
    assert.equal((await scaling(poolId, keda.body.token)).status, 200);
    const used = (await list()).tokens[1].lastUsedAt;
    assert.equal(typeof used, "number");
    assert.equal((await scaling(other.poolId, keda.body.token)).status, 401);
    // Read again soon after: the stamp is not rewritten on every poll; a minute later it is.
    await scaling(poolId, keda.body.token);
    assert.equal((await list()).tokens[1].lastUsedAt, used);
    t.advance(LAST_USED_EVERY_MS);
    await scaling(poolId, keda.body.token);
    assert.ok((await list()).tokens[1].lastUsedAt > used);

    // Revoked, it opens nothing; the other token still works.
    const revoke = (id: string, pool = poolId) =>
      call(t, "DELETE", `/api/pools/${pool}/scaling-tokens/${id}`, { token: admin.token });
    assert.equal((await revoke(keda.body.scalingToken.id)).status, 204);
    assert.equal((await scaling(poolId, keda.body.token)).status, 401);
    assert.equal((await scaling(poolId, script.body.token)).status, 200);
    assert.equal((await revoke(keda.body.scalingToken.id)).status, 404, "already revoked");
    assert.equal(
      (await revoke(script.body.scalingToken.id, other.poolId)).status,
      404,
      "revoked only through its own pool",
    );
    assert.deepEqual((await list()).tokens.map((x: { name: string }) => x.name), ["test scaler"]);
  } finally {
    await t.close();
  }
});

Deno.test("scaling tokens refuse bad names and too many; members get 403, outsiders 404 before any 422", async () => {
  const t = await createTestApp();
  try {
    const admin = await signUp(t, "Mira");
    const member = await signUp(t, "Max");
    const outsider = await signUp(t, "Otto");
    const { studioId, poolId } = await studioWithPool(t, admin);
    await joinStudio(t, admin, studioId, member);
    const post = (token: string, body: unknown) =>
      call(t, "POST", `/api/pools/${poolId}/scaling-tokens`, { token, body });

    for (const name of ["", "   ", "a".repeat(81), "tab\there"]) {
      const res = await post(admin.token, { name });
      assert.equal(res.status, 422, JSON.stringify(name));
      assert.equal(res.body.error.issues[0].path, "name");
    }
    assert.equal((await post(admin.token, { name: "x", secret: "mine" })).status, 422);
    assert.equal((await post(outsider.token, {})).status, 404, "no 422 for an outsider");
    assert.equal((await post(member.token, { name: "mine" })).status, 403);
    const list = await call(t, "GET", `/api/pools/${poolId}/scaling-tokens`, {
      token: member.token,
    });
    assert.equal(list.status, 403);

    for (let i = 0; i < MAX_SCALING_TOKENS; i++) {
      assert.equal((await post(admin.token, { name: `scaler ${i}` })).status, 201);
    }
    const more = await post(admin.token, { name: "one too many" });
    assert.equal(more.status, 409);
    assert.match(more.body.error.message, /revoke one/);
  } finally {
    await t.close();
  }
});
