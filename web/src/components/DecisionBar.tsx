/**
 * Decisions on the take in the viewer: approve, needs changes or reject, with an optional note,
 * and each person's latest ("approved by Cleo (guest)"). Anyone in the project may decide; the
 * select stays the editors' (TakeDetails).
 */
import { createSignal, For } from "solid-js";
import { DECISIONS } from "../../../protocol/review.ts";
import { DECISION_LABELS, decisionLine } from "../format/review.ts";
import type { ReviewStore } from "../stores/review.ts";

export default function DecisionBar(props: { review: ReviewStore; takeId: string }) {
  const [note, setNote] = createSignal("");
  const mine = () =>
    props.review.decisionsOf(props.takeId).find((d) => d.by.person === props.review.you());
  return (
    <section class="decisions" aria-label="Decisions" data-testid="decisions">
      <div class="decision-buttons" role="group" aria-label="Your decision">
        <For each={DECISIONS}>
          {(d) => (
            <button
              type="button"
              class={`small decision-${d}`}
              aria-pressed={mine()?.decision === d}
              onClick={() => {
                void props.review.decide(props.takeId, d, note().trim() || undefined);
                setNote("");
              }}
              data-testid={`decide-${d}`}
            >
              {DECISION_LABELS[d][0]!.toUpperCase() + DECISION_LABELS[d].slice(1)}
            </button>
          )}
        </For>
      </div>
      <input
        class="small decision-note-input"
        placeholder="Note (optional)"
        maxLength={2000}
        value={note()}
        onInput={(e) => setNote(e.currentTarget.value)}
        aria-label="Decision note"
        data-testid="decision-note"
      />
      <ul class="decision-list" data-testid="decision-list">
        <For each={props.review.decisionsOf(props.takeId)}>
          {(d) => (
            <li class={`decision-${d.decision}`}>
              {decisionLine(d)}
              {d.note ? `: ${d.note}` : ""}
            </li>
          )}
        </For>
      </ul>
    </section>
  );
}
