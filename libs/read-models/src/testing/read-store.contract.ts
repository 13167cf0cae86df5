import type { ReadStore } from '../port';

export type ReadStoreFactory = () => Promise<{ store: ReadStore; cleanup: () => Promise<void> }>;

/**
 * The behaviour every ReadStore adapter must show. Adapter-agnostic: only the port is used.
 * Run it with `describeReadStoreContract('sqlite', factory)` from an adapter's int spec.
 */
export function describeReadStoreContract(name: string, factory: ReadStoreFactory): void {
  describe(`ReadStore contract: ${name}`, () => {
    let store: ReadStore;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await factory());
    });
    afterEach(async () => {
      await cleanup();
    });

    const put = (collection: string, id: string, position: number, doc: Record<string, unknown> | null) =>
      store.commit([{ collection, id, position, doc }]);

    const people = async () => {
      await store.commit([
        { collection: 'people', id: 'a', position: 1, doc: { name: 'Ani', unit: 'U1', year: 2026, active: true, score: 3 } },
        { collection: 'people', id: 'b', position: 2, doc: { name: 'Budi', unit: 'U1', year: 2025, active: false, score: 1 } },
        { collection: 'people', id: 'c', position: 3, doc: { name: 'Citra', unit: 'U2', year: 2026, active: true, score: 2 } },
        { collection: 'people', id: 'd', position: 4, doc: { name: 'Dewi', unit: null, year: 2026, active: true, score: 5 } },
        { collection: 'others', id: 'a', position: 5, doc: { name: 'Not a person', unit: 'U1', year: 2026 } },
      ]);
    };
    const ids = (docs: Array<{ id: string }>) => docs.map((d) => d.id);

    describe('get and getMany', () => {
      it('returns null for a document that was never written', async () => {
        expect(await store.get('people', 'nobody')).toBeNull();
      });

      it('returns the document with its id and position, per collection', async () => {
        await people();
        expect(await store.get('people', 'a')).toEqual({
          id: 'a',
          position: 1,
          doc: { name: 'Ani', unit: 'U1', year: 2026, active: true, score: 3 },
        });
        expect((await store.get('others', 'a'))?.doc).toEqual({ name: 'Not a person', unit: 'U1', year: 2026 });
      });

      it('getMany returns exactly the existing documents of the collection, keyed by id', async () => {
        await people();
        const found = await store.getMany('people', ['a', 'c', 'missing']);
        expect([...found.keys()].sort()).toEqual(['a', 'c']);
        expect(found.get('c')).toEqual({ id: 'c', position: 3, doc: expect.objectContaining({ name: 'Citra' }) });
        expect((await store.getMany('people', [])).size).toBe(0);
      });

      it('getMany handles thousands of ids in one call', async () => {
        const writes = Array.from({ length: 3000 }, (_, i) => ({
          collection: 'bulk',
          id: `id-${i}`,
          position: i + 1,
          doc: { i },
        }));
        await store.commit(writes);
        const found = await store.getMany(
          'bulk',
          writes.map((w) => w.id),
        );
        expect(found.size).toBe(3000);
        expect(found.get('id-2999')?.doc).toEqual({ i: 2999 });
      });
    });

    describe('find', () => {
      beforeEach(people);

      it('filters by equality on strings, numbers and booleans, combined with AND', async () => {
        expect(ids(await store.find('people', { unit: 'U1' }, { sortBy: 'name' }))).toEqual(['a', 'b']);
        expect(ids(await store.find('people', { year: 2026 }, { sortBy: 'name' }))).toEqual(['a', 'c', 'd']);
        expect(ids(await store.find('people', { active: false }))).toEqual(['b']);
        expect(ids(await store.find('people', { unit: 'U1', year: 2026 }))).toEqual(['a']);
        expect(await store.find('people', { unit: 'U9' })).toEqual([]);
      });

      it('matches null to null and to missing fields', async () => {
        await put('people', 'e', 6, { name: 'Eko', year: 2024, active: true, score: 4 });
        expect(ids(await store.find('people', { unit: null }, { sortBy: 'name' }))).toEqual(['d', 'e']);
      });

      it('treats an array value as "any of these", and an empty array as nothing', async () => {
        expect(ids(await store.find('people', { unit: ['U1', 'U2'] }, { sortBy: 'name' }))).toEqual(['a', 'b', 'c']);
        expect(ids(await store.find('people', { year: [2025, 2024] }))).toEqual(['b']);
        expect(await store.find('people', { unit: [] })).toEqual([]);
      });

      it('sorts ascending or descending and limits', async () => {
        expect(ids(await store.find('people', {}, { sortBy: 'score' }))).toEqual(['b', 'c', 'a', 'd']);
        expect(ids(await store.find('people', {}, { sortBy: 'score', descending: true }))).toEqual(['d', 'a', 'c', 'b']);
        expect(ids(await store.find('people', {}, { sortBy: 'name', descending: true, limit: 2 }))).toEqual(['d', 'c']);
        expect(ids(await store.find('people', { year: 2026 }, { sortBy: 'score', limit: 1 }))).toEqual(['c']);
      });

      it('returns positions with the documents and never returns other collections', async () => {
        const all = await store.find('people', {});
        expect(all).toHaveLength(4);
        expect(all.find((d) => d.id === 'a')).toEqual({ id: 'a', position: 1, doc: expect.objectContaining({ name: 'Ani' }) });
      });

      it('gives the same answers once the fields are indexed', async () => {
        await store.ensureIndexes('people', ['unit', 'year', 'score']);
        await store.ensureIndexes('people', ['unit']); // idempotent
        expect(ids(await store.find('people', { unit: ['U1', 'U2'], year: 2026 }, { sortBy: 'score' }))).toEqual(['c', 'a']);
        expect(ids(await store.find('people', { unit: null }))).toEqual(['d']);
      });

      it('answers alike for every value type whether a field is indexed before the writes, after them, or not at all', async () => {
        const docs: Array<Record<string, unknown>> = [
          { n: 2026, f: 0.5, b: true, s: '2026', o: { k: 1 } },
          { n: 2025, f: 1.5, b: false, s: 'x' },
          { n: 2026.0, f: -0.5, b: true, s: null, o: [1, 2] },
          { f: 0.5, b: false },
        ];
        const write = (collection: string) => store.commit(docs.map((doc, i) => ({ collection, id: `d${i}`, position: i + 1, doc })));
        const fields = ['n', 'f', 'b', 's', 'o'];
        await store.ensureIndexes('before', fields);
        await write('before');
        await write('after');
        await store.ensureIndexes('after', fields);
        await write('plain');
        const queries: Array<[Record<string, string | number | boolean | null | Array<string | number>>, string]> = [
          [{ n: 2026 }, 'f'],
          [{ n: [2025, 2024] }, 'n'],
          [{ b: true }, 'n'],
          [{ b: false }, 'f'],
          [{ s: '2026' }, 'n'],
          [{ s: null }, 'f'],
          [{ n: null }, 'b'],
          [{ f: [0.5, -0.5] }, 's'],
          [{}, 'o'],
        ];
        for (const [filter, sortBy] of queries) {
          const plain = ids(await store.find('plain', filter, { sortBy }));
          expect({ filter, sortBy, ids: ids(await store.find('before', filter, { sortBy })) }).toEqual({ filter, sortBy, ids: plain });
          expect({ filter, sortBy, ids: ids(await store.find('after', filter, { sortBy })) }).toEqual({ filter, sortBy, ids: plain });
        }
        expect(ids(await store.find('before', { n: 2026, b: true }))).toEqual(['d0', 'd2']);
      });

      it('excludes deleted documents', async () => {
        await put('people', 'a', 10, null);
        expect(ids(await store.find('people', { unit: 'U1' }))).toEqual(['b']);
        expect(await store.get('people', 'a')).toBeNull();
        expect((await store.getMany('people', ['a', 'b'])).has('a')).toBe(false);
      });
    });

    describe('commit is idempotent by position', () => {
      it('skips a write at an older or equal position and applies a newer one', async () => {
        await put('c', 'x', 5, { v: 'five' });
        await put('c', 'x', 4, { v: 'four' });
        await put('c', 'x', 5, { v: 'five again' });
        expect(await store.get('c', 'x')).toEqual({ id: 'x', position: 5, doc: { v: 'five' } });
        await put('c', 'x', 6, { v: 'six' });
        expect(await store.get('c', 'x')).toEqual({ id: 'x', position: 6, doc: { v: 'six' } });
      });

      it('decides per document within one commit', async () => {
        await store.commit([
          { collection: 'c', id: 'x', position: 3, doc: { v: 1 } },
          { collection: 'c', id: 'y', position: 3, doc: { v: 1 } },
        ]);
        await store.commit([
          { collection: 'c', id: 'x', position: 2, doc: { v: 'stale' } },
          { collection: 'c', id: 'y', position: 4, doc: { v: 'fresh' } },
        ]);
        expect((await store.get('c', 'x'))?.doc).toEqual({ v: 1 });
        expect((await store.get('c', 'y'))?.doc).toEqual({ v: 'fresh' });
      });

      it('does not resurrect a deleted document on a stale replay, but a newer write re-creates it', async () => {
        await put('c', 'x', 1, { v: 1 });
        await put('c', 'x', 7, null);
        await put('c', 'x', 1, { v: 1 });
        await put('c', 'x', 7, { v: 'same position' });
        expect(await store.get('c', 'x')).toBeNull();
        expect(await store.find('c', {})).toEqual([]);
        await put('c', 'x', 8, { v: 'reborn' });
        expect(await store.get('c', 'x')).toEqual({ id: 'x', position: 8, doc: { v: 'reborn' } });
      });
    });

    describe('insertNew (optional: where an adapter lacks it, the projector uses commit)', () => {
      const insertNew = (writes: Parameters<ReadStore['commit']>[0]) =>
        store.insertNew === undefined ? store.commit(writes) : store.insertNew(writes);

      it('leaves the documents commit would, readable before and after ensureIndexes, and moves no checkpoint', async () => {
        await store.commit([], { name: 'p', position: 5 });
        await insertNew([
          { collection: 'entries', id: 'e1', position: 1, doc: { stream: 's1', n: 1 } },
          { collection: 'entries', id: 'e2', position: 2, doc: { stream: 's2', n: 2 } },
        ]);
        await insertNew([{ collection: 'entries', id: 'e3', position: 3, doc: { stream: 's1', n: 3 } }]);
        expect(await store.getCheckpoint('p')).toBe(5);
        expect(ids(await store.find('entries', { stream: 's1' }))).toEqual(['e1', 'e3']);
        expect((await store.getMany('entries', ['e2', 'e3'])).get('e2')).toEqual({ id: 'e2', position: 2, doc: { stream: 's2', n: 2 } });
        await store.ensureIndexes('entries', ['stream']);
        expect(ids(await store.find('entries', { stream: 's1' }, { sortBy: 'n', descending: true }))).toEqual(['e3', 'e1']);
        expect(await store.get('entries', 'e1')).toEqual({ id: 'e1', position: 1, doc: { stream: 's1', n: 1 } });
      });

      it('stays conditional for commits that follow: a redelivery changes nothing, a newer write replaces', async () => {
        await insertNew([{ collection: 'entries', id: 'e1', position: 4, doc: { v: 'inserted' } }]);
        await store.commit([{ collection: 'entries', id: 'e1', position: 4, doc: { v: 'redelivered' } }]);
        expect((await store.get('entries', 'e1'))?.doc).toEqual({ v: 'inserted' });
        await store.commit([{ collection: 'entries', id: 'e1', position: 5, doc: { v: 'newer' } }]);
        expect(await store.get('entries', 'e1')).toEqual({ id: 'e1', position: 5, doc: { v: 'newer' } });
      });

      it('converges as commit would, once ensureIndexes ran, even if the caller broke its guarantee', async () => {
        await insertNew([{ collection: 'entries', id: 'x', position: 2, doc: { v: 'first at 2' } }]);
        await insertNew([
          { collection: 'entries', id: 'x', position: 1, doc: { v: 'older' } },
          { collection: 'entries', id: 'x', position: 2, doc: { v: 'second at 2' } },
          { collection: 'entries', id: 'y', position: 3, doc: { v: 'y' } },
        ]);
        await store.ensureIndexes('entries', []);
        expect(await store.find('entries', {})).toEqual([
          { id: 'x', position: 2, doc: { v: 'first at 2' } },
          { id: 'y', position: 3, doc: { v: 'y' } },
        ]);
      });
    });

    describe('checkpoints', () => {
      it('default to 0 and move with commit, independently per name', async () => {
        expect(await store.getCheckpoint('p')).toBe(0);
        await store.commit([], { name: 'p', position: 12 });
        await store.commit([], { name: 'q', position: 3 });
        expect(await store.getCheckpoint('p')).toBe(12);
        expect(await store.getCheckpoint('q')).toBe(3);
        await store.commit([], { name: 'p', position: 20 });
        expect(await store.getCheckpoint('p')).toBe(20);
      });

      it('never move backwards (a redelivered old batch does not rewind them)', async () => {
        await store.commit([], { name: 'p', position: 20 });
        await store.commit([], { name: 'p', position: 15 });
        expect(await store.getCheckpoint('p')).toBe(20);
      });

      it('are committed together with the writes', async () => {
        await store.commit(
          [
            { collection: 'c', id: 'x', position: 41, doc: { v: 'x' } },
            { collection: 'd', id: 'y', position: 42, doc: { v: 'y' } },
          ],
          { name: 'p', position: 42 },
        );
        expect(await store.getCheckpoint('p')).toBe(42);
        expect((await store.get('c', 'x'))?.position).toBe(41);
        expect((await store.get('d', 'y'))?.position).toBe(42);
      });
    });

    describe('checkpoint lists, exact values, and a staging collection swapped in (a background rebuild)', () => {
      it('lists every checkpoint; setCheckpoints sets exact values, backwards too, and null removes one', async () => {
        await store.commit([], { name: 'p', position: 12 }, { name: 'q', position: 3 });
        expect(await store.listCheckpoints()).toEqual(
          new Map([
            ['p', 12],
            ['q', 3],
          ]),
        );
        await store.setCheckpoints({ p: 4, q: null, r: 7 });
        expect(await store.listCheckpoints()).toEqual(
          new Map([
            ['p', 4],
            ['r', 7],
          ]),
        );
        await store.commit([], { name: 'p', position: 2 });
        expect(await store.getCheckpoint('p')).toBe(4); // commit still only moves forward
      });

      it('replaceCollection: the staging documents and indexes take the name, the old ones are gone, checkpoints set', async () => {
        await people();
        await store.ensureIndexes('people', ['unit']);
        await store.ensureIndexes('people__v2', ['unit', 'year']);
        await store.commit([
          { collection: 'people__v2', id: 'a', position: 1, doc: { unit: 'U1', year: 2026, shape: 2 } },
          { collection: 'people__v2', id: 'z', position: 9, doc: { unit: 'U9', year: 2026, shape: 2 } },
        ]);
        await store.commit([], { name: 'people@v2', position: 9 });
        expect(ids(await store.find('people', { unit: 'U1' }))).toEqual(['a', 'b']); // the old one still serves
        await store.replaceCollection('people', 'people__v2', { people: 9, 'people@v2': null });
        expect(await store.find('people', {})).toEqual([
          { id: 'a', position: 1, doc: { unit: 'U1', year: 2026, shape: 2 } },
          { id: 'z', position: 9, doc: { unit: 'U9', year: 2026, shape: 2 } },
        ]);
        expect(ids(await store.find('people', { unit: 'U9', year: 2026 }))).toEqual(['z']);
        expect(await store.find('people__v2', {})).toEqual([]);
        expect(await store.listCheckpoints()).toEqual(new Map([['people', 9]]));
        // Conditional as before on the swapped-in documents; the old name is free for the next version.
        await store.commit([{ collection: 'people', id: 'z', position: 9, doc: { stale: true } }]);
        expect((await store.get('people', 'z'))?.doc).toEqual({ unit: 'U9', year: 2026, shape: 2 });
        await store.ensureIndexes('people', ['unit', 'year']);
        await store.ensureIndexes('people__v3', ['unit']);
        await store.commit([{ collection: 'people__v3', id: 'n', position: 10, doc: { unit: 'U1' } }]);
        await store.replaceCollection('people', 'people__v3', {});
        expect(ids(await store.find('people', { unit: 'U1' }))).toEqual(['n']);
      });

      it('replaceCollection swaps in insertNew entries converged as commit would, and is a no-op on the documents without staging', async () => {
        const insertNew = (writes: Parameters<ReadStore['commit']>[0]) =>
          store.insertNew === undefined ? store.commit(writes) : store.insertNew(writes);
        await store.ensureIndexes('entries__v2', ['stream']);
        await insertNew([
          { collection: 'entries__v2', id: 'e1', position: 1, doc: { stream: 's1' } },
          { collection: 'entries__v2', id: 'e1', position: 1, doc: { stream: 'duplicate' } },
          { collection: 'entries__v2', id: 'e2', position: 2, doc: { stream: 's2' } },
        ]);
        await store.ensureIndexes('entries__v2', ['stream']);
        await store.replaceCollection('entries', 'entries__v2', { entries: 2 });
        expect(await store.find('entries', { stream: 's1' })).toEqual([{ id: 'e1', position: 1, doc: { stream: 's1' } }]);
        expect(ids(await store.find('entries', {}))).toEqual(['e1', 'e2']);
        await store.replaceCollection('entries', 'entries__v2', { entries: 3 }); // staging gone: checkpoints only
        expect(ids(await store.find('entries', {}))).toEqual(['e1', 'e2']);
        expect(await store.getCheckpoint('entries')).toBe(3);
      });

      it('dropCollection drops one collection and sets the checkpoints, leaving the others', async () => {
        await people();
        await store.commit([{ collection: 'people__v2', id: 'a', position: 1, doc: { v: 2 } }], { name: 'people@v2', position: 1 });
        await store.dropCollection('people__v2', { 'people@v2': null });
        expect(await store.find('people__v2', {})).toEqual([]);
        expect(await store.getCheckpoint('people@v2')).toBe(0);
        expect(ids(await store.find('people', {}))).toEqual(['a', 'b', 'c', 'd']);
        await store.dropCollection('never-made'.replace('-', '_'));
      });
    });

    it('dropAll removes every document and checkpoint and leaves the store usable', async () => {
      await people();
      await store.ensureIndexes('people', ['unit']);
      await store.commit([], { name: 'p', position: 5 });
      await store.dropAll();
      expect(await store.get('people', 'a')).toBeNull();
      expect(await store.find('people', {})).toEqual([]);
      expect(await store.find('others', {})).toEqual([]);
      expect(await store.getCheckpoint('p')).toBe(0);
      // After a drop, old positions are forgotten: a rebuild starts again from position 1.
      await store.ensureIndexes('people', ['unit']);
      await put('people', 'a', 1, { unit: 'U7' });
      expect(ids(await store.find('people', { unit: 'U7' }))).toEqual(['a']);
    });

    it('round-trips nested JSON exactly', async () => {
      const doc = {
        text: 'Berorientasi "Pelayanan" \\ ünïcødé — 你好 🚀\n',
        empty: '',
        int: 2026,
        negative: -17,
        float: 0.1 + 0.2,
        big: Number.MAX_SAFE_INTEGER,
        yes: true,
        no: false,
        nothing: null,
        list: [1, 'two', { three: [3, null, false] }, []],
        nested: { a: { b: { c: { d: ['deep'] } } }, emptyObject: {} },
        periods: { TRIWULAN_I: { rating: { history: [{ version: 1, reason: null }] } } },
      };
      await put('c', 'json', 1, doc);
      expect((await store.get('c', 'json'))?.doc).toStrictEqual(doc);
      expect((await store.getMany('c', ['json'])).get('json')?.doc).toStrictEqual(doc);
      expect((await store.find('c', { int: 2026 }))[0]?.doc).toStrictEqual(doc);
    });
  });
}
