import Database from 'better-sqlite3';
import type { Checkpoint, CheckpointValues, DocWrite, Filter, FindOptions, ReadDoc, ReadStore } from '../port';
import { Collections, type CollectionTable, type DocRow } from './collections';
import { assertName, buildFind, tableName, type FindQuery } from './sql';

/** Bumped by any change to the file layout. An older file is emptied (read models are rebuildable); a newer one is refused. */
const LAYOUT_VERSION = 1;

/**
 * The embedded read store: one SQLite file (WAL), one table per collection, documents as JSON
 * text, indexed fields copied into columns. Writes are conditional on position inside the
 * database, so at-least-once delivery converges to the same documents. Collection and field
 * names are plain identifiers (letters, digits, _): they become table and column names.
 * Synchronous better-sqlite3 under an async port: each call completes before its promise resolves.
 */
export class SqliteReadStore implements ReadStore {
  private readonly findStatements = new Map<string, Database.Statement<unknown[], DocRow>>();
  private readonly collections: Collections;
  private readonly moveCheckpoint: Database.Statement<[string, number]>;
  private readonly checkpointOf: Database.Statement<[string], number>;
  private readonly putCheckpoint: Database.Statement<[string, number]>;
  private readonly deleteCheckpoint: Database.Statement<[string]>;

  private constructor(private readonly db: Database.Database) {
    migrate(db);
    this.collections = new Collections(db);
    // Checkpoints only move forward: a redelivered old batch must not rewind them (dropAll resets).
    this.moveCheckpoint = db.prepare(
      `INSERT INTO checkpoints (name, position) VALUES (?, ?)
       ON CONFLICT (name) DO UPDATE SET position = excluded.position WHERE excluded.position > checkpoints.position`,
    );
    this.checkpointOf = db.prepare<[string], number>('SELECT position FROM checkpoints WHERE name = ?').pluck();
    this.putCheckpoint = db.prepare(
      'INSERT INTO checkpoints (name, position) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position',
    );
    this.deleteCheckpoint = db.prepare('DELETE FROM checkpoints WHERE name = ?');
  }

  static open(options: { path: string }): SqliteReadStore {
    const db = new Database(options.path);
    try {
      // Documents are KBs (JSON): bigger pages mean fewer overflow chains. Only takes effect on a new file.
      db.pragma('page_size = 16384');
      db.pragma('journal_mode = WAL');
      // Read models are rebuildable from the ledger, so NORMAL (no fsync per commit) is the right trade.
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 5000');
      // A rebuild commits pages of thousands of documents: keep them in memory until commit.
      db.pragma('cache_size = -65536');
      db.pragma('temp_store = MEMORY');
      return new SqliteReadStore(db);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  async ensureIndexes(collection: string, fields: string[]): Promise<void> {
    assertName('collection', collection);
    for (const field of fields) assertName('field', field);
    this.writing(() => this.collections.declare(collection, fields));
  }

  async get<T = Record<string, unknown>>(collection: string, id: string): Promise<ReadDoc<T> | null> {
    const row = this.table(collection)?.getOne.get(id);
    return row === undefined ? null : toDoc<T>(row);
  }

  async getMany<T = Record<string, unknown>>(collection: string, ids: string[]): Promise<Map<string, ReadDoc<T>>> {
    const result = new Map<string, ReadDoc<T>>();
    const table = this.table(collection);
    if (ids.length === 0 || table === null) return result;
    for (const row of table.getMany.all(JSON.stringify(ids))) result.set(row[0], toDoc<T>(row));
    return result;
  }

  async find<T = Record<string, unknown>>(collection: string, filter: Filter, options: FindOptions = {}): Promise<ReadDoc<T>[]> {
    const query = this.findQuery(collection, filter, options);
    return query === null
      ? []
      : this.findStatement(query.sql)
          .all(...query.params)
          .map((row) => toDoc<T>(row));
  }

  /** The query plan of what find would run, for diagnostics (which index serves a query); [] while the collection has no table. */
  explainFind(collection: string, filter: Filter, options: FindOptions = {}): string[] {
    const query = this.findQuery(collection, filter, options);
    if (query === null) return [];
    return this.db
      .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${query.sql}`)
      .all(...query.params)
      .map((step) => step.detail);
  }

  async commit(writes: DocWrite[], ...checkpoints: Checkpoint[]): Promise<void> {
    this.writing(() => {
      for (const w of writes) this.collections.keyed(w.collection).write(w.id, w.position, w.doc);
      for (const { name, position } of checkpoints) this.moveCheckpoint.run(name, position);
    });
  }

  /**
   * Plain appends to a table whose indexes, the unique one on id included, are dropped on the
   * first such insert and built again (by sorting, not row by row) at the next ensureIndexes or
   * commit on that collection. Random ids make the row-by-row upkeep of an id index the costliest
   * part of loading insert-only entries.
   */
  async insertNew(writes: DocWrite[]): Promise<void> {
    this.writing(() => {
      for (const w of writes) this.collections.unkeyed(w.collection).insert(w.id, w.position, w.doc);
    });
  }

  async getCheckpoint(name: string): Promise<number> {
    return this.checkpointOf.get(name) ?? 0;
  }

  async listCheckpoints(): Promise<Map<string, number>> {
    const rows = this.db.prepare<[], [string, number]>('SELECT name, position FROM checkpoints').raw(true).all();
    return new Map(rows);
  }

  async setCheckpoints(values: CheckpointValues): Promise<void> {
    this.writing(() => this.setNow(values));
  }

  /**
   * One transaction: the old table dropped, the staging one renamed in its place and its indexes
   * built again under the collection's names (index names are per file, and the next
   * ensureIndexes looks for those), the checkpoints set. Readers on other connections see the
   * old table or the new one (WAL snapshots); the schema change makes them reload it.
   */
  async replaceCollection(collection: string, staging: string, checkpoints: CheckpointValues): Promise<void> {
    assertName('collection', collection);
    assertName('collection', staging);
    this.writing(() => {
      const from = this.collections.table(staging);
      if (from !== null) {
        const fields = [...from.indexed];
        this.collections.dropIndexes(staging);
        this.db.exec(`DROP TABLE IF EXISTS ${tableName(collection)}`);
        this.db.exec(`ALTER TABLE ${tableName(staging)} RENAME TO ${tableName(collection)}`);
        this.collections.reset();
        this.collections.declare(collection, fields);
      }
      this.setNow(checkpoints);
    });
  }

  async dropCollection(collection: string, checkpoints: CheckpointValues = {}): Promise<void> {
    assertName('collection', collection);
    this.writing(() => {
      this.db.exec(`DROP TABLE IF EXISTS ${tableName(collection)}`);
      this.collections.reset();
      this.setNow(checkpoints);
    });
  }

  /** Empties every collection and the checkpoints. Tables, columns and indexes stay. */
  async dropAll(): Promise<void> {
    this.writing(() => {
      for (const collection of this.collections.all()) this.db.exec(`DELETE FROM ${tableName(collection)}`);
      this.db.exec('DELETE FROM checkpoints');
    });
  }

  async close(): Promise<void> {
    this.findStatements.clear();
    if (this.db.open) this.db.close();
  }

  private setNow(values: CheckpointValues): void {
    for (const [name, position] of Object.entries(values)) {
      if (position === null) this.deleteCheckpoint.run(name);
      else this.putCheckpoint.run(name, position);
    }
  }

  /**
   * One write transaction. IMMEDIATE: the write lock is taken before the schema is checked, so no
   * column that another connection added goes unseen (and unfilled).
   */
  private writing(step: () => void): void {
    try {
      this.db
        .transaction(() => {
          this.collections.sync();
          step();
        })
        .immediate();
    } catch (error) {
      this.collections.reset(); // tables or columns created by the rolled-back transaction are gone
      throw error;
    }
  }

  private table(collection: string): CollectionTable | null {
    this.collections.sync();
    return this.collections.table(collection);
  }

  /** null while the collection has no table. Names are validated either way: a bad name is always an error. */
  private findQuery(collection: string, filter: Filter, options: FindOptions): FindQuery | null {
    const table = this.table(collection);
    const query = buildFind(collection, filter, options, table?.indexed);
    return table === null ? null : query;
  }

  /** Cached by SQL text, which varies only with the filter's shape (arrays travel as one JSON parameter). */
  private findStatement(sql: string): Database.Statement<unknown[], DocRow> {
    let statement = this.findStatements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare<unknown[], DocRow>(sql).raw(true);
      this.findStatements.set(sql, statement);
    }
    return statement;
  }
}

function toDoc<T>(row: DocRow): ReadDoc<T> {
  return { id: row[0], position: row[1], doc: JSON.parse(row[2]) as T };
}

/** Creates the checkpoints table; empties a file of an older layout (its checkpoints go back to 0, so the projector replays). */
function migrate(db: Database.Database): void {
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > LAYOUT_VERSION) throw new Error(`read-store layout ${version} is newer than this build's ${LAYOUT_VERSION}`);
    db.exec('CREATE TABLE IF NOT EXISTS checkpoints (name TEXT PRIMARY KEY, position INTEGER NOT NULL)');
    if (version < LAYOUT_VERSION) {
      db.exec('DROP TABLE IF EXISTS docs; DELETE FROM checkpoints;'); // layout 0 kept every collection in one `docs` table
      db.pragma(`user_version = ${LAYOUT_VERSION}`);
    }
  }).immediate();
}
