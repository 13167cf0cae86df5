import type { StoredEvent } from '@ledger/event-store';
import { StoredEventLog, type FixtureActor } from '@ledger/read-models/testing';
import { compile, projectBatch } from './project-batch';
import type { Projection } from './projection';
import { RebuildBuffer } from './rebuild-buffer';
import { SqliteReadStore } from './sqlite/sqlite-read-store';

/** Folds every event into its stream's document (applied: the positions, in order); PlanReturned deletes it. */
const tally: Projection<{ applied: number[] }> = {
  name: 'tally',
  collection: 'tally',
  handles: ['PlanSubmitted', 'PlanReturned'],
  idsOf: (e) => [e.streamId],
  evolve: (doc, e) => (e.type === 'PlanReturned' ? null : { applied: [...(doc?.applied ?? []), e.globalPosition] }),
};
const entries: Projection<{ type: string }> = {
  name: 'entries',
  collection: 'entries',
  handles: ['PlanSubmitted', 'PlanReturned'],
  idsOf: (e) => [e.eventId],
  evolve: (_doc, e) => ({ type: e.type }),
  insertOnly: true,
};
const projections = compile([tally, entries]);
const actor: FixtureActor = { id: 'x', role: 'PEGAWAI' };
const checkpoint = (position: number) => ({ name: 'p', position });

describe('RebuildBuffer (in-memory SQLite read store)', () => {
  let store: SqliteReadStore;
  let log: StoredEventLog;
  beforeEach(() => {
    store = SqliteReadStore.open({ path: ':memory:' });
    log = new StoredEventLog();
  });
  afterEach(() => store.close());

  /** Streams a..e, events interleaved across them; c is deleted and re-created. */
  const history = (): StoredEvent[] => {
    for (let round = 0; round < 4; round++) {
      for (const stream of ['a', 'b', 'c', 'd', 'e']) {
        const type = stream === 'c' && round === 1 ? 'PlanReturned' : 'PlanSubmitted';
        log.record(stream, type, type === 'PlanReturned' ? { reason: 'r' } : {}, actor);
      }
    }
    return log.events;
  };
  const pages = (events: StoredEvent[], size: number) =>
    Array.from({ length: Math.ceil(events.length / size) }, (_, i) => events.slice(i * size, (i + 1) * size));
  const everything = async (s: SqliteReadStore) => ({ tally: await s.find('tally', {}), entries: await s.find('entries', {}) });

  it('holds updatable documents until flush, then writes them with the checkpoint; insert-only ones go page by page', async () => {
    const [first, second] = pages(history(), 10);
    const buffer = new RebuildBuffer(store, projections, 1_000);
    await buffer.apply(first);
    await buffer.apply(second);
    expect(await store.find('tally', {})).toEqual([]);
    expect(await store.find('entries', {})).toHaveLength(20);
    expect(await store.getCheckpoint('p')).toBe(0); // a crash now replays from 0: the entries stay as they are
    await buffer.flush(checkpoint(20));
    expect(await store.getCheckpoint('p')).toBe(20);
    expect((await store.get<{ applied: number[] }>('tally', 'a'))?.doc.applied).toEqual([1, 6, 11, 16]);
  });

  it('writes the same documents as live batches, also when it has to write out and read back early', async () => {
    const events = history();
    const live = SqliteReadStore.open({ path: ':memory:' });
    for (const batch of pages(events, 3))
      await live.commit(await projectBatch(live, projections, batch), checkpoint(batch[batch.length - 1].globalPosition));

    const buffer = new RebuildBuffer(store, projections, 2); // full after two documents: a flush every page
    let flushes = 0;
    for (const page of pages(events, 4)) {
      await buffer.apply(page);
      if (buffer.full()) {
        await buffer.flush(checkpoint(page[page.length - 1].globalPosition));
        flushes += 1;
      }
    }
    await buffer.flush(checkpoint(events.length));
    expect(flushes).toBeGreaterThan(2);
    expect(await everything(store)).toEqual(await everything(live));
    expect(await store.get('tally', 'c')).toEqual({ id: 'c', position: 18, doc: { applied: [13, 18] } });
    await live.close();
  });

  it('leaves a tombstone for a document deleted while held, as live batches do', async () => {
    const created = log.record('a', 'PlanSubmitted', {}, actor);
    const deleted = log.record('a', 'PlanReturned', { reason: 'r' }, actor);
    const buffer = new RebuildBuffer(store, projections, 1_000);
    await buffer.apply([created]);
    await buffer.apply([deleted]);
    await buffer.flush(checkpoint(2));
    await store.commit([{ collection: 'tally', id: 'a', position: created.globalPosition, doc: { applied: [1] } }]); // a stale replay
    expect(await store.get('tally', 'a')).toBeNull();
  });
});
