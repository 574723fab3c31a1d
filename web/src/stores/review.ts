/**
 * One open project's review state: its comments and decisions (read once, then kept current by
 * the room's `review.update` events, which carry the rows as the edge wrote them) and "what's
 * new" for this person (read again shortly after anything changes). The edge is the authority:
 * every action here is an HTTP call, and its answer (or the room's echo of it) is what shows.
 */
import { createSignal } from "solid-js";
import { createStore, produce, reconcile } from "solid-js/store";
import type {
  Comment,
  CommentTarget,
  Decision,
  ReviewUpdate,
  TakeDecision,
  WhatsNewItem,
} from "../../../protocol/review.ts";
import { ApiError } from "../api/client.ts";
import { api } from "../services.ts";
import { toast } from "./toasts.ts";

/** "What's new" is read again this long after the last change (changes come in bursts). */
const WHATS_NEW_DEBOUNCE_MS = 300;

const decisionKey = (d: Pick<TakeDecision, "takeId" | "by">) => `${d.takeId} ${d.by.person}`;

export function createReviewStore(projectId: string) {
  const [comments, setComments] = createStore<Record<string, Comment>>({});
  const [decisions, setDecisions] = createStore<Record<string, TakeDecision>>({});
  const [news, setNews] = createSignal<
    { you: string; since: number; unread: number; items: WhatsNewItem[] } | null
  >(null);
  let newsTimer = 0;

  async function readNews(): Promise<void> {
    try {
      setNews(await api.review.whatsNew(projectId));
    } catch {
      // Kept as last read; the next change reads it again.
    }
  }
  function newsSoon(): void {
    clearTimeout(newsTimer);
    newsTimer = Number(setTimeout(readNews, WHATS_NEW_DEBOUNCE_MS));
  }

  function put(comment: Comment): void {
    setComments(comment.id, reconcile(comment));
  }
  function putDecision(decision: TakeDecision): void {
    setDecisions(decisionKey(decision), reconcile(decision));
  }

  async function load(): Promise<void> {
    const [list, made] = await Promise.allSettled([
      api.review.comments(projectId),
      api.review.decisions(projectId),
      readNews(),
    ]);
    if (list.status === "fulfilled") {
      setComments(reconcile(Object.fromEntries(list.value.map((c) => [c.id, c]))));
    }
    if (made.status === "fulfilled") {
      setDecisions(reconcile(Object.fromEntries(made.value.map((d) => [decisionKey(d), d]))));
    }
  }

  /** A change someone made, as the room relays it. */
  function onUpdate(event: ReviewUpdate): void {
    if (event.change === "decision.made" && event.decision) {
      putDecision(event.decision as unknown as TakeDecision);
    } else if (event.change === "comment.deleted" && event.comment) {
      const id = event.comment.id;
      setComments(produce((all) => {
        delete all[id];
        for (const c of Object.values(all)) if (c.parentId === id) delete all[c.id];
      }));
    } else if (event.comment) {
      put(event.comment as unknown as Comment);
    }
    newsSoon();
  }

  /** Runs an action; a refusal is shown as a notice and answers null. */
  async function attempt<T>(action: () => Promise<T>): Promise<T | null> {
    try {
      return await action();
    } catch (error) {
      toast(error instanceof ApiError ? error.describe() : String(error));
      return null;
    }
  }

  /** Threads (first comments) of a take, a node or a cut, oldest first; each with its replies. */
  function threadsOf(filter: { takeId?: string; nodeId?: string; cutId?: string }) {
    const all = Object.values(comments).sort((a, b) => a.createdAt - b.createdAt);
    const matches = (c: Comment) =>
      filter.takeId !== undefined
        ? c.target.kind === "take" && c.target.takeId === filter.takeId
        : filter.cutId !== undefined
        ? c.target.kind === "cut" && c.target.cutId === filter.cutId
        : c.target.kind === "node" && c.target.nodeId === filter.nodeId;
    return all.filter((c) => c.parentId === null && matches(c)).map((thread) => ({
      thread,
      replies: all.filter((c) => c.parentId === thread.id),
    }));
  }

  /** Each person's latest decision on a take, newest first. */
  function decisionsOf(takeId: string): TakeDecision[] {
    return Object.values(decisions).filter((d) => d.takeId === takeId).sort((a, b) => b.at - a.at);
  }

  return {
    comments,
    news,
    load,
    onUpdate,
    threadsOf,
    decisionsOf,
    /** Decisions on any of a node's takes, newest first (the node card shows them). */
    decisionsOfNode: (nodeId: string) =>
      Object.values(decisions).filter((d) => d.nodeId === nodeId).sort((a, b) => b.at - a.at),
    /** This person's key (`user:<id>` or `guest:<sessionId>`), once "what's new" was read. */
    you: () => news()?.you ?? null,
    async post(target: CommentTarget, body: string): Promise<boolean> {
      const comment = await attempt(() => api.review.comment(projectId, { target, body }));
      if (comment) put(comment);
      return comment !== null;
    },
    async reply(parentId: string, body: string): Promise<boolean> {
      const comment = await attempt(() => api.review.comment(projectId, { parentId, body }));
      if (comment) put(comment);
      return comment !== null;
    },
    async edit(id: string, body: string): Promise<boolean> {
      const comment = await attempt(() => api.review.edit(projectId, id, body));
      if (comment) put(comment);
      return comment !== null;
    },
    async resolve(id: string, resolved: boolean): Promise<void> {
      const comment = await attempt(() => api.review.resolve(projectId, id, resolved));
      if (comment) put(comment);
    },
    async remove(id: string): Promise<void> {
      const done = await attempt(() => api.review.remove(projectId, id).then(() => true));
      if (done) onUpdate({ type: "review.update", change: "comment.deleted", comment: { id } });
    },
    async decide(takeId: string, decision: Decision, note?: string): Promise<void> {
      const made = await attempt(() => api.review.decide(projectId, takeId, decision, note));
      if (made) putDecision(made);
    },
    /** Marks everything listed read (up to the newest item shown). */
    async markRead(): Promise<void> {
      const newest = news()?.items[0]?.at;
      await attempt(() => api.review.markRead(projectId, newest));
      await readNews();
    },
    dispose(): void {
      clearTimeout(newsTimer);
    },
  };
}

export type ReviewStore = ReturnType<typeof createReviewStore>;
