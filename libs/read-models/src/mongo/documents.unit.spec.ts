import type { DocWrite } from '../port';
import { addressOf } from './connection';
import { newestPerId, toMongoFilter, toMongoSort, toReadDoc, toStored } from './documents';

const write = (doc: Record<string, unknown> | null, position = 7): DocWrite => ({ collection: 'c', id: 'x', position, doc });

describe('MongoReadStore document layout', () => {
  it('stores scalars as fields, objects and arrays as JSON text named in _json, and escapes names like its own', () => {
    const stored = toStored(write({ unit: 'U1', year: 2026, ok: true, none: null, plan: { a: [[1], []] }, _id: 'mine', $inc: 1 }));
    expect(stored).toStrictEqual({
      _id: 'x',
      _pos: 7,
      unit: 'U1',
      year: 2026,
      ok: true,
      none: null,
      plan: '{"a":[[1],[]]}',
      __id: 'mine',
      _$inc: 1,
      _json: ['plan'],
    });
    expect(toReadDoc(stored)).toStrictEqual({
      id: 'x',
      position: 7,
      doc: { unit: 'U1', year: 2026, ok: true, none: null, plan: { a: [[1], []] }, _id: 'mine', $inc: 1 },
    });
  });

  it('leaves top-level values as a JSON round trip would: undefined out, NaN null, -0 as 0, a Date as its ISO text', () => {
    const doc = { gone: undefined, nan: Number.NaN, inf: Number.POSITIVE_INFINITY, zero: -0, at: new Date(0), fn: () => 1 };
    expect(toReadDoc(toStored(write(doc)))?.doc).toStrictEqual(JSON.parse(JSON.stringify(doc)));
    expect(Object.is(toStored(write(doc)).zero, 0)).toBe(true);
    expect(() => toStored(write({ n: BigInt(1) }))).toThrow(/BigInt/);
  });

  it('stores a deletion as a tombstone that keeps its position and reads as no document', () => {
    const stored = toStored(write(null, 9));
    expect(stored).toStrictEqual({ _id: 'x', _pos: 9, _del: true });
    expect(toReadDoc(stored)).toBeNull();
  });

  it('builds filters that skip tombstones, turn lists into $in and an empty list into nothing', () => {
    expect(toMongoFilter({ unit: ['U1', 'U2'], year: 2026, none: null, _pos: 1 })).toEqual({
      _del: { $exists: false },
      unit: { $in: ['U1', 'U2'] },
      year: 2026,
      none: null,
      __pos: 1,
    });
    expect(toMongoFilter({ unit: [] })).toBeNull();
    expect(() => toMongoFilter({ 'a.b': 1 })).toThrow(/invalid field name/);
  });

  it('sorts by the field then _id in the same direction, or by _id alone', () => {
    expect(toMongoSort({ sortBy: 'score', descending: true })).toEqual({ score: -1, _id: -1 });
    expect(toMongoSort({ sortBy: 'id' })).toEqual({ id: 1, _id: 1 });
    expect(toMongoSort({})).toEqual({ _id: 1 });
  });

  it('keeps per id what commit keeps: the newest position, the first written among equals', () => {
    const writes: DocWrite[] = [
      { collection: 'a', id: '1', position: 3, doc: { v: 'first' } },
      { collection: 'a', id: '1', position: 3, doc: { v: 'second' } },
      { collection: 'a', id: '2', position: 5, doc: { v: 'newer' } },
      { collection: 'a', id: '2', position: 4, doc: { v: 'older' } },
      { collection: 'b', id: '1', position: 1, doc: null },
    ];
    const kept = newestPerId(writes);
    expect(kept.get('a')?.map((w) => w.doc)).toEqual([{ v: 'first' }, { v: 'newer' }]);
    expect(kept.get('b')).toEqual([writes[4]]);
  });
});

describe('addressOf', () => {
  it('names the hosts of a connection string without credentials, path or options', () => {
    expect(addressOf('mongodb://127.0.0.1:37017/')).toBe('127.0.0.1:37017');
    expect(addressOf('mongodb://user:p%40ss@db1:27017,db2:27017/ledger?replicaSet=rs0')).toBe('db1:27017,db2:27017');
    expect(addressOf('mongodb+srv://u:p@cluster0.example.net/?retryWrites=true')).toBe('cluster0.example.net');
    expect(addressOf('mongodb://host-only')).toBe('host-only');
  });
});
