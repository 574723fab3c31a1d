/**
 * A pool's scaling tokens (managers): what its autoscalers (KEDA, a provisioner script) send to
 * read how many agents the pool wants. A new one is shown once, with the URL it opens and a
 * command that uses it, as the enrollment command is; the list says who is which (name), when
 * each was made and last used, never a secret; each is revoked on its own.
 */
import { createResource, createSignal, For, Show } from "solid-js";
import { ApiError } from "../../api/client.ts";
import type { ScalingTokenGrant } from "../../api/types.ts";
import { timeAgo } from "../../format/activity.ts";
import { api, settled } from "../../services.ts";
import { toast } from "../../stores/toasts.ts";
import CopyCommand from "../CopyCommand.tsx";

export default function PoolScalingTokens(props: { poolId: string }) {
  const [tokens, { refetch }] = createResource(() => api.pools.scalingTokens(props.poolId));
  const [name, setName] = createSignal("");
  const [problem, setProblem] = createSignal<string | null>(null);
  const [grant, setGrant] = createSignal<ScalingTokenGrant | null>(null);

  async function create(e: SubmitEvent) {
    e.preventDefault();
    setProblem(null);
    try {
      setGrant(await api.pools.createScalingToken(props.poolId, name()));
      setName("");
      void refetch();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      setProblem(error.issueFor("name") ?? error.describe());
    }
  }

  async function revoke(id: string, tokenName: string) {
    try {
      await api.pools.revokeScalingToken(props.poolId, id);
      if (grant()?.scalingToken.id === id) setGrant(null);
      toast(`Revoked "${tokenName}": its autoscaler gets 401 from now on`, "info");
    } catch (error) {
      toast(error instanceof ApiError ? error.describe() : String(error));
    }
    void refetch();
  }

  return (
    <div class="pool-scaling-tokens" data-testid={`pool-scaling-tokens-${props.poolId}`}>
      <h3 class="small">Scaling tokens</h3>
      <form class="inline-form" onSubmit={create}>
        <input
          value={name()}
          onInput={(e) => setName(e.currentTarget.value)}
          placeholder="Who holds it, e.g. KEDA prod"
          aria-label="Scaling token name"
          maxLength={80}
          aria-invalid={problem() ? "true" : undefined}
          data-testid="scaling-token-name"
        />
        <button type="submit" class="small" data-testid="scaling-token-create">
          New scaling token
        </button>
      </form>
      <Show when={problem()}>
        <p class="form-error" role="alert" data-testid="scaling-token-error">{problem()}</p>
      </Show>
      <Show when={grant()}>
        {(g) => (
          <div class="enroll-steps" data-testid="scaling-token-grant">
            <p class="small">
              Token for "{g().scalingToken.name}": copy it now, it is not shown again.
            </p>
            <CopyCommand command={g().token} testId="scaling-token-secret" />
            <p class="small">The autoscaler reads the pool's target from:</p>
            <CopyCommand command={g().url} testId="scaling-token-url" />
            <p class="small">Try it:</p>
            <CopyCommand command={g().command} testId="scaling-token-command" />
            <p class="muted small">
              For KEDA, put the URL and the token in the ScaledObject's metrics-api trigger
              (deploy/README.md).{" "}
              <button type="button" class="link small" onClick={() => setGrant(null)}>
                Done
              </button>
            </p>
          </div>
        )}
      </Show>
      <ul class="scaling-token-list" data-testid="scaling-token-list">
        <For
          each={settled(tokens)}
          fallback={
            <li class="muted small">
              No scaling tokens: the pool's scaling answer opens only with the edge's METRICS_TOKEN.
            </li>
          }
        >
          {(token) => (
            <li data-testid={`scaling-token-${token.id}`}>
              <span class="scaling-token-name">{token.name}</span>
              <span class="muted small">
                made {timeAgo(token.createdAt, Date.now())} · {token.lastUsedAt === null
                  ? "never used"
                  : `last used ${timeAgo(token.lastUsedAt, Date.now())}`}
              </span>
              <button
                type="button"
                class="small"
                onClick={() => void revoke(token.id, token.name)}
                data-testid="scaling-token-revoke"
              >
                Revoke
              </button>
            </li>
          )}
        </For>
      </ul>
    </div>
  );
}
