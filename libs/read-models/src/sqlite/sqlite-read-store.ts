import Database from 'better-sqlite3';
import type { DocWrite, Filter, FindOptions, ReadDoc, ReadStore } from '../port';
import { assertName, buildFind, createIndexSql } from './sql';

interface Row {
  id: string;
  position: number;
  body: string;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS docs (
    collection TEXT NOT NULL,
    id TEXT NOT NULL,
    position INTEGER NOT NULL,
    body TEXT, -- JSON; NULL is a tombstone that keeps its position so a stale replay cannot resurrect it
    PRIMARY KEY (collection, id)
  );
  CREATE TABLE IF NOT EXISTS checkpoints (name TEXT PRIMARY KEY, position INTEGER NOT NULL);
`;

/**
 * The embedded read store: one SQLite file (WAL), documents as JSON text. Writes are conditional
 * on position inside the database, so at-least-once delivery converges to the same documents.
 * Synchronous better-sqlite3 under an async port: each call completes before its promise resolves.
 */
export class SqliteReadStore implements ReadStore {
  private readonly statements = new Map<string, Database.Statement>();
  private readonly applyCommit: (writes: DocWrite[], checkpoint?: { name: string; position: number }) => void;

  private constructor(private readonly db: Database.Database) {
    db.exec(SCHEMA);
    const upsert = db.prepare(
      `INSERT INTO docs (collection, id, position, body) VALUES (?, ?, ?, ?)
       ON CONFLICT (collection, id) DO UPDATE SET position = excluded.position, body = excluded.body
       WHERE excluded.position > docs.position`,
    );
    // Checkpoints only move forward: a redelivered old batch must not rewind them (dropAll resets).
    const moveCheckpoint = db.prepare(
      `INSERT INTO checkpoints (name, position) VALUES (?, ?)
       ON CONFLICT (name) DO UPDATE SET position = excluded.position WHERE excluded.position > checkpoints.position`,
    );
    this.applyCommit = db.transaction((writes: DocWrite[], checkpoint?: { name: string; position: number }) => {
      for (const w of writes) {
        upsert.run(w.collection, w.id, w.position, w.doc === null ? null : JSON.stringify(w.doc));
      }
      if (checkpoint !== undefined) moveCheckpoint.run(checkpoint.name, checkpoint.position);
    });
  }

  static open(options: { path: string }): SqliteReadStore {
    const db = new Database(options.path);
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
  }

  async ensureIndexes(collection: string, fields: string[]): Promise<void> {
    assertName('collection', collection);
    for (const field of fields) {
      assertName('field', field);
      this.db.exec(createIndexSql(collection, field));
    }
  }

  async get<T = Record<string, unknown>>(collection: string, id: string): Promise<ReadDoc<T> | null> {
    const row = this.stmt('SELECT id, position, body FROM docs WHERE collection = ? AND id = ? AND body IS NOT NULL').get(
      collection,
      id,
    ) as Row | undefined;
    return row === undefined ? null : toDoc<T>(row);
  }

  async getMany<T = Record<string, unknown>>(collection: string, ids: string[]): Promise<Map<string, ReadDoc<T>>> {
    const result = new Map<string, ReadDoc<T>>();
    if (ids.length === 0) return result;
    // One statement for any number of ids: the id list travels as one JSON parameter.
    const rows = this.stmt(
      `SELECT id, position, body FROM docs
       WHERE collection = ? AND id IN (SELECT value FROM json_each(?)) AND body IS NOT NULL`,
    ).all(collection, JSON.stringify(ids)) as Row[];
    for (const row of rows) result.set(row.id, toDoc<T>(row));
    return result;
  }

  async find<T = Record<string, unknown>>(collection: string, filter: Filter, options: FindOptions = {}): Promise<ReadDoc<T>[]> {
    const { sql, params } = buildFind(collection, filter, options);
    return (this.stmt(sql).all(...params) as Row[]).map((row) => toDoc<T>(row));
  }

  async commit(writes: DocWrite[], checkpoint?: { name: string; position: number }): Promise<void> {
    this.applyCommit(writes, checkpoint);
  }

  async getCheckpoint(name: string): Promise<number> {
    const row = this.stmt('SELECT position FROM checkpoints WHERE name = ?').get(name) as { position: number } | undefined;
    return row?.position ?? 0;
  }

  /** Also drops the indexes (a bulk rebuild loads faster without them); ensureIndexes again afterwards. */
  async dropAll(): Promise<void> {
    this.statements.clear();
    const indexes = this.db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'docs' AND sql IS NOT NULL")
      .all() as Array<{ name: string }>;
    this.db.transaction(() => {
      for (const { name } of indexes) this.db.exec(`DROP INDEX IF EXISTS "${name.replace(/"/g, '""')}"`);
      this.db.exec('DELETE FROM docs; DELETE FROM checkpoints;');
    })();
  }

  async close(): Promise<void> {
    this.statements.clear();
    if (this.db.open) this.db.close();
  }

  /** Prepared statements are cached by SQL text (find's text varies only with its filter shape). */
  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

function toDoc<T>(row: Row): ReadDoc<T> {
  return { id: row.id, position: row.position, doc: JSON.parse(row.body) as T };
}
