import type { StoredEvent } from '@ledger/event-store';
import { StoredEventLog, type FixtureActor } from '@ledger/read-models/testing';
import { compile, projectBatch } from './project-batch';
import type { Projection } from './projection';
import { SqliteReadStore } from './sqlite/sqlite-read-store';

/** Counts applications per document: any double application shows up in `applied`. */
interface Tally {
  applied: number[];
}
const tally: Projection<Tally> = {
  name: 'tally',
  collection: 'tally',
  handles: ['PlanSubmitted', 'PlanReturned'],
  idsOf: (e) => [e.streamId],
  evolve: (doc, e) => (e.type === 'PlanReturned' ? null : { applied: [...(doc?.applied ?? []), e.globalPosition] }),
};
const actor: FixtureActor = { id: 'x', role: 'PEGAWAI' };
const compiled = compile([tally]);

describe('projectBatch (in-memory SQLite read store)', () => {
  let store: SqliteReadStore;
  let log: StoredEventLog;
  beforeEach(() => {
    store = SqliteReadStore.open({ path: ':memory:' });
    log = new StoredEventLog();
  });
  afterEach(() => store.close());

  const run = async (events: StoredEvent[]) => {
    const writes = await projectBatch(store, compiled, events);
    await store.commit(writes);
    return writes;
  };

  it('folds every event of a batch into one write per document, at the last position', async () => {
    const a1 = log.record('a', 'PlanSubmitted', {}, actor);
    const b1 = log.record('b', 'PlanSubmitted', {}, actor);
    const a2 = log.record('a', 'PlanSubmitted', {}, actor);
    log.record('a', 'PlanApproved', { version: 1 }, actor); // not handled
    const writes = await run(log.events);
    expect(writes).toEqual([
      { collection: 'tally', id: 'a', position: a2.globalPosition, doc: { applied: [a1.globalPosition, a2.globalPosition] } },
      { collection: 'tally', id: 'b', position: b1.globalPosition, doc: { applied: [b1.globalPosition] } },
    ]);
  });

  it('applies each event once when batches are redelivered or overlap', async () => {
    const events = [1, 2, 3, 4].map(() => log.record('a', 'PlanSubmitted', {}, actor));
    await run(events.slice(0, 3));
    expect(await run(events.slice(0, 3))).toEqual([]);
    await run(events.slice(1, 4));
    expect((await store.get<Tally>('tally', 'a'))?.doc.applied).toEqual([1, 2, 3, 4]);
  });

  it('deletes when evolve returns null, and a stale replay does not resurrect the document', async () => {
    const first = log.record('a', 'PlanSubmitted', {}, actor);
    await run([first]);
    const deleted = log.record('a', 'PlanReturned', { reason: 'r' }, actor);
    await run([deleted]);
    expect(await store.get('tally', 'a')).toBeNull();
    await run([first]);
    expect(await store.get('tally', 'a')).toBeNull();
  });

  it('writes nothing for a document that never came to exist', async () => {
    expect(await run([log.record('a', 'PlanReturned', { reason: 'r' }, actor)])).toEqual([]);
  });

  it('leaves a tombstone for a document created and deleted within one batch, so a stale replay cannot resurrect it', async () => {
    const created = log.record('a', 'PlanSubmitted', {}, actor);
    const deleted = log.record('a', 'PlanReturned', { reason: 'r' }, actor);
    expect(await run([created, deleted])).toEqual([{ collection: 'tally', id: 'a', position: deleted.globalPosition, doc: null }]);
    await run([created]);
    expect(await store.get('tally', 'a')).toBeNull();
  });
});

/** One entry per event, like the audit trail; `seen` shows whether evolve was handed a stored document. */
interface Entry {
  position: number;
  seen: number | null;
}
const entries: Projection<Entry> = {
  name: 'entries',
  collection: 'entries',
  handles: ['PlanSubmitted'],
  idsOf: (e) => [e.eventId],
  evolve: (doc, e) => ({ position: e.globalPosition, seen: doc?.position ?? null }),
  insertOnly: true,
};

describe('projectBatch with an insert-only projection', () => {
  let store: SqliteReadStore;
  let log: StoredEventLog;
  beforeEach(() => {
    store = SqliteReadStore.open({ path: ':memory:' });
    log = new StoredEventLog();
  });
  afterEach(() => store.close());

  it('writes evolve(null, event) at the event position without reading the stored document', async () => {
    const event = log.record('a', 'PlanSubmitted', {}, actor);
    // An older document under the same id: a folding projection would be handed it; an insert-only one is not.
    await store.commit([
      { collection: 'entries', id: event.eventId, position: event.globalPosition - 1, doc: { position: 0, seen: null } },
    ]);
    const writes = await projectBatch(store, compile([entries]), [event]);
    expect(writes).toEqual([
      { collection: 'entries', id: event.eventId, position: event.globalPosition, doc: { position: event.globalPosition, seen: null } },
    ]);
  });

  it('changes nothing when an event is delivered again: the store keeps the write at the same position', async () => {
    const events = [1, 2, 3].map(() => log.record('a', 'PlanSubmitted', {}, actor));
    await store.commit(await projectBatch(store, compile([entries]), events));
    const before = await store.find('entries', {});
    const again = await projectBatch(store, compile([entries]), events.slice(1));
    expect(again).toHaveLength(2); // written blind…
    await store.commit(again);
    expect(await store.find('entries', {})).toEqual(before); // …and refused by position
    expect(before.map((d) => d.position)).toEqual(events.map((e) => e.globalPosition).sort((a, b) => a - b));
  });
});
