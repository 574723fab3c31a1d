/**
 * Where a node's job stands on the fleet, in the one line the card has under the run's message:
 * queued, its ETA ("~4 min: 2 ahead on 2 agents with 24 GB"); once an agent holds it, the pool
 * that runs it; and the VRAM figure it was matched on (learned p95 peak or declared footprint).
 * The whole of it opens on click.
 */
import { Show } from "solid-js";
import { footprintLine } from "../../format/fleet.ts";
import type { NodeRun } from "../../stores/runs.ts";
import RunNote from "../RunNote.tsx";

export function placementText(run: NodeRun): string | null {
  const parts = [
    run.phase === "queued" ? run.queueEta?.text ?? null : null,
    run.pool ? `on pool ${run.pool.name}` : null,
    run.footprint ? `VRAM ${footprintLine(run.footprint)}` : null,
  ].filter((p) => p !== null);
  return parts.length ? parts.join(" · ") : null;
}

export default function RunPlacement(props: { run: NodeRun; id: string }) {
  return (
    <Show when={placementText(props.run)}>
      {(text) => (
        <RunNote
          text={text()}
          tone={props.run.phase === "queued" && props.run.queueEta ? "waits" : "unknown"}
          testId={`placement-${props.id}`}
        />
      )}
    </Show>
  );
}
