import type Database from 'better-sqlite3';
import { assertName, columnValue, fieldColumn, idIndexName, indexName, tableName } from './sql';

/** A stored document as the reading statements return it (raw mode; tombstones are filtered out). */
export type DocRow = [id: string, position: number, body: string];

type Doc = Record<string, unknown> | null;

/** A collection's table as this connection knows it, with its statements prepared once. */
export interface CollectionTable {
  /** Fields that have a column (declared by ensureIndexes). */
  indexed: ReadonlySet<string>;
  /** The unique index on id is there (a bulk insert leaves it to the next ensureIndexes). */
  keyed: boolean;
  /** Stores the document (null: a tombstone) only if `position` is newer than the stored one. Keyed tables only. */
  write(id: string, position: number, doc: Doc): void;
  /** Appends a row, no questions asked (insertNew's guarantee: the id is new). */
  insert(id: string, position: number, doc: Doc): void;
  getOne: Database.Statement<[string], DocRow>;
  /** The ids travel as one JSON array parameter: one statement for any number of them. */
  getMany: Database.Statement<[string], DocRow>;
}

const TABLE_PREFIX = 'docs_';
const FIELD_PREFIX = 'f_';

/**
 * The per-collection tables: `docs_<collection>` (id, position, body, then one column per indexed
 * field, filled from the document object on every write) with a unique index on id. An index on a
 * plain column costs a sort to build and little to keep; one on json_extract(body) parses every
 * body again.
 * Another connection (process) may add a table, a column or an index at any time: sync()
 * compares the schema cookie before use, and writers call it under the write lock, so no write
 * ever leaves a declared column unfilled. Tables and columns are only ever added.
 */
export class Collections {
  private readonly tables = new Map<string, CollectionTable | null>();
  private readonly schemaVersion: Database.Statement<[], number>;
  private knownSchema = -1;

  constructor(private readonly db: Database.Database) {
    this.schemaVersion = db.prepare<[], number>('PRAGMA schema_version').pluck();
  }

  /** Forgets the tables if any connection changed the schema since. Once per operation; writers under the write lock. */
  sync(): void {
    const version = this.schemaVersion.get() ?? 0;
    if (version !== this.knownSchema) {
      this.tables.clear();
      this.knownSchema = version;
    }
  }

  /** Forgets everything: after a rolled-back transaction, whose DDL is gone while the cookie may not show it. */
  reset(): void {
    this.tables.clear();
    this.knownSchema = -1;
  }

  /** The collection's table, or null while nothing was written to or declared for it. */
  table(collection: string): CollectionTable | null {
    let table = this.tables.get(collection);
    if (table === undefined) {
      assertName('collection', collection);
      table = this.load(collection);
      this.tables.set(collection, table);
    }
    return table;
  }

  /** The table, created if needed, with its unique index on id (rebuilt if a bulk insert left it out). In a write transaction. */
  keyed(collection: string): CollectionTable {
    const table = this.table(collection);
    if (table?.keyed === true) return table;
    const name = tableName(collection);
    this.db.exec(`CREATE TABLE IF NOT EXISTS ${name} (
      id TEXT NOT NULL,
      position INTEGER NOT NULL,
      body TEXT -- JSON; NULL is a tombstone that keeps its position so a stale replay cannot resurrect it
    )`);
    this.indexIds(collection);
    return this.reload(collection);
  }

  /** The table without indexes to maintain: for a bulk insert; the next keyed() or declare() builds them again. */
  unkeyed(collection: string): CollectionTable {
    const table = this.table(collection) ?? this.keyed(collection);
    if (!table.keyed) return table;
    this.dropIndexes(collection);
    return this.reload(collection);
  }

  /** Drops every index of the collection's table (the unique one on id too). In a write transaction. */
  dropIndexes(collection: string): void {
    const indexes = this.db
      .prepare<[string], string>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL")
      .pluck()
      .all(tableName(collection));
    for (const index of indexes) this.db.exec(`DROP INDEX "${index.replace(/"/g, '""')}"`);
    this.tables.delete(collection);
  }

  /** Adds a column per new field (filled from the stored bodies) and an index per field. In a write transaction. */
  declare(collection: string, fields: readonly string[]): void {
    const columns = new Set(this.keyed(collection).indexed);
    const name = tableName(collection);
    for (const field of fields) {
      assertName('field', field);
      const column = fieldColumn(field);
      if (!columns.has(field)) {
        // Untyped column: values keep the type they are given (no affinity conversion), as json_extract's do.
        this.db.exec(`ALTER TABLE ${name} ADD COLUMN ${column}`);
        this.db.exec(`UPDATE ${name} SET ${column} = json_extract(body, '$.${field}') WHERE body IS NOT NULL`);
        columns.add(field);
      }
      this.db.exec(`CREATE INDEX IF NOT EXISTS ${indexName(collection, field)} ON ${name} (${column})`);
    }
    this.reload(collection);
  }

  /** Every collection that has a table in the file. */
  all(): string[] {
    return this.db
      .prepare<[], string>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'docs\\_%' ESCAPE '\\'`)
      .pluck()
      .all()
      .map((name) => name.slice(TABLE_PREFIX.length));
  }

  /**
   * The unique index on id. Should a bulk insert have stored an id twice (its caller broke the
   * guarantee), the rows that a conditional write would have refused go first: per id, the newest
   * position stays, the first written among equals.
   */
  private indexIds(collection: string): void {
    const name = tableName(collection);
    const create = `CREATE UNIQUE INDEX IF NOT EXISTS ${idIndexName(collection)} ON ${name} (id)`;
    try {
      this.db.exec(create);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw error;
      this.db.exec(`DELETE FROM ${name} WHERE rowid IN (
        SELECT rowid FROM (SELECT rowid, row_number() OVER (PARTITION BY id ORDER BY position DESC, rowid) AS n FROM ${name}) WHERE n > 1)`);
      this.db.exec(create);
    }
  }

  private reload(collection: string): CollectionTable {
    this.tables.delete(collection);
    const table = this.table(collection);
    if (table === null) throw new Error(`table ${tableName(collection)} is missing right after its creation`);
    return table;
  }

  private load(collection: string): CollectionTable | null {
    const name = tableName(collection);
    const columns = this.db.prepare<[], { name: string }>(`PRAGMA table_info(${name})`).all();
    if (columns.length === 0) return null;
    const keyed =
      this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?").get(idIndexName(collection)) !== undefined;
    const fields = columns.filter((c) => c.name.startsWith(FIELD_PREFIX)).map((c) => c.name.slice(FIELD_PREFIX.length));
    const all = ['id', 'position', 'body', ...fields.map(fieldColumn)];
    const insert = `INSERT INTO ${name} (${all.join(', ')}) VALUES (${all.map(() => '?').join(', ')})`;
    // Conditional on position; only a keyed table has the unique index that ON CONFLICT needs.
    const upsert = keyed
      ? this.db.prepare(
          `${insert} ON CONFLICT (id) DO UPDATE SET ${all
            .slice(1)
            .map((c) => `${c} = excluded.${c}`)
            .join(', ')}
           WHERE excluded.position > ${name}.position`,
        )
      : null;
    const append = this.db.prepare(insert);
    const params = (id: string, position: number, doc: Doc): unknown[] => {
      const values: unknown[] = [id, position, doc === null ? null : JSON.stringify(doc)];
      for (const field of fields) values.push(doc === null ? null : columnValue(doc[field]));
      return values;
    };
    return {
      indexed: new Set(fields),
      keyed,
      write(id, position, doc) {
        if (upsert === null) throw new Error(`${name} has no index on id: keyed() it first`);
        upsert.run(params(id, position, doc));
      },
      insert: (id, position, doc) => append.run(params(id, position, doc)),
      getOne: this.db.prepare<[string], DocRow>(`SELECT id, position, body FROM ${name} WHERE id = ? AND body IS NOT NULL`).raw(true),
      getMany: this.db
        .prepare<[string], DocRow>(
          `SELECT id, position, body FROM ${name} WHERE id IN (SELECT value FROM json_each(?)) AND body IS NOT NULL`,
        )
        .raw(true),
    };
  }
}
