import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledger/event-store';
import { describeWithServer } from '@ledger/event-store/testing';
import { appendAll, yearScenario } from '@ledger/read-models/testing';
import type { ReadDoc, ReadStore } from '../port';
import { Projector } from '../projector';
import { APPRAISALS, AUDIT_TRAIL, DISPUTES, PROJECTIONS, UNITS } from '../projections';
import { SqliteReadStore } from '../sqlite/sqlite-read-store';
import type { MongoReadStore } from './mongo-read-store';
import { freshMongoReadStore } from './testing/databases';

jest.setTimeout(60_000);

type Snapshot = Record<string, ReadDoc[]>;

/** Every document of every collection, by collection, sorted by id. */
async function snapshot(store: ReadStore): Promise<Snapshot> {
  const all: Snapshot = {};
  for (const { collection } of PROJECTIONS) all[collection] = await store.find(collection, {});
  return all;
}

describeWithServer('mongodb', 'Projector into MongoReadStore, against the SQLite read store', (uri) => {
  const scenario = yearScenario({ units: 2, membersPerUnit: 8 });
  let dir: string;
  let events: SqliteEventStore;
  let head: number;
  let expected: Snapshot;
  let mongo: MongoReadStore;
  let cleanup: () => Promise<void>;
  let projector: Projector | undefined;

  const follow = async (readStore: ReadStore, options: { name?: string; batchSize?: number } = {}): Promise<Projector> => {
    const p = new Projector({ eventStore: events, readStore, projections: PROJECTIONS, ...options });
    await p.start();
    expect(await p.waitFor(head, 20_000)).toBe(true);
    await p.stop();
    return p;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mongo-projections-'));
    events = SqliteEventStore.open({ path: join(dir, 'events.db'), synchronous: 'NORMAL', pollIntervalMs: 20 });
    head = await appendAll(events, scenario.appends);
    // The reference: the same history projected live into the embedded read store.
    const sqlite = SqliteReadStore.open({ path: join(dir, 'read.db') });
    try {
      await follow(sqlite);
      expected = await snapshot(sqlite);
    } finally {
      await sqlite.close();
    }
    for (const { collection } of PROJECTIONS) expect(expected[collection].length).toBeGreaterThan(0);
  });
  afterAll(async () => {
    await events?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    ({ store: mongo, cleanup } = await freshMongoReadStore(uri, 'projections'));
  });
  afterEach(async () => {
    await projector?.stop();
    projector = undefined;
    await cleanup();
  });

  it('the live projector, in small batches, leaves exactly the documents the SQLite read store has', async () => {
    projector = await follow(mongo, { batchSize: 7 });
    expect(await snapshot(mongo)).toEqual(expected);
    expect(await mongo.getCheckpoint('read-models')).toBe(head);
    expect((await mongo.find(AUDIT_TRAIL, {})).length).toBe(scenario.eventCount);
    expect(await mongo.find(APPRAISALS, { unitId: 'UNIT-02', year: 2026 })).toHaveLength(8);
    const disputes = await mongo.find(DISPUTES, {}, { sortBy: 'status' });
    expect(disputes.map((d) => d.doc.status)).toEqual(['DECIDED', 'DECIDED', 'OPEN', 'OPEN']);
    expect((await mongo.find(UNITS, {})).map((u) => u.id)).toEqual(scenario.unitKeys);
  });

  it('a rebuild leaves the same documents, also when it writes out and reads back held documents on the way', async () => {
    projector = await follow(mongo, { batchSize: 50 });
    expect((await projector.rebuild()).events).toBe(scenario.eventCount);
    await projector.stop();
    expect(await snapshot(mongo)).toEqual(expected);
    expect(await mongo.getCheckpoint('read-models')).toBe(head);

    const paged = new Projector({
      eventStore: events,
      readStore: mongo,
      projections: PROJECTIONS,
      rebuildPageSize: 16,
      rebuildMaxHeldDocs: 3,
    });
    projector = paged;
    expect((await paged.rebuild()).events).toBe(scenario.eventCount);
    await paged.stop();
    expect(await snapshot(mongo)).toEqual(expected);
    expect(await mongo.find(APPRAISALS, { unitId: 'UNIT-01' })).toHaveLength(8); // indexes are back
  });

  it('a replay of already-applied events changes nothing, and does not move the checkpoint back', async () => {
    projector = await follow(mongo);
    const before = await snapshot(mongo);
    // A second projector with its own checkpoint (0) redelivers every event to the same documents.
    await follow(mongo, { name: 'replay', batchSize: 13 });
    expect(await snapshot(mongo)).toEqual(before);
    expect(before).toEqual(expected);
    await mongo.commit([], { name: 'read-models', position: 1 });
    expect(await mongo.getCheckpoint('read-models')).toBe(head);
    expect(await mongo.getCheckpoint('replay')).toBe(head);
  });
});
