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

/**
 * Folds one batch into document writes: one getMany per projection for every document the batch
 * touches, every event applied in memory, one write per changed document. An event at or before a
 * document's stored position was already applied (at-least-once delivery) and is skipped; the
 * store's conditional write is the second guard, e.g. for documents deleted meanwhile.
 */
export async function projectBatch(
  readStore: ReadStore,
  projections: readonly CompiledProjection[],
  events: readonly StoredEvent[],
): Promise<DocWrite[]> {
  const perProjection = await Promise.all(projections.map((compiled) => projectOne(readStore, compiled, events)));
  return perProjection.flat();
}

async function projectOne(
  readStore: ReadStore,
  { projection, handles }: CompiledProjection,
  events: readonly StoredEvent[],
): Promise<DocWrite[]> {
  const touched = new Map<string, StoredEvent[]>();
  for (const event of events) {
    if (!handles.has(event.type)) continue;
    for (const id of projection.idsOf(event)) {
      const list = touched.get(id);
      if (list === undefined) touched.set(id, [event]);
      else list.push(event);
    }
  }
  if (touched.size === 0) return [];

  const stored = await readStore.getMany<unknown>(projection.collection, [...touched.keys()]);
  const writes: DocWrite[] = [];
  for (const [id, list] of touched) {
    const current = stored.get(id);
    let doc: unknown = current === undefined ? null : current.doc;
    let position = current === undefined ? 0 : current.position;
    for (const event of list) {
      if (event.globalPosition <= position) continue;
      doc = projection.evolve(doc, event);
      position = event.globalPosition;
    }
    const applied = position > (current?.position ?? 0);
    // Nothing to remember for a document that neither existed nor came to exist.
    if (!applied || (current === undefined && doc === null)) continue;
    writes.push({ collection: projection.collection, id, position, doc: doc as Record<string, unknown> | null });
  }
  return writes;
}
