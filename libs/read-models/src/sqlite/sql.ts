import type { Filter, FindOptions } from '../port';

/**
 * SQL text building for the SQLite read store. Collection and field names end up in SQL text
 * (so that expression and partial indexes match the queries exactly); they are validated here,
 * values are always bound.
 */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function assertName(kind: 'collection' | 'field', name: string): void {
  if (!NAME.test(name)) throw new Error(`invalid ${kind} name ${JSON.stringify(name)}: letters, digits and _ only`);
}

/** The indexed expression: queries must spell it exactly like the index does. */
export const fieldExpr = (field: string): string => `json_extract(body, '$.${field}')`;

export const indexName = (collection: string, field: string): string => `ix_${collection}__${field}`;

export const createIndexSql = (collection: string, field: string): string =>
  `CREATE INDEX IF NOT EXISTS ${indexName(collection, field)} ON docs (${fieldExpr(field)}) WHERE collection = '${collection}'`;

/** json_extract yields 1/0 for JSON booleans; SQLite has no boolean to bind. */
export const bindable = (value: string | number | boolean): string | number =>
  typeof value === 'boolean' ? (value ? 1 : 0) : value;

export interface FindQuery {
  sql: string;
  params: Array<string | number>;
}

export function buildFind(collection: string, filter: Filter, options: FindOptions): FindQuery {
  assertName('collection', collection);
  // The literal collection term matches the partial indexes' WHERE; likelihood() tells the planner
  // it is unselective, or without statistics it prefers the primary key over the field indexes.
  const where = [`likelihood(collection = '${collection}', 0.99)`, 'body IS NOT NULL'];
  const params: Array<string | number> = [];
  for (const [field, value] of Object.entries(filter)) {
    assertName('field', field);
    if (value === null) {
      where.push(`${fieldExpr(field)} IS NULL`);
    } else if (Array.isArray(value)) {
      if (value.length === 0) {
        where.push('0');
        continue;
      }
      where.push(`${fieldExpr(field)} IN (${value.map(() => '?').join(', ')})`);
      params.push(...value);
    } else {
      where.push(`${fieldExpr(field)} = ?`);
      params.push(bindable(value));
    }
  }
  let sql = `SELECT id, position, body FROM docs WHERE ${where.join(' AND ')}`;
  if (options.sortBy !== undefined) {
    assertName('field', options.sortBy);
    const direction = options.descending === true ? 'DESC' : 'ASC';
    // id breaks ties so that equal sort keys still come back in a stable order.
    sql += ` ORDER BY ${fieldExpr(options.sortBy)} ${direction}, id ${direction}`;
  } else {
    sql += ' ORDER BY id';
  }
  if (options.limit !== undefined) {
    sql += ' LIMIT ?';
    params.push(Math.max(0, Math.floor(options.limit)));
  }
  return { sql, params };
}
