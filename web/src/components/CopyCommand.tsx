/** A command to run elsewhere, selectable in one click, with a Copy button beside it. */
import { toast } from "../stores/toasts.ts";

export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    toast("Copied", "info");
  } catch {
    toast("Copy failed: select the command and copy it by hand");
  }
}

export default function CopyCommand(props: { command: string; testId: string }) {
  return (
    <div class="command">
      <code data-testid={props.testId}>{props.command}</code>
      <button
        type="button"
        class="small"
        onClick={() => void copyText(props.command)}
        data-testid={`${props.testId}-copy`}
      >
        Copy
      </button>
    </div>
  );
}
