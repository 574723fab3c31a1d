/** The app's single API client, and the signed-in session as a signal. */
import { createSignal, type Resource } from "solid-js";
import { ApiError, createApiClient } from "./api/client.ts";
import { createEndpoints } from "./api/endpoints.ts";
import type { Me } from "./api/types.ts";

export const api = createEndpoints(createApiClient());

/** `undefined` while loading, `null` when signed out. */
const [session, setSession] = createSignal<Me | null | undefined>(undefined);
export { session, setSession };

export async function loadSession(): Promise<void> {
  try {
    setSession(await api.auth.me());
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) setSession(null);
    else throw error;
  }
}

/** The signed-in user's display name, or the guest's. */
export function displayName(me: Me): string {
  return "user" in me ? me.user.name : me.guest.name;
}

/**
 * A resource's value, or undefined while loading or after an error (reading a failed
 * resource directly throws, which would take the page down for one failed list).
 */
export function settled<T>(resource: Resource<T>): T | undefined {
  return resource.error ? undefined : resource();
}

/**
 * A resource's value once it has loaded (the last one while it refetches), undefined before or
 * after an error, without suspending: reading a loading resource suspends the page around the
 * reader, which swaps the canvas for its splash and mounts it again mid-gesture. For what sits
 * inside the project page (the inspector's pickers).
 */
export function loaded<T>(resource: Resource<T>): T | undefined {
  const state = resource.state;
  // `latest` does not suspend once a value has arrived: a refetch keeps the old list shown.
  return state === "ready" || state === "refreshing" ? resource.latest : undefined;
}
