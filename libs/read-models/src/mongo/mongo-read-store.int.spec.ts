import { MongoClient } from 'mongodb';
import { describeWithServer } from '@ledger/event-store/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledger/event-store';
import { describeBackgroundRebuild, describeReadStoreContract } from '@ledger/read-models/testing';
import type { DocWrite } from '../port';
import { MongoReadStore } from './mongo-read-store';
import { freshMongoReadStore } from './testing/databases';

describeWithServer('mongodb', 'MongoReadStore', (uri) => {
  describeReadStoreContract('MongoReadStore', async () => {
    const { store, cleanup } = await freshMongoReadStore(uri, 'contract');
    return { store, cleanup };
  });

  describeBackgroundRebuild('SqliteEventStore into MongoReadStore', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'background-rebuild-'));
    const events = SqliteEventStore.open({ path: join(dir, 'events.db'), synchronous: 'NORMAL', pollIntervalMs: 10 });
    const { store, cleanup } = await freshMongoReadStore(uri, 'rebuild');
    return {
      events,
      reads: store,
      cleanup: async () => {
        await cleanup();
        await events.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  });

  describe('MongoReadStore specifics', () => {
    let store: MongoReadStore;
    let database: string;
    let cleanup: () => Promise<void>;
    let raw: MongoClient;
    beforeAll(async () => {
      raw = await new MongoClient(uri, { serverSelectionTimeoutMS: 5_000 }).connect();
    });
    afterAll(async () => {
      await raw?.close();
    });
    beforeEach(async () => {
      ({ store, database, cleanup } = await freshMongoReadStore(uri, 'specifics'));
    });
    afterEach(async () => {
      await cleanup();
    });

    it('keeps checkpoints in _checkpoints beside the read models, and indexes the declared fields', async () => {
      await store.ensureIndexes('people', ['unit', 'year']);
      await store.ensureIndexes('people', ['unit', 'year']); // idempotent, also for several existing indexes at once
      await store.commit([{ collection: 'people', id: 'a', position: 5, doc: { unit: 'U1' } }], { name: 'p', position: 5 });
      const db = raw.db(database);
      const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
      expect(names).toEqual(['_checkpoints', 'people']);
      expect(await db.collection<{ _id: string; position: number }>('_checkpoints').findOne({ _id: 'p' })).toEqual({
        _id: 'p',
        position: 5,
      });
      const indexes = (await db.collection('people').listIndexes().toArray()).map((i) => i.name).sort();
      expect(indexes).toEqual(['_id_', 'ix_unit', 'ix_year']);
    });

    it('round-trips fields named like its own and values FerretDB cannot hold as BSON, and filters on them', async () => {
      const doc = { _id: 'inner', _pos: 99, $set: 1, _json: 'text', grid: [[1, 2], []], keys: { 'a.b': 1, $x: 2 }, when: new Date(0) };
      await store.commit([{ collection: 'c', id: 'x', position: 1, doc }]);
      const json = JSON.parse(JSON.stringify(doc)) as Record<string, unknown>; // what the SQLite store gives back
      expect((await store.get('c', 'x'))?.doc).toStrictEqual(json);
      expect((await store.find('c', { _id: 'inner', _pos: 99 })).map((d) => d.id)).toEqual(['x']);
      expect((await store.find('c', { when: '1970-01-01T00:00:00.000Z' })).map((d) => d.id)).toEqual(['x']);
      expect(await store.find('c', { _id: 'x' })).toEqual([]); // the document's own _id field, not the store's
    });

    // Two stores of one process share its write locks (write-locks.ts). Without them FerretDB
    // 1.24, which applies a conditional replace non-atomically, kept an older version in about
    // one round in twenty; thirty rounds make a regression show.
    it('converges when two stores of one process write overlapping documents at the same time, in different orders', async () => {
      const other = await MongoReadStore.connect({ uri, database });
      try {
        for (let round = 0; round < 30; round++) {
          const collection = `race${round}`;
          const writes: DocWrite[] = [];
          for (let position = 1; position <= 120; position++) {
            writes.push({ collection, id: `d${position % 12}`, position, doc: position % 7 === 0 ? null : { position } });
          }
          const batches = (list: DocWrite[]) => Array.from({ length: 6 }, (_, i) => list.slice(i * 20, i * 20 + 20));
          const forwards = batches(writes);
          const backwards = batches([...writes].reverse());
          await Promise.all([
            (async () => {
              for (const batch of forwards) await store.commit(batch, { name: collection, position: batch[batch.length - 1].position });
            })(),
            (async () => {
              for (const batch of backwards) await other.commit(batch, { name: collection, position: batch[batch.length - 1].position });
            })(),
            store.insertNew(writes.slice(40, 60)),
          ]);
          const expected = new Map<string, DocWrite>();
          for (const w of writes) expected.set(w.id, w); // ascending positions: the last per id is the newest
          const found = await store.getMany(collection, [...expected.keys()]);
          for (const [id, w] of expected) {
            expect({ round, id, stored: found.get(id) ?? null }).toEqual({
              round,
              id,
              stored: w.doc === null ? null : { id, position: w.position, doc: w.doc },
            });
          }
          // The checkpoint only ever moves forward ($max), whichever store moved it last.
          expect(await store.getCheckpoint(collection)).toBe(120);
        }
      } finally {
        await other.close();
      }
    });

    it('refuses names that are not plain identifiers and the reserved checkpoint collection', async () => {
      await expect(store.find('people', { 'a.b': 1 })).rejects.toThrow(/invalid field name/);
      await expect(store.find('people', {}, { sortBy: '$where' })).rejects.toThrow(/invalid field name/);
      await expect(store.ensureIndexes('pe.ople', ['unit'])).rejects.toThrow(/invalid collection name/);
      await expect(store.commit([{ collection: '_checkpoints', id: 'p', position: 1, doc: {} }])).rejects.toThrow(/reserved/);
    });

    it('leaves the checkpoint where it was when a write fails', async () => {
      await store.commit([], { name: 'p', position: 3 });
      const bad = { n: BigInt(1) } as unknown as Record<string, unknown>;
      await expect(store.commit([{ collection: 'c', id: 'bad', position: 4, doc: bad }], { name: 'p', position: 4 })).rejects.toThrow(
        /BigInt/,
      );
      expect(await store.getCheckpoint('p')).toBe(3);
    });
  });
});
