/**
 * Beside a take's other facts: the pool whose agent made it and the VRAM figure its job was
 * matched on (learned p95 peak plus margin, or the declared footprint), read from its job.
 */
import { createResource, Show } from "solid-js";
import { footprintLine } from "../../format/fleet.ts";
import { api, settled } from "../../services.ts";

export default function TakeFleetFacts(props: { projectId: string; jobId: string }) {
  const [job] = createResource(
    () => [props.projectId, props.jobId] as const,
    ([projectId, jobId]) => api.jobs.get(projectId, jobId),
  );
  return (
    <>
      <dt>Pool</dt>
      <dd data-testid="take-pool">{settled(job)?.pool?.name ?? "—"}</dd>
      <dt>VRAM</dt>
      <dd data-testid="take-vram">
        <Show when={settled(job)?.footprint} fallback="—">
          {(footprint) => footprintLine(footprint())}
        </Show>
      </dd>
    </>
  );
}
