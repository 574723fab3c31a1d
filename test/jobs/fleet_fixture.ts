/** Studios and pools made through the API, for fleet tests. */
import { call, type TestApp } from "../../edge/testing.ts";

type User = { token: string };

/** `admin` creates a studio and a pool in it; returns both ids. */
export async function studioWithPool(
  t: Pick<TestApp, "app">,
  admin: User,
  pool: Record<string, unknown> = {},
  studioName = "Northlight",
): Promise<{ studioId: string; poolId: string }> {
  const studio = await call(t, "POST", "/api/studios", {
    token: admin.token,
    body: { name: studioName },
  });
  if (studio.status !== 201) throw new Error(`studio: ${JSON.stringify(studio.body)}`);
  const studioId = studio.body.studio.id as string;
  const made = await call(t, "POST", "/api/pools", {
    token: admin.token,
    body: { name: "Render Farm", studioId, ...pool },
  });
  if (made.status !== 201) throw new Error(`pool: ${JSON.stringify(made.body)}`);
  return { studioId, poolId: made.body.pool.id };
}

/** `user` joins the studio with a join code `admin` makes. */
export async function joinStudio(
  t: Pick<TestApp, "app">,
  admin: User,
  studioId: string,
  user: User,
): Promise<void> {
  const code = await call(t, "POST", `/api/studios/${studioId}/join-code`, { token: admin.token });
  if (code.status !== 201) throw new Error(`join code: ${JSON.stringify(code.body)}`);
  const joined = await call(t, "POST", "/api/studios/join", {
    token: user.token,
    body: { code: code.body.code },
  });
  if (joined.status !== 200) throw new Error(`join: ${JSON.stringify(joined.body)}`);
}

/** Chooses the pools that run a project's jobs, as its owner. */
export async function choosePools(
  t: Pick<TestApp, "app">,
  owner: User,
  projectId: string,
  poolIds: string[],
) {
  const res = await call(t, "PUT", `/api/projects/${projectId}/pools`, {
    token: owner.token,
    body: { poolIds },
  });
  if (res.status !== 200) {
    throw new Error(`choose pools: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body;
}
