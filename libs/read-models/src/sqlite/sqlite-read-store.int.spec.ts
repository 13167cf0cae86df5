import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeReadStoreContract } from '@ledger/read-models/testing';
import type { Filter } from '../port';
import { buildFind } from './sql';
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
    const db = (store as unknown as { db: { prepare(sql: string): { all(...p: unknown[]): Array<{ detail: string }> } } }).db;
    const planOf = (filter: Filter) => {
      const { sql, params } = buildFind('people', filter, { sortBy: 'year', limit: 5 });
      return db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params).map((p) => p.detail).join(' | ');
    };
    expect(planOf({ unit: 'U1' })).toContain('ix_people__unit');
    expect(planOf({ unit: ['U1', 'U2'] })).toContain('ix_people__unit');
    await store.close();
  });

  it('rejects names that are not plain identifiers instead of building SQL from them', async () => {
    const store = SqliteReadStore.open({ path: ':memory:' });
    await expect(store.find('people', { "x') OR 1=1 --": 'y' })).rejects.toThrow(/invalid field name/);
    await expect(store.ensureIndexes("p'eople", ['unit'])).rejects.toThrow(/invalid collection name/);
    await store.close();
  });
});
