/** The toast stack: refusals and errors, announced to screen readers. */
import { For } from "solid-js";
import { dismiss, toasts } from "../stores/toasts.ts";

export default function Toasts() {
  return (
    <div class="toasts" role="status" aria-live="polite">
      <For each={toasts()}>
        {(t) => (
          <div class={`toast toast-${t.kind}`} data-testid="toast">
            <span>{t.text}</span>
            <button type="button" class="ghost" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
              ×
            </button>
          </div>
        )}
      </For>
    </div>
  );
}
