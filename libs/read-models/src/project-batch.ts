import type { StoredEvent } from '@ledger/event-store';
import type { DocWrite, ReadStore } from './port';
import type { AnyProjection } from './projection';

/** A projection with its handled types as a set, built once per projector. */
export interface CompiledProjection {
  projection: AnyProjection;
  handles: ReadonlySet<string>;
}

export const compile = (projections: readonly AnyProjection[]): CompiledProjection[] =>
  projections.map((projection) => ({ projection, handles: new Set(projection.handles) }));

/** A document while events are folded into it. */
export interface Folding {
  doc: unknown;
  /** Global position of the last event applied (0: none yet). */
  position: number;
  /** It is stored, or came to exist during the fold: a deletion must then leave a tombstone. */
  existed: boolean;
  /** Some event was applied since it was read: it needs writing. */
  changed: boolean;
}

export const folding = (stored: { doc: unknown; position: number } | undefined): Folding =>
  stored === undefined
    ? { doc: null, position: 0, existed: false, changed: false }
    : { doc: stored.doc, position: stored.position, existed: true, changed: false };

/**
 * Applies each event after the document's position, in order. An event at or before it was
 * already applied (at-least-once delivery) and is skipped.
 */
export function fold(projection: AnyProjection, state: Folding, events: readonly StoredEvent[]): void {
  for (const event of events) {
    if (event.globalPosition <= state.position) continue;
    state.doc = projection.evolve(state.doc, event);
    state.position = event.globalPosition;
    state.changed = true;
    if (state.doc !== null) state.existed = true;
  }
}

/** The write a fold ends in; null when there is nothing to remember (unchanged, or never existed). */
export function writeOf(collection: string, id: string, state: Folding): DocWrite | null {
  if (!state.changed || !state.existed) return null;
  return { collection, id, position: state.position, doc: state.doc as Record<string, unknown> | null };
}

/** The documents a batch touches, each with its events in order. */
export function touchedBy({ projection, handles }: CompiledProjection, events: readonly StoredEvent[]): Map<string, StoredEvent[]> {
  const touched = new Map<string, StoredEvent[]>();
  for (const event of events) {
    if (!handles.has(event.type)) continue;
    for (const id of projection.idsOf(event)) {
      const list = touched.get(id);
      if (list === undefined) touched.set(id, [event]);
      else list.push(event);
    }
  }
  return touched;
}

/** An insert-only projection's writes: one new document per event, nothing read back. */
export function insertWrites({ projection, handles }: CompiledProjection, events: readonly StoredEvent[], into: DocWrite[]): void {
  for (const event of events) {
    if (!handles.has(event.type)) continue;
    for (const id of projection.idsOf(event)) {
      const doc = projection.evolve(null, event) as Record<string, unknown> | null;
      // The store keeps a write only if its position is newer: a redelivered event changes nothing.
      if (doc !== null) into.push({ collection: projection.collection, id, position: event.globalPosition, doc });
    }
  }
}

/**
 * Folds one batch into document writes: one getMany per projection for every document the batch
 * touches, every event applied in memory, one write per changed document. The store's
 * conditional write is the second guard, e.g. for documents deleted meanwhile.
 */
export async function projectBatch(
  readStore: ReadStore,
  projections: readonly CompiledProjection[],
  events: readonly StoredEvent[],
): Promise<DocWrite[]> {
  const perProjection = await Promise.all(projections.map((compiled) => projectOne(readStore, compiled, events)));
  return perProjection.flat();
}

async function projectOne(readStore: ReadStore, compiled: CompiledProjection, events: readonly StoredEvent[]): Promise<DocWrite[]> {
  const writes: DocWrite[] = [];
  const { projection } = compiled;
  if (projection.insertOnly === true) {
    insertWrites(compiled, events, writes);
    return writes;
  }
  const touched = touchedBy(compiled, events);
  if (touched.size === 0) return writes;
  const stored = await readStore.getMany<unknown>(projection.collection, [...touched.keys()]);
  for (const [id, list] of touched) {
    const state = folding(stored.get(id));
    fold(projection, state, list);
    const write = writeOf(projection.collection, id, state);
    if (write !== null) writes.push(write);
  }
  return writes;
}
