/**
 * Which pools run this project's jobs: the ones its owner chose, or by default its owners' and
 * editors' own machines. Owners choose among the pools they may use (their own, their studios');
 * everyone else in the project reads the choice. Back to the default with an empty choice.
 */
import { createResource, createSignal, For, Show } from "solid-js";
import { ApiError } from "../../api/client.ts";
import type { ProjectPools as ProjectPoolList } from "../../api/types.ts";
import { api, settled } from "../../services.ts";
import type { ProjectSession } from "../../stores/project_session.ts";
import { toast } from "../../stores/toasts.ts";

function Current(props: { list: ProjectPoolList }) {
  return (
    <div class="small" data-testid="project-pools-current">
      <Show
        when={props.list.chosen}
        fallback={<span>Default: the own machines of its owners and editors</span>}
      >
        <span>Chosen pools:</span> {props.list.pools.map((p) => p.name).join(", ")}
      </Show>
    </div>
  );
}

export default function ProjectPools(props: { session: ProjectSession }) {
  const id = props.session.project.id;
  const owner = () => (props.session.you()?.role ?? props.session.role) === "owner";
  const [list, { mutate }] = createResource(() => api.pools.ofProject(id));
  // Only an owner needs the pools they could choose.
  const [usable] = createResource(owner, () => api.pools.list());
  const [picked, setPicked] = createSignal<Set<string> | null>(null);
  const checked = (poolId: string) =>
    (picked() ?? new Set(settled(list)?.chosen ? settled(list)!.pools.map((p) => p.id) : []))
      .has(poolId);
  function toggle(poolId: string, on: boolean) {
    const next = new Set(settled(usable)?.filter((p) => checked(p.id)).map((p) => p.id));
    if (on) next.add(poolId);
    else next.delete(poolId);
    setPicked(next);
  }
  async function save(poolIds: string[]) {
    try {
      mutate(await api.pools.choose(id, poolIds));
      setPicked(null);
    } catch (error) {
      toast(error instanceof ApiError ? error.describe() : String(error));
    }
  }
  return (
    <section class="project-pools" data-testid="project-pools">
      <h3 class="small">Pools that run its jobs</h3>
      <Show when={list.error}>
        <p class="form-error">Cannot load the pools: {String(list.error?.message)}</p>
      </Show>
      <Show when={settled(list)}>{(l) => <Current list={l()} />}</Show>
      <Show when={owner() && settled(usable)}>
        {(pools) => (
          <div class="project-pools-choice" data-testid="project-pools-choice">
            <For each={pools()}>
              {(pool) => (
                <label class="pool-choice small">
                  <input
                    type="checkbox"
                    checked={checked(pool.id)}
                    onChange={(e) => toggle(pool.id, e.currentTarget.checked)}
                    data-testid={`project-pool-${pool.id}`}
                  />
                  {pool.name}
                </label>
              )}
            </For>
            <div class="inline-form">
              <button
                type="button"
                class="primary small"
                disabled={picked() === null}
                onClick={() => void save([...picked()!])}
                data-testid="project-pools-save"
              >
                Save
              </button>
              <Show when={settled(list)?.chosen}>
                <button
                  type="button"
                  class="ghost small"
                  onClick={() => void save([])}
                  data-testid="project-pools-default"
                >
                  Back to the default
                </button>
              </Show>
            </div>
            <p class="muted small">
              With none chosen, the own machines of the project's owners and editors run it.
            </p>
          </div>
        )}
      </Show>
    </section>
  );
}
