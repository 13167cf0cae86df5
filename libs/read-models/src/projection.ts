import type { StoredEvent } from '@ledger/event-store';

/**
 * A read model as a fold: the projector owns all storage, batching and idempotency; a projection
 * only says which documents an event touches and how one document changes.
 */
export interface Projection<D> {
  /** Stable name (for logs). */
  name: string;
  /** The read-store collection its documents live in. */
  collection: string;
  /**
   * The version of its documents' shape and of its fold (default 1). Raise it whenever evolve or
   * the document changes: a running deployment then rebuilds this projection alone, in the
   * background, while the previous version keeps serving, and swaps when it has caught up.
   */
  version?: number;
  /** Event types it folds; others never reach evolve. */
  handles: readonly string[];
  /** The ids of the documents this event changes (usually one). */
  idsOf(event: StoredEvent): string[];
  /**
   * Pure: no I/O, no clock, no mutation of `doc`. null in = no document yet; null out = delete.
   * Called at most once per event and document: the projector skips events at or before the
   * document's stored position.
   */
  evolve(doc: D | null, event: StoredEvent): D | null;
  /** Top-level fields queried by equality (the read store indexes them). */
  indexes?: string[];
  /**
   * true when every document is made by exactly one event and never changes after (an entry
   * per event, like the audit trail): the projector then never reads documents back, it writes
   * evolve(null, event) at the event's position, and the store's position check alone makes a
   * redelivery change nothing. Wrong for anything a second event updates: that update would
   * replace the document instead of folding into it.
   */
  insertOnly?: boolean;
}

/** Projections of different document types in one list (methods are bivariant in their parameters). */
export type AnyProjection = Projection<unknown>;
