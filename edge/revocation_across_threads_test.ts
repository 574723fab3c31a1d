/**
 * Each serving thread has its own database connection. A revocation made through one thread
 * must be honoured by every other thread's next request (no thread may keep an answer from
 * before it): two apps on one database file stand for two threads here.
 */
import assert from "node:assert/strict";
import { addMember, call, createProject, createTestApp, signUp } from "./testing.ts";

Deno.test("a logout, a removed member and a revoked link are refused at once by another thread", async () => {
  const one = await createTestApp();
  const two = await createTestApp({ DATABASE_URL: one.databaseUrl });
  try {
    const ada = await signUp(one, "Ada");
    const bob = await signUp(one, "Bob");
    const id = await createProject(one, ada);
    await addMember(one, id, ada, bob, "editor");
    const link = await call(one, "POST", `/api/projects/${id}/share-links`, {
      token: ada.token,
      body: {},
    });
    const guest =
      (await call(one, "POST", `/api/share/${link.body.token}/accept`, { body: {} })).body.token;
    // Thread two has seen each of them (and keeps the answers).
    for (const token of [ada.token, bob.token, guest]) {
      assert.equal((await call(two, "GET", `/api/projects/${id}`, { token })).status, 200);
      assert.equal((await call(two, "GET", `/api/projects/${id}`, { token })).status, 200);
    }

    await call(one, "DELETE", `/api/projects/${id}/members/${bob.id}`, { token: ada.token });
    assert.equal((await call(two, "GET", `/api/projects/${id}`, { token: bob.token })).status, 404);

    await call(one, "DELETE", `/api/projects/${id}/share-links/${link.body.shareLink.id}`, {
      token: ada.token,
    });
    assert.equal((await call(two, "GET", `/api/projects/${id}`, { token: guest })).status, 401);

    await call(one, "POST", "/api/auth/logout", { token: ada.token });
    assert.equal((await call(two, "GET", `/api/projects/${id}`, { token: ada.token })).status, 401);

    // And the other way round: a project deleted through thread two is gone for thread one.
    const carl = await signUp(two, "Carl");
    const other = await createProject(two, carl);
    assert.equal(
      (await call(one, "GET", `/api/projects/${other}`, { token: carl.token })).status,
      200,
    );
    await call(two, "DELETE", `/api/projects/${other}`, { token: carl.token });
    assert.equal(
      (await call(one, "GET", `/api/projects/${other}`, { token: carl.token })).status,
      404,
    );
  } finally {
    await two.close();
    await one.close();
  }
});
