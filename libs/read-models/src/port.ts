/**
 * The read-store port: JSON documents in named collections, each remembering the global
 * position of the last event applied to it, plus named checkpoints. Every adapter passes
 * libs/read-models/src/testing's contract suite.
 */
export interface ReadDoc<T = Record<string, unknown>> {
  id: string;
  /** Global position of the last event applied to this document. */
  position: number;
  doc: T;
}

/** A document write applied only if `position` is greater than the stored one (idempotency). */
export interface DocWrite {
  collection: string;
  id: string;
  position: number;
  /**
   * null deletes the document. The store keeps its position (a tombstone), so a stale replay
   * cannot resurrect it; a write with a newer position re-creates it.
   */
  doc: Record<string, unknown> | null;
}

export interface FindOptions {
  /** Field to sort by (top-level), ascending unless `descending`. */
  sortBy?: string;
  descending?: boolean;
  limit?: number;
}

/** Equality on top-level fields; an array value means "field is any of these". */
export type Filter = Record<string, string | number | boolean | null | Array<string | number>>;

/** A named checkpoint: the global position some follower has applied. */
export interface Checkpoint {
  name: string;
  position: number;
}

/** Checkpoints set to exactly these values (null removes one), backwards too: for a projection's state changes, not live batches. */
export type CheckpointValues = Record<string, number | null>;

export interface ReadStore {
  /** Declares the top-level fields a collection is queried by, so the adapter can index them. */
  ensureIndexes(collection: string, fields: string[]): Promise<void>;
  get<T = Record<string, unknown>>(collection: string, id: string): Promise<ReadDoc<T> | null>;
  getMany<T = Record<string, unknown>>(collection: string, ids: string[]): Promise<Map<string, ReadDoc<T>>>;
  find<T = Record<string, unknown>>(collection: string, filter: Filter, options?: FindOptions): Promise<ReadDoc<T>[]>;
  /**
   * Applies the writes, each only if its position is newer than the stored document's, and then
   * moves the checkpoints given (each only forward) — as one unit
   * where the store allows, and always so that a replay after a crash converges to the same
   * documents.
   */
  commit(writes: DocWrite[], ...checkpoints: Checkpoint[]): Promise<void>;
  /**
   * Optional bulk path for a rebuild; without it the projector calls commit. The caller
   * guarantees that no write since the last dropAll touched these ids (an insert-only
   * projection's entries during a rebuild). Moves no checkpoint. An adapter must leave the
   * documents as commit(writes) would, at the latest once the next ensureIndexes for their
   * collection has returned; before that, reads must be correct (they may be slow). It may skip
   * the position check and defer index upkeep, even of the index on id, to that ensureIndexes,
   * which must then still converge should the guarantee have been broken: per id the newest
   * position stays, the first written among equals, as with commit. An adapter with no faster
   * way simply calls commit(writes).
   */
  insertNew?(writes: DocWrite[]): Promise<void>;
  getCheckpoint(name: string): Promise<number>;
  /** Every stored checkpoint by name. */
  listCheckpoints(): Promise<Map<string, number>>;
  /** Sets checkpoints to exactly these values (null removes one), backwards too, as one unit where the store allows. */
  setCheckpoints(values: CheckpointValues): Promise<void>;
  /**
   * A background rebuild's swap: the documents of `staging` become those of `collection` (whose
   * own are dropped), `staging` is gone, its indexes are `collection`'s, and the checkpoints are
   * set to `checkpoints`. Readers see the old documents or the new ones, never a mix (MongoDB
   * servers without renameCollection's dropTarget, FerretDB among them, show an empty collection
   * for the moment between the drop and the rename). All in one transaction where the store has
   * them; otherwise the checkpoints are set first, so that a crash half-way leaves a state in
   * which calling replace again completes the swap (the projector does at its next start). With
   * no `staging` collection it only sets the checkpoints.
   */
  replaceCollection(collection: string, staging: string, checkpoints: CheckpointValues): Promise<void>;
  /** Drops one collection (an abandoned rebuild's staging one) with its indexes, and sets the checkpoints. */
  dropCollection(collection: string, checkpoints?: CheckpointValues): Promise<void>;
  /** Drops every document and checkpoint (for a rebuild); may drop indexes too: ensureIndexes again after. */
  dropAll(): Promise<void>;
  close(): Promise<void>;
}
