import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type EventStore } from '@ledger/event-store';
import { describeWithServer, freshSchemaName, openPostgresTestStore } from '@ledger/event-store/testing';
import { appendAll, yearScenario } from '@ledger/read-models/testing';
import type { ReadDoc, ReadStore } from './port';
import { Projector } from './projector';
import { AUDIT_TRAIL, PROJECTIONS } from './projections';
import { SqliteReadStore } from './sqlite/sqlite-read-store';

jest.setTimeout(60_000);

type Snapshot = Record<string, ReadDoc[]>;

async function snapshot(store: ReadStore): Promise<Snapshot> {
  const all: Snapshot = {};
  for (const { collection } of PROJECTIONS) all[collection] = await store.find(collection, {});
  return all;
}

/**
 * The projector on the PostgreSQL event store (a schema of its own, so it holds exactly this
 * history) leaves the documents it leaves on the SQLite event store, live and in small batches.
 */
describeWithServer('postgres', 'Projector following the PostgreSQL event store, against the SQLite one', (connectionString) => {
  const scenario = yearScenario({ units: 2, membersPerUnit: 6 });
  let dir: string;
  const closers: Array<() => Promise<void>> = [];

  const project = async (
    events: EventStore,
    name: string,
    head: number,
    batchSize: number,
  ): Promise<{ docs: Snapshot; checkpoint: number | undefined }> => {
    const readStore = SqliteReadStore.open({ path: join(dir, `${name}.db`) });
    try {
      const projector = new Projector({ eventStore: events, readStore, projections: PROJECTIONS, batchSize });
      await projector.start();
      expect(await projector.waitFor(head, 30_000)).toBe(true);
      await projector.stop();
      return { docs: await snapshot(readStore), checkpoint: await readStore.getCheckpoint('read-models') };
    } finally {
      await readStore.close();
    }
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pg-projections-'));
  });
  afterAll(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the same documents from the same history, whichever store it was appended to', async () => {
    const sqlite = SqliteEventStore.open({ path: join(dir, 'events.db'), synchronous: 'NORMAL', pollIntervalMs: 20 });
    closers.push(() => sqlite.close());
    const { store: postgres, cleanup } = await openPostgresTestStore(connectionString, { schema: freshSchemaName() });
    closers.push(cleanup);
    const [sqliteHead, postgresHead] = [await appendAll(sqlite, scenario.appends), await appendAll(postgres, scenario.appends)];
    expect(await postgres.headPosition()).toBe(postgresHead);

    const expected = await project(sqlite, 'from-sqlite', sqliteHead, 500);
    const actual = await project(postgres, 'from-postgres', postgresHead, 7);
    expect(actual.docs[AUDIT_TRAIL]).toHaveLength(scenario.eventCount);
    // Positions are store-assigned: both stores hand out 1, 2, 3… here, so even they agree.
    expect(actual.docs).toEqual(expected.docs);
    expect(actual.checkpoint).toBe(postgresHead);
  });
});
