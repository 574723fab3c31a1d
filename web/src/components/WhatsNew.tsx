/**
 * "What's new" in the top bar: the count of what others did since this person last marked the
 * project read, and on click the list (new takes, comments, replies, mentions of them,
 * decisions, renders of cuts) with "Mark as read". An item about a take or a node opens its
 * takes; one about a cut (a render, a comment at a time of the film) its review page.
 */
import { createSignal, For, Show } from "solid-js";
import { navigate } from "../routes.ts";
import type { ProjectSession } from "../stores/project_session.ts";

const KIND_LABELS = {
  take: "New take",
  render: "New render",
  comment: "Comment",
  reply: "Reply",
  mention: "Mentioned you",
  decision: "Decision",
} as const;

export default function WhatsNew(props: { session: ProjectSession }) {
  const review = props.session.review;
  const [open, setOpen] = createSignal(false);
  const unread = () => review.news()?.unread ?? 0;
  return (
    <div class="whats-new">
      <button
        type="button"
        class="ghost"
        aria-expanded={open()}
        aria-label={`What's new${unread() > 0 ? `: ${unread()}` : ""}`}
        onClick={() => setOpen(!open())}
        data-testid="whats-new"
      >
        {/* A phone's top bar has room for a sign, not three words. */}
        <span class="whats-new-label">What's new</span>
        <span class="whats-new-short" aria-hidden="true">★</span>
        <Show when={unread() > 0}>
          <span class="unread-count" data-testid="unread-count">{unread()}</span>
        </Show>
      </button>
      <Show when={open()}>
        <div
          class="whats-new-list"
          role="dialog"
          aria-label="What's new"
          data-testid="whats-new-list"
        >
          <ol>
            <For
              each={review.news()?.items ?? []}
              fallback={<li class="muted small">Nothing new since your last visit.</li>}
            >
              {(item) => (
                <li class={`news-${item.kind}`} data-testid={`news-${item.kind}`}>
                  <button
                    type="button"
                    class="link"
                    onClick={() => {
                      if (item.cutId) {
                        navigate({
                          name: "reviewCut",
                          projectId: props.session.project.id,
                          cutId: item.cutId,
                        });
                      } else if (item.nodeId) props.session.openTakes(item.nodeId);
                      setOpen(false);
                    }}
                  >
                    <strong>{KIND_LABELS[item.kind]}</strong>
                    {item.by ? ` · ${item.by}` : ""}: <span class="news-text">{item.text}</span>
                  </button>
                </li>
              )}
            </For>
          </ol>
          <button
            type="button"
            class="small"
            disabled={unread() === 0}
            onClick={() => void review.markRead()}
            data-testid="mark-read"
          >
            Mark as read
          </button>
        </div>
      </Show>
    </div>
  );
}
