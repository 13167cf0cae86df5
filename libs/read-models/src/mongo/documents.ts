import type { Document, Filter as MongoFilter, Sort } from 'mongodb';
import type { DocWrite, Filter, FindOptions, ReadDoc } from '../port';

/**
 * How a read-model document is stored: each top-level field as a top-level BSON field (so that
 * filters, sorts and indexes address it directly; FerretDB does no dot-notation pushdown). A
 * scalar is stored as itself; an object or array as its JSON text, named in `_json`. Why text:
 * FerretDB 1.24 refuses arrays directly inside arrays and nested keys with `.` or a leading `$`,
 * all valid JSON; as text any JSON document round-trips exactly on both servers, and a filter or
 * sort on such a field sees what the SQLite store's columns hold (the same JSON text).
 * The store's own fields:
 *   _id    the document id
 *   _pos   the global position of the last event applied (the idempotency guard)
 *   _del   true on a tombstone: a deleted document keeps its position so a stale replay cannot
 *          resurrect it; a tombstone has no other fields
 *   _json  the stored names of the fields held as JSON text (absent when none)
 * A document field whose name starts with `_` or `$` is stored with one more `_` in front, so it
 * can never be taken for one of these (stored names of the store's own are `_` + a letter).
 */
export interface StoredDoc extends Document {
  _id: string;
  _pos: number;
  _del?: true;
  _json?: string[];
}

/** The collection beside the read models that holds the checkpoints ({ _id: name, position }). */
export const CHECKPOINTS = '_checkpoints';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Collection and field names are plain identifiers, as in the SQLite store: no dots (paths) or `$` (operators). */
export function assertName(kind: 'collection' | 'field', name: string): void {
  if (!NAME.test(name)) throw new Error(`invalid ${kind} name ${JSON.stringify(name)}: letters, digits and _ only`);
  if (kind === 'collection' && name === CHECKPOINTS) throw new Error(`collection name ${CHECKPOINTS} is reserved for checkpoints`);
}

export const storedField = (field: string): string => (field.startsWith('_') || field.startsWith('$') ? `_${field}` : field);

const documentField = (stored: string): string => (stored.startsWith('_') ? stored.slice(1) : stored);

/** The stored form of a write: the document's fields (escaped) after _id and _pos, or a tombstone. */
export function toStored(write: DocWrite): StoredDoc {
  const stored: StoredDoc = { _id: write.id, _pos: write.position };
  if (write.doc === null) {
    stored._del = true;
    return stored;
  }
  const json: string[] = [];
  for (const [field, value] of Object.entries(write.doc)) {
    const name = storedField(field);
    const scalar = scalarOf(value);
    if (scalar === undefined) continue; // JSON.stringify leaves the key out too
    if (typeof scalar === 'object' && scalar !== null) {
      stored[name] = scalar.json;
      json.push(name);
    } else {
      stored[name] = scalar;
    }
  }
  if (json.length > 0) stored._json = json;
  return stored;
}

type Scalar = string | number | boolean | null | { json: string } | undefined;

/** A top-level value as the JSON round trip the SQLite store makes would leave it: a scalar, JSON text of an object or array, or left out. */
function scalarOf(value: unknown): Scalar {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value + 0 : null; // -0 + 0 is 0, as JSON writes it; NaN and Infinity become null
    case 'object': {
      if (value === null) return null;
      const json = JSON.stringify(value);
      if (Array.isArray(value) || typeof (value as { toJSON?: unknown }).toJSON !== 'function') return { json };
      const parsed: unknown = JSON.parse(json); // a toJSON (a Date) may make it a scalar
      return typeof parsed === 'object' && parsed !== null ? { json } : scalarOf(parsed);
    }
    case 'bigint':
      throw new TypeError('a document value is a BigInt, which JSON cannot hold');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined; // JSON.stringify leaves the key out
  }
}

/** The document a stored one holds, or null for a tombstone. */
export function toReadDoc<T>(stored: StoredDoc): ReadDoc<T> | null {
  if (stored._del === true) return null;
  const json = new Set(stored._json);
  const doc: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(stored)) {
    if (field === '_id' || field === '_pos' || field === '_json') continue;
    doc[documentField(field)] = json.has(field) ? JSON.parse(value as string) : value;
  }
  return { id: stored._id, position: stored._pos, doc: doc as T };
}

/**
 * The port's filter as a MongoDB filter, tombstones excluded. null matches a missing field too,
 * as in the SQLite store; an object or array field compares as its JSON text, as there.
 */
export function toMongoFilter(filter: Filter): MongoFilter<StoredDoc> | null {
  const query: Document = { _del: { $exists: false } };
  for (const [field, value] of Object.entries(filter)) {
    assertName('field', field);
    if (Array.isArray(value)) {
      if (value.length === 0) return null; // "any of none": nothing matches
      query[storedField(field)] = { $in: value };
    } else {
      query[storedField(field)] = value;
    }
  }
  return query;
}

/** The sort: the field, then _id in the same direction, so equal keys come back in a stable order; by _id without one. */
export function toMongoSort(options: FindOptions): Sort {
  const direction = options.descending === true ? -1 : 1;
  if (options.sortBy === undefined) return { _id: 1 };
  assertName('field', options.sortBy);
  return { [storedField(options.sortBy)]: direction, _id: direction };
}

/**
 * Per document the write commit would keep of several in one call: the newest position, the
 * first among equals. Deciding it here means the order in which the server applies an unordered
 * batch cannot matter.
 */
export function newestPerId(writes: readonly DocWrite[]): Map<string, DocWrite[]> {
  const byCollection = new Map<string, Map<string, DocWrite>>();
  for (const write of writes) {
    let ids = byCollection.get(write.collection);
    if (ids === undefined) {
      assertName('collection', write.collection);
      ids = new Map();
      byCollection.set(write.collection, ids);
    }
    const kept = ids.get(write.id);
    if (kept === undefined || write.position > kept.position) ids.set(write.id, write);
  }
  return new Map([...byCollection].map(([collection, ids]) => [collection, [...ids.values()]]));
}

/** Splits a list into chunks, e.g. ids for `$in` queries of a bounded size. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
