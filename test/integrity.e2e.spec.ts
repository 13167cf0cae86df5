import Database from 'better-sqlite3';
import { Logger } from '@nestjs/common';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { canonicalJson, hashEvent, toHashedFields } from '@ledger/event-store';
import { runVerify } from '../apps/auditor/src/commands';
import { storeSource } from '../apps/auditor/src/source';
import { Ledger, P, UNIT, YEAR, appraisalOf, as, planBody } from './support/ledger';

/**
 * An insider edits the store file under a running api (better-sqlite3 on the file, triggers
 * dropped where needed). Every reader must agree: GET view, audit trail and history say BROKEN
 * with the forged revision, the command path refuses with LEDGER_INTEGRITY_BROKEN and appends
 * nothing, and the auditor's verify names the same row.
 */
const NIP = P.employees[0];
const ID = appraisalOf(NIP);
const STREAM = `appraisal-${ID}`;

type Tamper = (db: Database.Database) => number;

const headOf = (db: Database.Database) =>
  db
    .prepare<[string], { r: number; h: string }>(
      'SELECT stream_revision r, hash h FROM events WHERE stream_id = ? ORDER BY stream_revision DESC LIMIT 1',
    )
    .get(STREAM)!;

/** A row continuing the stream, hashed as the store would hash it, at a position of the insider's choice. */
const forgeAt =
  (position: number, skip = 0): Tamper =>
  (db) => {
    const head = headOf(db);
    const metadata = {
      actorId: P.appraiser,
      actorRole: 'PEJABAT_PENILAI',
      occurredAt: '2026-01-06T02:00:00.000Z',
      correlationId: 'x',
      causationId: 'x',
    };
    const fields = {
      eventId: '00000000-0000-4000-8000-00000000f0f0',
      streamId: STREAM,
      streamRevision: head.r + 1 + skip,
      type: 'PlanReturned',
      schemaVersion: 1,
      data: { reason: 'forged' },
      metadata,
      prevHash: head.h,
    };
    db.prepare(
      `INSERT INTO events (global_position, event_id, stream_id, stream_revision, type, schema_version, data, metadata, occurred_at, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      position,
      fields.eventId,
      STREAM,
      fields.streamRevision,
      fields.type,
      1,
      canonicalJson(fields.data),
      canonicalJson(metadata),
      metadata.occurredAt,
      head.h,
      hashEvent(toHashedFields(fields)),
    );
    return fields.streamRevision;
  };

const TAMPERINGS: [string, Tamper, string][] = [
  ['a correctly hashed row at position 0', forgeAt(0), 'POSITION_INVALID'],
  ['a correctly hashed row at a negative position', forgeAt(-3), 'POSITION_INVALID'],
  ['a row whose revision skips ahead', forgeAt(500, 2), 'GAP'],
  [
    'an edited row (update trigger dropped)',
    (db) => {
      db.exec('DROP TRIGGER events_refuse_update');
      db.prepare("UPDATE events SET data = json_set(data, '$.employeeName', 'Budi') WHERE stream_id = ? AND stream_revision = 0").run(
        STREAM,
      );
      return 0;
    },
    'HASH_MISMATCH',
  ],
];

async function smallLedger(): Promise<Ledger> {
  const l = await Ledger.start();
  await l.ok(as.manager, '/units', { unitId: UNIT, year: YEAR, name: 'Biro Umum', leaderId: P.leader, upperLeaderId: P.upperLeader });
  await l.ok(as.manager, '/appraisals', {
    employeeNip: NIP,
    employeeName: 'Siti',
    year: YEAR,
    unitId: UNIT,
    appraiserId: P.appraiser,
    superiorId: P.superior,
  });
  await l.ok(as.employee(0), `/appraisals/${ID}/plan/draft`, { plan: planBody(), dialogue: { heldOn: '2026-01-05' } });
  return l;
}

function rowsOf(dataDir: string): unknown[] {
  const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT * FROM events ORDER BY global_position').all();
  } finally {
    db.close();
  }
}

describe('a broken chain is visible wherever the appraisal is read, and nothing is decided on it', () => {
  it('an intact appraisal says INTACT in the view, the audit trail and the history', async () => {
    const l = await smallLedger();
    try {
      for (const path of [`/appraisals/${ID}`, `/appraisals/${ID}/audit-trail`, `/appraisals/${ID}/history`]) {
        const res = await l.read(as.auditor, path);
        expect([res.status, res.body.integrity]).toEqual([200, { status: 'INTACT' }]);
      }
    } finally {
      await l.close();
    }
  });

  it.each(TAMPERINGS)('%s: every reader says BROKEN at the same revision', async (_name, tamper, problem) => {
    const l = await smallLedger();
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      const file = join(l.t.dataDir, 'events.sqlite');
      const db = new Database(file);
      const revision = tamper(db);
      db.close();

      for (const caller of [as.auditor, as.employee(0), as.appraiser]) {
        for (const path of [`/appraisals/${ID}`, `/appraisals/${ID}/audit-trail`, `/appraisals/${ID}/history`]) {
          const res = await l.get(caller, path);
          expect([path, res.status, res.body.integrity]).toEqual([
            path,
            200,
            expect.objectContaining({ status: 'BROKEN', firstBrokenRevision: revision, problem }),
          ]);
        }
      }
      expect((await l.get(as.auditor, `/appraisals/${ID}/integrity`)).body).toMatchObject({ ok: false });
      // Logged loudly, once per stream and problem however often it is read.
      const logged = errors.mock.calls.filter(([message]) => String(message).includes(`LEDGER INTEGRITY BROKEN: ${STREAM}`));
      expect(logged).toHaveLength(1);

      const before = rowsOf(l.t.dataDir);
      const refused = await l.post(as.employee(0), `/appraisals/${ID}/plan/submit`);
      expect([refused.status, refused.body.code]).toEqual([409, 'LEDGER_INTEGRITY_BROKEN']);
      expect(refused.body.details).toMatchObject({ streamId: STREAM, status: 'BROKEN', firstBrokenRevision: revision, problem });
      expect(rowsOf(l.t.dataDir)).toEqual(before);

      const out: string[] = [];
      const sink = new Writable({
        write: (c, _e, done) => {
          out.push(String(c));
          done();
        },
      });
      expect(await runVerify(storeSource(l.t.dataDir), true, sink)).toBe(1);
      const report = JSON.parse(out.join('')) as { problems: { kind: string; streamId: string | null; revision: number | null }[] };
      expect(report.problems).toContainEqual(expect.objectContaining({ kind: problem, streamId: STREAM, revision }));
    } finally {
      errors.mockRestore();
      await l.close();
    }
  });
});
