/** Short messages at the bottom of the screen: refusals, errors, confirmations. */
import { createSignal } from "solid-js";

export interface Toast {
  id: number;
  kind: "error" | "info";
  text: string;
}

const [toasts, setToasts] = createSignal<Toast[]>([]);
let nextId = 1;

export { toasts };

/** Shows a message for a few seconds; the newest five stay visible. */
export function toast(text: string, kind: Toast["kind"] = "error"): void {
  const id = nextId++;
  setToasts((list) => [...list.slice(-4), { id, kind, text }]);
  setTimeout(() => dismiss(id), kind === "error" ? 6000 : 3000);
}

export function dismiss(id: number): void {
  setToasts((list) => list.filter((t) => t.id !== id));
}
