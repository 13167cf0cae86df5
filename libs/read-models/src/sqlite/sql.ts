import type { Filter, FindOptions } from '../port';

/**
 * SQL text building for the SQLite read store. Collection and field names end up in SQL text
 * (table, column and index names); they are validated here, values are always bound.
 */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function assertName(kind: 'collection' | 'field', name: string): void {
  if (!NAME.test(name)) throw new Error(`invalid ${kind} name ${JSON.stringify(name)}: letters, digits and _ only`);
}

/** One table per collection: a scan or an index build over one collection never reads another's documents. */
export const tableName = (collection: string): string => `docs_${collection}`;

/** The column holding a copy of an indexed top-level field (prefixed: a field may be called `id` or `position`). */
export const fieldColumn = (field: string): string => `f_${field}`;

export const indexName = (collection: string, field: string): string => `ix_${collection}__${field}`;

/** The unique index on id: a separate index (not a PRIMARY KEY) so that a bulk insert can go without it. */
export const idIndexName = (collection: string): string => `id_${collection}`;

/** An indexed field is read from its column; any other from the JSON body. Both yield the same values. */
const fieldExpr = (field: string, indexed: ReadonlySet<string>): string =>
  indexed.has(field) ? fieldColumn(field) : `json_extract(body, '$.${field}')`;

/** json_extract yields 1/0 for JSON booleans; SQLite has no boolean to bind. */
export const bindable = (value: string | number | boolean): string | number => (typeof value === 'boolean' ? (value ? 1 : 0) : value);

/**
 * The value an indexed column holds for a document's field: exactly what json_extract(body,
 * '$.field') yields from the JSON.stringify'd body, so that a column and the body never disagree.
 */
export function columnValue(value: unknown): string | number | null {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null; // JSON.stringify writes NaN and Infinity as null
    case 'boolean':
      return value ? 1 : 0;
    case 'object': {
      if (value === null) return null;
      // A nested object or array is its JSON text; a toJSON (a Date) may turn it into a scalar.
      const json = JSON.stringify(value);
      const parsed: unknown = JSON.parse(json);
      return typeof parsed === 'object' && parsed !== null ? json : columnValue(parsed);
    }
    case 'undefined':
    case 'function':
    case 'symbol':
    case 'bigint':
      return null; // undefined, functions, symbols: JSON.stringify leaves the key out (a BigInt makes it throw)
  }
}

export interface FindQuery {
  sql: string;
  params: Array<string | number>;
}

const NONE: ReadonlySet<string> = new Set();

/** `indexed`: the collection's fields that have a column (ensureIndexes); others are read from the body. */
export function buildFind(collection: string, filter: Filter, options: FindOptions, indexed: ReadonlySet<string> = NONE): FindQuery {
  assertName('collection', collection);
  const where = ['body IS NOT NULL'];
  const params: Array<string | number> = [];
  for (const [field, value] of Object.entries(filter)) {
    assertName('field', field);
    const expr = fieldExpr(field, indexed);
    if (value === null) {
      where.push(`${expr} IS NULL`);
    } else if (Array.isArray(value)) {
      if (value.length === 0) {
        where.push('0');
        continue;
      }
      // One JSON parameter whatever the length: the SQL text (and its cached statement) stays the same.
      where.push(`${expr} IN (SELECT value FROM json_each(?))`);
      params.push(JSON.stringify(value));
    } else {
      where.push(`${expr} = ?`);
      params.push(bindable(value));
    }
  }
  let sql = `SELECT id, position, body FROM ${tableName(collection)} WHERE ${where.join(' AND ')}`;
  if (options.sortBy !== undefined) {
    assertName('field', options.sortBy);
    const direction = options.descending === true ? 'DESC' : 'ASC';
    // id breaks ties so that equal sort keys still come back in a stable order.
    sql += ` ORDER BY ${fieldExpr(options.sortBy, indexed)} ${direction}, id ${direction}`;
  } else {
    sql += ' ORDER BY id';
  }
  if (options.limit !== undefined) {
    sql += ' LIMIT ?';
    params.push(Math.max(0, Math.floor(options.limit)));
  }
  return { sql, params };
}
