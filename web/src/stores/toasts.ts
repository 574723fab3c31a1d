/** Short messages at the bottom of the screen: refusals, errors, confirmations. */
import { createSignal } from "solid-js";

/** A button on a toast: doing it dismisses the toast. */
export interface ToastAction {
  label: string;
  run(): void;
}

export interface Toast {
  id: number;
  kind: "error" | "info";
  text: string;
  action?: ToastAction;
}

const [toasts, setToasts] = createSignal<Toast[]>([]);
let nextId = 1;

export { toasts };

/** How long a toast stays: one that offers an action stays long enough to be read and used. */
const LIFETIME_MS = { error: 6000, info: 3000, action: 20_000 };

/** Shows a message for a few seconds; the newest five stay visible. */
export function toast(text: string, kind: Toast["kind"] = "error", action?: ToastAction): void {
  showToast(text, kind, action);
}

/** `toast`, returning the toast's id for a `dismiss` before it times out. */
export function showToast(text: string, kind: Toast["kind"], action?: ToastAction): number {
  const id = nextId++;
  setToasts((list) => [...list.slice(-4), { id, kind, text, ...(action ? { action } : {}) }]);
  setTimeout(() => dismiss(id), action ? LIFETIME_MS.action : LIFETIME_MS[kind]);
  return id;
}

export function dismiss(id: number): void {
  setToasts((list) => list.filter((t) => t.id !== id));
}
