/**
 * Pools of GPU agents the signed-in person may see: their own (the Agents page enrolls into it)
 * and their studios'. Studio admins create pools here with a scaling policy; each pool shows its
 * agents, its autoscaler's target and the command that enrolls a machine into it.
 */
import { createResource, For, Show } from "solid-js";
import PoolCard from "../components/fleet/PoolCard.tsx";
import PoolCreateForm from "../components/fleet/PoolCreateForm.tsx";
import PageLink from "../components/PageLink.tsx";
import TopBar from "../components/TopBar.tsx";
import { api, settled } from "../services.ts";

export default function PoolsPage() {
  const [pools, { refetch }] = createResource(() => api.pools.list());
  const [studios] = createResource(() => api.studios.list());
  const studioOf = (id: string | null) => settled(studios)?.find((s) => s.id === id);
  return (
    <div class="page">
      <TopBar />
      <main class="dashboard pools-page" data-testid="pools-page">
        <div class="dashboard-head">
          <h1>Pools</h1>
          <PageLink to="studios" testId="pools-to-studios">Studios</PageLink>
        </div>
        <p class="muted small">
          A pool is a group of GPU agents. A project's jobs run on the pools its owner chooses (in
          the project's GPUs tab), or else on its owners' and editors' own machines.
        </p>
        <Show when={pools.error || studios.error}>
          <p class="form-error" role="alert">
            Cannot load pools: {String((pools.error ?? studios.error)?.message)}
          </p>
        </Show>
        <Show when={settled(studios)}>
          {(list) => <PoolCreateForm studios={list()} onCreated={() => void refetch()} />}
        </Show>
        <For each={settled(pools)}>
          {(pool) => (
            <PoolCard
              pool={pool}
              studio={studioOf(pool.studioId)}
              onChanged={() => void refetch()}
            />
          )}
        </For>
      </main>
    </div>
  );
}
