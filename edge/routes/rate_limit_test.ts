import assert from "node:assert/strict";
import { agentProfile } from "../../test/jobs/fake_agent.ts";
import { call, createProject, createTestApp, signUp, type TestApp } from "../testing.ts";

const RIGHT = "correct horse battery";

function login(t: TestApp, email: string, password: string, address = "192.0.2.1") {
  return call(t, "POST", "/api/auth/login", {
    body: { email, password },
    headers: { "x-test-client-address": address },
  });
}

Deno.test("wrong passwords for one account back off with 429 + Retry-After, capped at a minute", async () => {
  const t = await createTestApp();
  try {
    const ada = await signUp(t, "Ada");
    // Every guess from a new address: only the account's own limit applies.
    for (let i = 0; i < 5; i++) {
      assert.equal((await login(t, ada.email, "wrong guess", `198.51.100.${i}`)).status, 401);
    }
    const waits: number[] = [];
    for (let i = 0; i < 12; i++) {
      const blocked = await login(t, ada.email, RIGHT, `198.51.100.${50 + i}`);
      assert.equal(blocked.status, 429, "while waiting, even the right password is refused");
      assert.equal(blocked.body.error.code, "rate_limited");
      const seconds = Number(blocked.headers.get("retry-after"));
      assert.ok(seconds >= 1 && seconds <= 60, `Retry-After ${seconds}`);
      waits.push(seconds);
      t.advance(seconds * 1000);
      const failed = await login(t, ada.email, "wrong guess", `198.51.100.${10 + i}`);
      assert.equal(failed.status, 401, "a guess after the wait is checked as usual");
    }
    t.advance(60_000);
    assert.deepEqual(waits.slice(0, 6), [1, 2, 4, 8, 16, 32], "each wait doubles");
    assert.ok(waits.slice(6).every((s) => s === 60), "and stops at one minute: a limit, no lock");
    // After the wait the real user gets in, and their count starts over.
    assert.equal((await login(t, ada.email, RIGHT)).status, 200);
    assert.equal((await login(t, ada.email, "one typo")).status, 401);
    assert.equal((await login(t, ada.email, RIGHT)).status, 200);
  } finally {
    await t.close();
  }
});

Deno.test("one address guessing at many accounts is limited, others are not", async () => {
  const t = await createTestApp();
  try {
    const ada = await signUp(t, "Ada");
    for (let i = 0; i < 20; i++) {
      const res = await login(t, `nobody${i}@example.com`, "guess", "203.0.113.7");
      assert.equal(res.status, 401, `guess ${i}`);
    }
    const blocked = await login(t, ada.email, RIGHT, "203.0.113.7");
    assert.equal(blocked.status, 429);
    assert.ok(Number(blocked.headers.get("retry-after")) >= 1);
    assert.equal((await login(t, ada.email, RIGHT, "203.0.113.8")).status, 200);
  } finally {
    await t.close();
  }
});

Deno.test("rate limits hold across serving threads: the counts live in the database", async () => {
  const first = await createTestApp();
  // A second app on the same database file stands for another thread or Workers isolate.
  const second = await createTestApp({ DATABASE_URL: first.databaseUrl });
  try {
    const ada = await signUp(first, "Ada");
    for (let i = 0; i < 5; i++) {
      const app = i % 2 === 0 ? first : second;
      assert.equal((await login(app, ada.email, "wrong", `198.51.100.${i}`)).status, 401);
    }
    assert.equal((await login(first, ada.email, RIGHT, "198.51.100.10")).status, 429);
    assert.equal((await login(second, ada.email, RIGHT, "198.51.100.11")).status, 429);
  } finally {
    await second.close();
    await first.close();
  }
});

Deno.test("registration, share-link acceptance and preview, and enrollment share the limiter", async () => {
  const t = await createTestApp();
  try {
    const from = (address: string) => ({ "x-test-client-address": address });
    for (let i = 0; i < 20; i++) {
      const res = await call(t, "POST", "/api/auth/register", {
        body: { email: `user${i}@example.com`, password: RIGHT, name: "U" },
        headers: from("203.0.113.20"),
      });
      assert.equal(res.status, 201);
    }
    const tooMany = await call(t, "POST", "/api/auth/register", {
      body: { email: "user99@example.com", password: RIGHT, name: "U" },
      headers: from("203.0.113.20"),
    });
    assert.equal(tooMany.status, 429);
    assert.ok(Number(tooMany.headers.get("retry-after")) >= 1);
    const elsewhere = await call(t, "POST", "/api/auth/register", {
      body: { email: "user99@example.com", password: RIGHT, name: "U" },
      headers: from("203.0.113.21"),
    });
    assert.equal(elsewhere.status, 201);

    const owner = await signUp(t, "Owner");
    const projectId = await createProject(t, owner);
    const link = await call(t, "POST", `/api/projects/${projectId}/share-links`, {
      token: owner.token,
      body: {},
    });
    for (let i = 0; i < 20; i++) {
      const bad = await call(t, "POST", `/api/share/${"x".repeat(30)}${i}/accept`, {
        body: {},
        headers: from("203.0.113.30"),
      });
      assert.equal(bad.status, 404);
    }
    const real = await call(t, "POST", `/api/share/${link.body.token}/accept`, {
      body: {},
      headers: from("203.0.113.30"),
    });
    assert.equal(real.status, 429, "guessing links from one address is limited");
    const preview = await call(t, "GET", `/api/share/${link.body.token}`, {
      headers: from("203.0.113.30"),
    });
    assert.equal(preview.status, 429, "looking links up counts the same as accepting them");
    assert.equal(
      (await call(t, "POST", `/api/share/${link.body.token}/accept`, { body: {} })).status,
      200,
    );

    for (let i = 0; i < 10; i++) {
      const bad = await call(t, "POST", "/api/agent/v1/enroll", {
        body: { token: `bad-enrollment-token-${i}`, name: "rig", profile: agentProfile() },
        headers: from("203.0.113.40"),
      });
      assert.equal(bad.status, 401, JSON.stringify(bad.body));
    }
    const limited = await call(t, "POST", "/api/agent/v1/enroll", {
      body: { token: "bad-enrollment-token-x", name: "rig", profile: agentProfile() },
      headers: from("203.0.113.40"),
    });
    assert.equal(limited.status, 429);
  } finally {
    await t.close();
  }
});
