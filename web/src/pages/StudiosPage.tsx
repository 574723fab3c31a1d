/**
 * The studios the signed-in person is in: create one (you become its admin), join one with a
 * code an admin gave you, and for each its people and roles and its pools.
 */
import { createResource, createSignal, For, Show } from "solid-js";
import { ApiError } from "../api/client.ts";
import StudioCard from "../components/fleet/StudioCard.tsx";
import TopBar from "../components/TopBar.tsx";
import { api, session, settled } from "../services.ts";

/** A one-field form whose error shows beside it. */
function OneField(
  props: {
    name: string;
    placeholder: string;
    button: string;
    testId: string;
    submit: (value: string) => Promise<void>;
  },
) {
  const [error, setError] = createSignal<string | null>(null);
  async function submit(e: SubmitEvent) {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    setError(null);
    try {
      await props.submit(String(new FormData(form).get(props.name) ?? ""));
      form.reset();
    } catch (err) {
      setError(err instanceof ApiError ? err.issueFor(props.name) ?? err.message : String(err));
    }
  }
  return (
    <form class="inline-form" onSubmit={submit} novalidate data-testid={props.testId}>
      <input name={props.name} placeholder={props.placeholder} maxLength={200} />
      <button type="submit" class="primary">{props.button}</button>
      <Show when={error()}>
        <span class="form-error" role="alert">{error()}</span>
      </Show>
    </form>
  );
}

export default function StudiosPage() {
  const [studios, { refetch }] = createResource(() => api.studios.list());
  const [pools, { refetch: refetchPools }] = createResource(() => api.pools.list());
  const me = () => {
    const s = session();
    return s && "user" in s ? s.user.id : "";
  };
  const changed = () => void Promise.all([refetch(), refetchPools()]);
  return (
    <div class="page">
      <TopBar />
      <main class="dashboard studios-page" data-testid="studios-page">
        <div class="dashboard-head">
          <h1>Studios</h1>
        </div>
        <section class="card studio-forms">
          <p class="muted small">
            A studio is a team that shares pools of GPU agents. Create one, or join with the code an
            admin gives you.
          </p>
          <OneField
            name="name"
            placeholder="Studio name"
            button="Create studio"
            testId="studio-create"
            submit={async (name) => (await api.studios.create(name), changed())}
          />
          <OneField
            name="code"
            placeholder="Join code"
            button="Join"
            testId="studio-join"
            submit={async (code) => (await api.studios.join(code), changed())}
          />
        </section>
        <Show when={studios.error}>
          <p class="form-error" role="alert">Cannot load studios: {studios.error?.message}</p>
        </Show>
        <Show when={settled(studios)?.length === 0}>
          <div class="empty" data-testid="studios-empty">You are in no studio yet.</div>
        </Show>
        <For each={settled(studios)}>
          {(studio) => (
            <StudioCard
              studio={studio}
              pools={(settled(pools) ?? []).filter((p) => p.studioId === studio.id)}
              me={me()}
              onChanged={changed}
            />
          )}
        </For>
      </main>
    </div>
  );
}
