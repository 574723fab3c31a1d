/**
 * The comments of a take (the take viewer) or of a cut (the cut's review page): its threads (a
 * timecode that seeks there, the author with
 * their role or "guest", the body as plain text, replies), resolve/reopen, delete and edit where
 * the caller may, and the composer for a new comment at the paused frame (C), with the rectangle
 * drawn on the picture. Bodies are only ever text nodes: nothing typed becomes markup.
 */
import { createSignal, For, Show } from "solid-js";
import type { Comment, CommentShape } from "../../../protocol/review.ts";
import { MAX_COMMENT_CHARS } from "../../../protocol/review.ts";
import { timecode } from "../../../protocol/cut.ts";
import { authorLabel } from "../format/review.ts";
import type { ReviewStore } from "../stores/review.ts";
import type { FilmReview } from "./film_review.ts";

/** A comment about to be written: where, and what is drawn. */
export interface CommentDraft {
  frame: number | null;
  fps: number;
  shape: CommentShape | null;
}

function CommentBody(props: {
  comment: Comment;
  review: ReviewStore;
  moderator: boolean;
}) {
  const c = () => props.comment;
  const mine = () => c().author.person === props.review.you();
  const [editing, setEditing] = createSignal<string | null>(null);
  return (
    <div class="comment" data-testid={`comment-${c().id}`}>
      <div class="comment-head">
        <strong class="comment-author" data-testid="comment-author">
          {authorLabel(c().author)}
        </strong>
        <Show when={c().editedAt}>
          <span class="muted small">edited</span>
        </Show>
        <span class="comment-actions">
          <Show when={mine()}>
            <button
              type="button"
              class="link small"
              onClick={() => setEditing(c().body)}
              data-testid="comment-edit"
            >
              Edit
            </button>
          </Show>
          <Show when={mine() || props.moderator}>
            <button
              type="button"
              class="link small"
              onClick={() => void props.review.remove(c().id)}
              data-testid="comment-delete"
            >
              Delete
            </button>
          </Show>
        </span>
      </div>
      <Show
        when={editing() !== null}
        fallback={<p class="comment-body" data-testid="comment-body">{c().body}</p>}
      >
        <form
          onSubmit={async (e) => {
            e.preventDefault();
            if (await props.review.edit(c().id, editing()!)) setEditing(null);
          }}
        >
          <textarea
            class="comment-input"
            value={editing()!}
            maxLength={MAX_COMMENT_CHARS}
            onInput={(e) => setEditing(e.currentTarget.value)}
            data-testid="comment-edit-input"
          />
          <button type="submit" class="small">Save</button>
          <button type="button" class="small ghost" onClick={() => setEditing(null)}>
            Cancel
          </button>
        </form>
      </Show>
    </div>
  );
}

/** What the panel's comments are about: a take, or a cut (whose comments always have a time). */
export type CommentsOf = { kind: "take"; takeId: string } | { kind: "cut"; cutId: string };

/** The time a thread points at, as the list shows it; null for a still or a node. */
export function threadTimecode(thread: Comment): string | null {
  return thread.target.kind === "node" ? null : thread.target.timecode;
}

export default function CommentsPanel(props: {
  review: ReviewStore;
  of: CommentsOf;
  moderator: boolean;
  /** The player's review state: the draft, drawing, the thread picked (film_review.ts). */
  film: FilmReview;
}) {
  const [text, setText] = createSignal("");
  const [replies, setReplies] = createSignal<Record<string, string>>({});
  const threads = () =>
    props.review.threadsOf(
      props.of.kind === "take" ? { takeId: props.of.takeId } : { cutId: props.of.cutId },
    );
  const thing = () => (props.of.kind === "take" ? "take" : "cut");
  /** "At 00:00:01:06 · rectangle": where the comment being written points. */
  const where = () => {
    const draft = props.film.draft();
    const at = draft && draft.frame !== null
      ? `At ${timecode(draft.frame, draft.fps)}`
      : props.of.kind === "cut"
      ? "At the frame shown"
      : "On the whole take";
    const shape = draft?.shape ? ` · ${draft.shape.kind === "rect" ? "rectangle" : "point"}` : "";
    return at + shape;
  };
  async function post(e: Event): Promise<void> {
    e.preventDefault();
    const draft = props.film.draft();
    const frame = draft?.frame ?? null;
    const shape = draft?.shape ? { shape: draft.shape } : {};
    const ok = await props.review.post(
      props.of.kind === "take"
        ? { kind: "take", takeId: props.of.takeId, ...(frame !== null ? { frame } : {}), ...shape }
        // A cut's comment is at a time: the frame shown when it was started, else the first.
        : { kind: "cut", cutId: props.of.cutId, frame: frame ?? 0, ...shape },
      text(),
    );
    if (ok) {
      setText("");
      props.film.setDraft(null);
      props.film.toggleDrawing(false);
    }
  }
  return (
    <section class="comments" aria-label="Comments" data-testid="comments">
      <form class="composer" onSubmit={(e) => void post(e)} data-testid="composer">
        <div class="composer-where small muted" data-testid="composer-where">
          {where()}
          <button
            type="button"
            class="link small"
            aria-pressed={props.film.drawing()}
            onClick={() => props.film.toggleDrawing(!props.film.drawing())}
            data-testid="draw-shape"
          >
            {props.film.drawing() ? "Drawing: drag on the picture" : "Draw"}
          </button>
        </div>
        <textarea
          ref={props.film.bindComposer}
          class="comment-input"
          placeholder="Comment (C pauses and comments at the frame; @name to mention)"
          maxLength={MAX_COMMENT_CHARS}
          value={text()}
          onInput={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) void post(e);
          }}
          data-testid="comment-input"
        />
        <button
          type="submit"
          class="small primary"
          disabled={!text().trim()}
          data-testid="comment-post"
        >
          Comment
        </button>
      </form>
      <ol class="threads" data-testid="threads">
        <For
          each={threads()}
          fallback={<li class="muted small">No comments on this {thing()} yet.</li>}
        >
          {({ thread, replies: answers }) => (
            <li
              class="thread"
              classList={{
                resolved: thread.resolvedAt !== null,
                active: props.film.active() === thread.id,
              }}
              data-testid={`thread-${thread.id}`}
              data-resolved={thread.resolvedAt !== null ? "true" : "false"}
            >
              <div class="thread-where">
                <Show when={threadTimecode(thread)}>
                  <button
                    type="button"
                    class="link small timecode"
                    onClick={() => props.film.seekTo(thread)}
                    data-testid="thread-seek"
                  >
                    {threadTimecode(thread)}
                  </button>
                </Show>
                <Show when={thread.resolvedAt !== null}>
                  <span class="badge small" data-testid="thread-resolved">
                    Resolved by {thread.resolvedBy}
                  </span>
                </Show>
                <Show when={thread.author.person === props.review.you() || props.moderator}>
                  <button
                    type="button"
                    class="link small"
                    onClick={() => void props.review.resolve(thread.id, thread.resolvedAt === null)}
                    data-testid="thread-resolve"
                  >
                    {thread.resolvedAt === null ? "Resolve" : "Reopen"}
                  </button>
                </Show>
              </div>
              <CommentBody comment={thread} review={props.review} moderator={props.moderator} />
              <For each={answers}>
                {(reply) => (
                  <div class="reply">
                    <CommentBody
                      comment={reply}
                      review={props.review}
                      moderator={props.moderator}
                    />
                  </div>
                )}
              </For>
              <form
                class="reply-form"
                onSubmit={async (e) => {
                  e.preventDefault();
                  const body = replies()[thread.id] ?? "";
                  if (await props.review.reply(thread.id, body)) {
                    setReplies((r) => ({ ...r, [thread.id]: "" }));
                  }
                }}
              >
                <input
                  class="small"
                  placeholder="Reply"
                  maxLength={MAX_COMMENT_CHARS}
                  value={replies()[thread.id] ?? ""}
                  onInput={(e) => setReplies((r) => ({ ...r, [thread.id]: e.currentTarget.value }))}
                  onFocus={() => props.film.setActive(thread.id)}
                  data-testid="reply-input"
                />
                <button type="submit" class="small" data-testid="reply-post">Reply</button>
              </form>
            </li>
          )}
        </For>
      </ol>
    </section>
  );
}
