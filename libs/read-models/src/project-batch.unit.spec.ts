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
});
