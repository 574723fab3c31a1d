/**
 * The start most job tests share: Ada signs up, her project holds one shot node (`shot1`), her
 * agent is enrolled, and Generate on the shot queues a job for it to claim.
 *
 * @example
 * ```ts
 * const { agent, generate } = await shotProject(t);
 * const jobId = await generate();
 * const job = await agent.claim();
 * ```
 */
import { call, createProject, signUp, type TestApp } from "../../edge/testing.ts";
import { agentProfile, enrollAgent } from "./fake_agent.ts";
import { oneShot, saveGraph } from "./graphs.ts";

export async function shotProject(t: TestApp, profile = agentProfile()) {
  const owner = await signUp(t, "Ada");
  const projectId = await createProject(t, owner);
  await saveGraph(t, projectId, oneShot());
  const agent = await enrollAgent(t, owner, profile);
  /** Presses Generate on `shot1` as Ada: the queued job's id. */
  const generate = async (prompt = "door"): Promise<string> => {
    const res = await call(t, "POST", `/api/projects/${projectId}/nodes/shot1/generate`, {
      token: owner.token,
      body: { type: "shot.generate", params: { prompt } },
    });
    if (res.status !== 201) throw new Error(`generate: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.job.id as string;
  };
  return { owner, projectId, agent, generate };
}
