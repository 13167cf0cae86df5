import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The ceiling: what raw better-sqlite3 does on this machine and disk, with the same pragmas as
 * the embedded event store (WAL, synchronous=FULL) and a row of about the same size.
 */
export interface CeilingFigures {
  durableCommitsPerSec: number;
  bulkInsertsPerSec: number;
}

const ROW = JSON.stringify({ period: 'TAHUNAN', text: 'x'.repeat(400) });

function open(dir: string): Database.Database {
  const db = new Database(join(dir, 'ceiling.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, stream TEXT, rev INTEGER, body TEXT, UNIQUE(stream, rev))');
  return db;
}

export function measureCeiling(commits = 3_000, bulkRows = 200_000): CeilingFigures {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-ceiling-'));
  try {
    const db = open(dir);
    const insert = db.prepare('INSERT INTO t (stream, rev, body) VALUES (?, ?, ?)');
    const one = db.transaction((i: number) => insert.run(`s-${i % 500}`, Math.floor(i / 500), ROW));
    let start = process.hrtime.bigint();
    for (let i = 0; i < commits; i++) one(i);
    const durableCommitsPerSec = commits / (Number(process.hrtime.bigint() - start) / 1e9);

    const bulk = db.transaction((from: number, count: number) => {
      for (let i = from; i < from + count; i++) insert.run(`b-${i % 10_000}`, Math.floor(i / 10_000), ROW);
    });
    start = process.hrtime.bigint();
    for (let done = 0; done < bulkRows; done += 10_000) bulk(done, 10_000);
    const bulkInsertsPerSec = bulkRows / (Number(process.hrtime.bigint() - start) / 1e9);
    db.close();
    return { durableCommitsPerSec, bulkInsertsPerSec };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
