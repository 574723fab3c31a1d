/** The toast stack: refusals and errors, announced to screen readers. */
import { For, Show } from "solid-js";
import { dismiss, toasts } from "../stores/toasts.ts";

export default function Toasts() {
  return (
    <div class="toasts" role="status" aria-live="polite">
      <For each={toasts()}>
        {(t) => (
          <div class={`toast toast-${t.kind}`} data-testid="toast">
            <span data-testid="toast-text">{t.text}</span>
            <Show when={t.action}>
              {(action) => (
                <button
                  type="button"
                  class="small primary"
                  onClick={() => {
                    dismiss(t.id);
                    action().run();
                  }}
                  data-testid="toast-action"
                >
                  {action().label}
                </button>
              )}
            </Show>
            <button type="button" class="ghost" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
              ×
            </button>
          </div>
        )}
      </For>
    </div>
  );
}
