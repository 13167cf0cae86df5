import Database from 'better-sqlite3';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import {
  SqliteEventStore,
  canonicalJson,
  hashEvent,
  toHashedFields,
  type IntegrityProblemKind,
  type StoredEvent,
} from '@ledger/event-store';
import { newEvent } from '@ledger/event-store/testing';
import { runExport, runReplay, runVerify } from './commands';
import { exportSource, storeSource } from './source';

/**
 * An insider with the sqlite3 shell on the store file: every tampering below is made directly on
 * the file (dropping or rebuilding what the schema would refuse), and verify must name it, on the
 * store and on its export alike, without blaming a genuine row.
 */
const STREAMS = ['appraisal-2026-199001012015031001', 'unit-u1-2026'];

function sink(): { out: Writable; text: () => string } {
  const chunks: string[] = [];
  return {
    out: new Writable({
      write: (c, _e, done) => {
        chunks.push(String(c));
        done();
      },
    }),
    text: () => chunks.join(''),
  };
}

async function smallLedger(dir: string): Promise<void> {
  const store = SqliteEventStore.open({ path: join(dir, 'events.sqlite') });
  for (let i = 0; i < 3; i++) {
    for (const streamId of STREAMS) await store.append(streamId, 'any', [newEvent({ data: { n: i } })]);
  }
  await store.close();
}

interface Forged {
  streamId: string;
  revision: number;
  position: number;
  prevHash: string;
  data?: string;
  occurredAt?: string;
}

/** A row as the adapter would write it (hash correct for its fields), at any position the insider picks. */
function insertForged(db: Database.Database, forged: Forged): string {
  const event = newEvent({ data: { forged: true } });
  const fields = { ...event, streamId: forged.streamId, streamRevision: forged.revision, prevHash: forged.prevHash };
  db.prepare(
    `INSERT INTO events (global_position, event_id, stream_id, stream_revision, type, schema_version, data, metadata, occurred_at, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    forged.position,
    event.eventId,
    forged.streamId,
    forged.revision,
    event.type,
    event.schemaVersion,
    forged.data ?? canonicalJson(event.data),
    canonicalJson(event.metadata),
    forged.occurredAt ?? event.metadata.occurredAt,
    forged.prevHash,
    hashEvent(toHashedFields(fields)),
  );
  return event.eventId;
}

const head = (db: Database.Database, streamId: string) =>
  db
    .prepare<[string], { r: number; h: string }>(
      'SELECT stream_revision r, hash h FROM events WHERE stream_id = ? ORDER BY stream_revision DESC LIMIT 1',
    )
    .get(streamId) ?? { r: -1, h: '' };

/** Rebuilds the table without STRICT and without its UNIQUE constraints, as a schema change would. */
function loosenTable(db: Database.Database): void {
  db.exec(`DROP TRIGGER events_refuse_update; DROP TRIGGER events_refuse_delete; DROP TRIGGER events_refuse_replace;
    ALTER TABLE events RENAME TO old_events;
    CREATE TABLE events (global_position INTEGER PRIMARY KEY AUTOINCREMENT, event_id, stream_id, stream_revision, type, schema_version,
      data, metadata, occurred_at, prev_hash, hash);
    INSERT INTO events SELECT * FROM old_events; DROP TABLE old_events;`);
}

interface Tampering {
  name: string;
  apply: (db: Database.Database, streamId: string) => string | undefined;
  expect: IntegrityProblemKind[];
  /** What verify of the export finds, when it is not `expect` less what only the file shows. */
  exportExpect?: IntegrityProblemKind[];
  /** The forged row goes into a stream of its own, not the one drawn. */
  elsewhere?: boolean;
}

const TAMPERINGS: Tampering[] = [
  {
    name: 'a correctly hashed row at position 0',
    expect: ['POSITION_INVALID', 'REVISION_OUT_OF_ORDER'],
    apply: (db, s) => insertForged(db, { streamId: s, revision: head(db, s).r + 1, position: 0, prevHash: head(db, s).h }),
  },
  {
    name: 'a correctly hashed row at a negative position',
    expect: ['POSITION_INVALID', 'REVISION_OUT_OF_ORDER'],
    apply: (db, s) => insertForged(db, { streamId: s, revision: head(db, s).r + 1, position: -7, prevHash: head(db, s).h }),
  },
  {
    name: 'a correctly hashed row past a gap of positions',
    expect: ['POSITION_GAP'],
    apply: (db, s) => insertForged(db, { streamId: s, revision: head(db, s).r + 1, position: 1000, prevHash: head(db, s).h }),
  },
  {
    name: 'a row with a revision that skips ahead',
    expect: ['GAP'],
    apply: (db, s) => insertForged(db, { streamId: s, revision: head(db, s).r + 3, position: 7, prevHash: head(db, s).h }),
  },
  {
    name: 'a row for a stream whose earlier rows are missing',
    expect: ['GAP'],
    elsewhere: true,
    apply: (db) => insertForged(db, { streamId: 'appraisal-2026-199101012015031002', revision: 2, position: 7, prevHash: 'a'.repeat(64) }),
  },
  {
    name: 'a row whose data has a duplicate member',
    expect: ['NOT_CANONICAL'],
    apply: (db, s) =>
      insertForged(db, {
        streamId: s,
        revision: head(db, s).r + 1,
        position: 7,
        prevHash: head(db, s).h,
        data: '{"forged":false,"forged":true}',
      }),
  },
  {
    name: 'a row whose occurred_at column is not its hashed occurredAt',
    expect: ['OCCURRED_AT_MISMATCH'],
    apply: (db, s) =>
      insertForged(db, {
        streamId: s,
        revision: head(db, s).r + 1,
        position: 7,
        prevHash: head(db, s).h,
        occurredAt: '2020-01-01T00:00:00.000Z',
      }),
  },
  // Without INTEGER affinity better-sqlite3 stores a JS number as a REAL: that is reported too.
  {
    name: 'a second row at a revision already held (table rebuilt without UNIQUE)',
    expect: ['DUPLICATE_REVISION', 'SCHEMA_ALTERED', 'MALFORMED'],
    exportExpect: ['DUPLICATE_REVISION'],
    apply: (db, s) => (loosenTable(db), insertForged(db, { streamId: s, revision: 1, position: 7, prevHash: head(db, s).h })),
  },
  // The chain has no usable revision 1, so revision 2 follows a gap: said as such.
  {
    name: 'a revision stored as text (table rebuilt without STRICT)',
    expect: ['MALFORMED', 'SCHEMA_ALTERED', 'GAP'],
    apply: (db, s) => (
      loosenTable(db),
      db.prepare("UPDATE events SET stream_revision = '1' WHERE stream_id = ? AND stream_revision = 1").run(s),
      undefined
    ),
  },
  {
    name: 'an edited row (update trigger dropped)',
    expect: ['HASH_MISMATCH', 'SCHEMA_ALTERED'],
    apply: (db, s) => (
      db.exec('DROP TRIGGER events_refuse_update'),
      db.prepare(`UPDATE events SET data = '{"n":9}' WHERE stream_id = ? AND stream_revision = 1`).run(s),
      undefined
    ),
  },
  {
    name: 'a deleted middle row (delete trigger dropped)',
    expect: ['GAP', 'POSITION_GAP', 'SCHEMA_ALTERED'],
    apply: (db, s) => (
      db.exec('DROP TRIGGER events_refuse_delete'),
      db.prepare('DELETE FROM events WHERE stream_id = ? AND stream_revision = 1').run(s),
      undefined
    ),
  },
  {
    name: 'the newest row deleted (delete trigger dropped)',
    expect: ['ROW_COUNT_MISMATCH', 'SCHEMA_ALTERED'],
    apply: (db) => (
      db.exec('DROP TRIGGER events_refuse_delete'),
      db.prepare('DELETE FROM events WHERE global_position = 6').run(),
      undefined
    ),
  },
  {
    name: 'an extra trigger',
    expect: ['SCHEMA_ALTERED'],
    apply: (db) => (db.exec('CREATE TRIGGER events_x AFTER INSERT ON events BEGIN SELECT 1; END'), undefined),
  },
];

describe('auditor verify over a tampered store file', () => {
  it.each(TAMPERINGS.map((t) => [t.name, t] as const))('names %s, on the store and on its export', async (_name, tampering) => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...STREAMS), async (streamId) => {
        const dir = mkdtempSync(join(tmpdir(), 'ledger-tamper-'));
        try {
          await smallLedger(dir);
          const db = new Database(join(dir, 'events.sqlite'));
          const forgedId = tampering.apply(db, streamId);
          db.close();

          const store = sink();
          expect(await runVerify(storeSource(dir), true, store.out)).toBe(1);
          const report = JSON.parse(store.text()) as {
            eventsChecked: number;
            problems: { kind: IntegrityProblemKind; eventId: string | null }[];
          };
          expect(new Set(report.problems.map((p) => p.kind))).toEqual(new Set(tampering.expect));
          // A forged row is the one blamed: no genuine row is named by a problem.
          if (forgedId !== undefined) {
            expect(report.problems.filter((p) => p.eventId !== null).map((p) => p.eventId)).toEqual(
              report.problems.filter((p) => p.eventId !== null).map(() => forgedId),
            );
          }
          // replay reads the same rows as verify, the forged one included, and says the chain is broken.
          if (
            forgedId !== undefined &&
            !tampering.elsewhere &&
            streamId === STREAMS[0] &&
            tampering.expect.some((k) => !WHOLE_TABLE_ONLY.includes(k))
          ) {
            const replayed = sink();
            expect(
              await runReplay(storeSource(dir), STREAMS[0].replace('appraisal-', ''), '2030-01-01', 'Asia/Jakarta', true, replayed.out),
            ).toBe(1);
            const answer = JSON.parse(replayed.text()) as { integrity: { ok: boolean }; events: StoredEvent[] };
            expect(answer.integrity.ok).toBe(false);
            expect(answer.events.map((e) => e.eventId)).toContain(forgedId);
          }
          // Every row of the table is accounted for, and the export carries every one of them.
          const count = new Database(join(dir, 'events.sqlite'), { readonly: true });
          const rows = count.prepare<[], { n: number }>('SELECT COUNT(*) n FROM events').get()?.n;
          count.close();
          expect(report.eventsChecked).toBe(rows);
          const lines: string[] = [];
          const collect = new Writable({
            write: (c, _e, done) => {
              lines.push(String(c));
              done();
            },
          });
          expect(await runExport(storeSource(dir), collect)).toBe(rows);
          const file = join(dir, 'ledger.jsonl');
          writeFileSync(file, lines.join(''));
          const exported = sink();
          const chainKinds = tampering.exportExpect ?? tampering.expect.filter((k) => !STORE_ONLY.includes(k));
          expect(await runVerify(exportSource(file), true, exported.out)).toBe(chainKinds.length > 0 ? 1 : 0);
          const exportedKinds = (JSON.parse(exported.text()) as { problems: { kind: IntegrityProblemKind }[] }).problems.map((p) => p.kind);
          expect(new Set(exportedKinds)).toEqual(new Set(chainKinds));
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 4 },
    );
  });
});

/** What no single stream's rows show: a correctly hashed row past a position gap reads as the stream's next event. */
const WHOLE_TABLE_ONLY: IntegrityProblemKind[] = ['POSITION_GAP', 'SCHEMA_ALTERED', 'ROW_COUNT_MISMATCH'];

/** What only the file can show: an export line carries no schema, no column copy, no row spelling, no sequence. */
const STORE_ONLY: IntegrityProblemKind[] = [
  'SCHEMA_ALTERED',
  'NOT_CANONICAL',
  'OCCURRED_AT_MISMATCH',
  'POSITION_GAP',
  'ROW_COUNT_MISMATCH',
];
