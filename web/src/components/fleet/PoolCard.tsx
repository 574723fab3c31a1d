/**
 * One pool: its name, whose it is, its policy, its agents (refreshed while shown), how many
 * agents its autoscaler is asked for and why, and for managers a form to change its policy, the
 * command that enrolls a machine into it and its autoscalers' tokens.
 */
import { createResource, For, onCleanup, Show } from "solid-js";
import type { Pool, Studio } from "../../api/types.ts";
import { policyLine, scalingLines } from "../../format/fleet.ts";
import { api, settled } from "../../services.ts";
import PoolAgents from "./PoolAgents.tsx";
import PoolEnroll from "./PoolEnroll.tsx";
import PoolPolicyEdit from "./PoolPolicyEdit.tsx";
import PoolScalingTokens from "./PoolScalingTokens.tsx";

const REFRESH_MS = 5_000;

export default function PoolCard(
  props: { pool: Pool; studio: Studio | undefined; onChanged: () => void },
) {
  const [detail, { refetch }] = createResource(() => props.pool.id, (id) => api.pools.get(id));
  const timer = setInterval(() => void refetch(), REFRESH_MS);
  onCleanup(() => clearInterval(timer));
  const owner = () => props.pool.kind === "personal" ? "your own machines" : props.studio?.name;
  return (
    <section class="card pool-card" data-testid={`pool-${props.pool.id}`}>
      <div class="pool-head">
        <h2 data-testid="pool-card-name">{props.pool.name}</h2>
        <span class="chip">{owner()}</span>
        <span class="muted small">you: {props.pool.role}</span>
      </div>
      <p class="small muted" data-testid="pool-policy">{policyLine(props.pool.policy)}</p>
      <Show when={detail.error}>
        <p class="form-error">Cannot load the pool: {String(detail.error?.message)}</p>
      </Show>
      <Show when={settled(detail)}>
        {(d) => (
          <>
            <PoolAgents agents={d().agents} />
            <div class="small pool-scaling" data-testid="pool-scaling">
              <span>
                Autoscaler target: <strong>{d().scaling.desired}</strong>{" "}
                agent{d().scaling.desired === 1 ? "" : "s"}
              </span>
              <For
                each={scalingLines(d().scaling)}
                fallback={<div class="muted">nothing queued or running</div>}
              >
                {(line) => <div class="muted">{line}</div>}
              </For>
            </div>
          </>
        )}
      </Show>
      <Show when={props.pool.role !== "member"}>
        <PoolPolicyEdit pool={props.pool} onSaved={props.onChanged} />
        <PoolEnroll poolId={props.pool.id} />
        <PoolScalingTokens poolId={props.pool.id} />
      </Show>
    </section>
  );
}
