import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '@ledger/event-store';
import { describeBackgroundRebuild, describeReadStoreContract } from '@ledger/read-models/testing';
import type { Filter } from '../port';
import { SqliteReadStore } from './sqlite-read-store';

describeReadStoreContract('SqliteReadStore (:memory:)', async () => {
  const store = SqliteReadStore.open({ path: ':memory:' });
  return { store, cleanup: () => store.close() };
});

describeReadStoreContract('SqliteReadStore (file, WAL)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'read-store-'));
  const store = SqliteReadStore.open({ path: join(dir, 'read.db') });
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SqliteReadStore specifics', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'read-store-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('persists documents and checkpoints across reopen', async () => {
    const path = join(dir, 'read.db');
    const first = SqliteReadStore.open({ path });
    await first.commit([{ collection: 'c', id: 'x', position: 3, doc: { v: 1 } }], { name: 'p', position: 3 });
    await first.close();
    const second = SqliteReadStore.open({ path });
    expect(await second.get('c', 'x')).toEqual({ id: 'x', position: 3, doc: { v: 1 } });
    expect(await second.getCheckpoint('p')).toBe(3);
    await second.close();
  });

  it('applies a commit as one transaction: a failing write leaves neither writes nor checkpoint', async () => {
    const store = SqliteReadStore.open({ path: join(dir, 'read.db') });
    const unserialisable = { n: BigInt(1) } as unknown as Record<string, unknown>;
    await expect(
      store.commit(
        [
          { collection: 'c', id: 'ok', position: 1, doc: { v: 1 } },
          { collection: 'c', id: 'bad', position: 2, doc: unserialisable },
        ],
        { name: 'p', position: 2 },
      ),
    ).rejects.toThrow();
    expect(await store.get('c', 'ok')).toBeNull();
    expect(await store.getCheckpoint('p')).toBe(0);
    await store.close();
  });

  it('uses the expression index for the queries find builds, once declared', async () => {
    const store = SqliteReadStore.open({ path: ':memory:' });
    await store.ensureIndexes('people', ['unit', 'year']);
    const planOf = (filter: Filter) => store.explainFind('people', filter, { sortBy: 'year', limit: 5 }).join(' | ');
    expect(planOf({ unit: 'U1' })).toContain('ix_people__unit');
    expect(planOf({ unit: ['U1', 'U2'] })).toContain('ix_people__unit');
    await store.close();
  });

  it('fills a column another connection declared after this one last looked, so indexed queries see every write', async () => {
    const path = join(dir, 'read.db');
    const writer = SqliteReadStore.open({ path });
    const other = SqliteReadStore.open({ path });
    await writer.commit([{ collection: 'people', id: 'a', position: 1, doc: { unit: 'U1' } }]); // the writer knows the table: no columns
    await other.ensureIndexes('people', ['unit']); // backfills a
    await writer.commit([{ collection: 'people', id: 'b', position: 2, doc: { unit: 'U1' } }]);
    expect(other.explainFind('people', { unit: 'U1' }).join(' | ')).toContain('ix_people__unit');
    expect((await other.find('people', { unit: 'U1' })).map((d) => d.id)).toEqual(['a', 'b']);
    expect((await writer.find('people', { unit: 'U1' })).map((d) => d.id)).toEqual(['a', 'b']);
    await writer.close();
    await other.close();
  });

  it('a swap by another connection is seen at the next read, with the indexes under the collection names', async () => {
    const path = join(dir, 'read.db');
    const writer = SqliteReadStore.open({ path });
    const reader = SqliteReadStore.open({ path });
    await writer.ensureIndexes('people', ['unit']);
    await writer.commit([{ collection: 'people', id: 'a', position: 1, doc: { unit: 'U1', v: 1 } }]);
    expect((await reader.find('people', { unit: 'U1' })).map((d) => d.doc)).toEqual([{ unit: 'U1', v: 1 }]); // statements cached
    await writer.ensureIndexes('people__v2', ['unit']);
    await writer.commit([{ collection: 'people__v2', id: 'a', position: 1, doc: { unit: 'U1', v: 2 } }]);
    await writer.replaceCollection('people', 'people__v2', {});
    expect((await reader.find('people', { unit: 'U1' })).map((d) => d.doc)).toEqual([{ unit: 'U1', v: 2 }]);
    expect(reader.explainFind('people', { unit: 'U1' }).join(' | ')).toContain('ix_people__unit');
    expect((await reader.get('people', 'a'))?.doc).toEqual({ unit: 'U1', v: 2 });
    await reader.close();
    await writer.close();
  });

  it('empties a file of the older single-table layout, so the projector replays from 0', async () => {
    const path = join(dir, 'read.db');
    const old = new Database(path);
    old.exec(`CREATE TABLE docs (collection TEXT NOT NULL, id TEXT NOT NULL, position INTEGER NOT NULL, body TEXT, PRIMARY KEY (collection, id));
      CREATE TABLE checkpoints (name TEXT PRIMARY KEY, position INTEGER NOT NULL);
      INSERT INTO docs VALUES ('c', 'x', 3, '{"v":1}'); INSERT INTO checkpoints VALUES ('read-models', 3);`);
    old.close();
    const store = SqliteReadStore.open({ path });
    expect(await store.getCheckpoint('read-models')).toBe(0);
    expect(await store.get('c', 'x')).toBeNull();
    await store.commit([{ collection: 'c', id: 'x', position: 3, doc: { v: 2 } }], { name: 'read-models', position: 3 });
    await store.close();
    const reopened = SqliteReadStore.open({ path }); // the current layout is kept as it is
    expect(await reopened.getCheckpoint('read-models')).toBe(3);
    await reopened.close();
  });

  it('refuses a file written by a newer layout', async () => {
    const path = join(dir, 'read.db');
    const newer = new Database(path);
    newer.pragma('user_version = 99');
    newer.close();
    expect(() => SqliteReadStore.open({ path })).toThrow(/layout 99 is newer/);
  });

  it('inserts new documents without index upkeep and indexes them at the next ensureIndexes', async () => {
    const store = SqliteReadStore.open({ path: join(dir, 'read.db') });
    await store.ensureIndexes('entries', ['stream']);
    const plan = () => store.explainFind('entries', { stream: 's1' }).join(' | ');
    expect(plan()).toContain('ix_entries__stream');
    await store.insertNew([{ collection: 'entries', id: 'e1', position: 1, doc: { stream: 's1' } }]);
    expect(plan()).not.toContain('ix_entries__stream'); // loading: no index to keep up
    expect((await store.find('entries', { stream: 's1' })).map((d) => d.id)).toEqual(['e1']);
    await store.ensureIndexes('entries', ['stream']);
    expect(plan()).toContain('ix_entries__stream');
    await store.close();
  });

  it('rejects names that are not plain identifiers instead of building SQL from them', async () => {
    const store = SqliteReadStore.open({ path: ':memory:' });
    await expect(store.find('people', { "x') OR 1=1 --": 'y' })).rejects.toThrow(/invalid field name/);
    await expect(store.ensureIndexes("p'eople", ['unit'])).rejects.toThrow(/invalid collection name/);
    await store.close();
  });
});

describeBackgroundRebuild('SqliteEventStore into SqliteReadStore (files)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'background-rebuild-'));
  const events = SqliteEventStore.open({ path: join(dir, 'events.db'), synchronous: 'NORMAL', pollIntervalMs: 10 });
  const reads = SqliteReadStore.open({ path: join(dir, 'read.db') });
  return {
    events,
    reads,
    cleanup: async () => {
      await reads.close();
      await events.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
