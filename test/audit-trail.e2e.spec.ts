import Database from 'better-sqlite3';
import { Logger } from '@nestjs/common';
import { join } from 'node:path';
import { ALL_EVENT_TYPES, appraisalStreamId } from '@ledger/appraisal';
import type { StoredEvent } from '@ledger/event-store';
import { AUDIT_TRAIL, type ReadStore } from '@ledger/read-models';
import { READ_STORE } from '../apps/ledger-api/src/platform/ledger-runtime';
import { redactAuditTrailForEmployee } from '../apps/ledger-api/src/appraisals/queries/redaction';
import { version1Trail } from './support/audit-trail-v1';
import { decidedYear } from './support/decided-year';
import { Ledger, type Caller } from './support/ledger';

// Version 2 of the audit trail stores a reference per event and renders the entry when it is read;
// the answers must be what version 1 stored and served, byte for byte (test/support/audit-trail-v1.ts).

const HR: Caller = { sub: '198001012005011001', role: 'PENGELOLA_KINERJA' };

/** Every appraisal of the year with its employee. */
const appraisalsOf = (events: readonly StoredEvent[]) =>
  events.filter((e) => e.type === 'AppraisalOpened').map((e) => ({ id: String(e.data.appraisalId), nip: String(e.data.employeeNip) }));

describe('the audit trail, rendered at read time from compact entries', () => {
  let l: Ledger;
  let events: StoredEvent[];

  beforeAll(async () => {
    l = await Ledger.start();
    events = await decidedYear(l.store);
  });
  afterAll(() => l.close());

  it('stores a reference per event, not the entry', async () => {
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(ALL_EVENT_TYPES));
    await l.read(HR, `/appraisals/${appraisalsOf(events)[0].id}/audit-trail`);
    const docs = await l.t.app.get<ReadStore>(READ_STORE).find(AUDIT_TRAIL, {});
    expect(docs).toHaveLength(events.length);
    for (const { doc } of docs) expect(Object.keys(doc).sort()).toEqual(['appraisalId', 'position', 'streamId', 'type']);
  });

  it('answers HR and the employee exactly what version 1 stored and served, for every appraisal of the year', async () => {
    const appraisals = appraisalsOf(events);
    expect(appraisals.length).toBeGreaterThan(2);
    for (const { id, nip } of appraisals) {
      const v1 = version1Trail(events, id);
      expect(v1.length).toBeGreaterThan(0);
      const full = await l.read(HR, `/appraisals/${id}/audit-trail`);
      expect(full.status).toBe(200);
      expect(JSON.stringify(full.body.entries)).toBe(JSON.stringify(v1));
      const own = await l.read({ sub: nip, role: 'PEGAWAI' }, `/appraisals/${id}/audit-trail`);
      expect(own.status).toBe(200);
      expect(JSON.stringify(own.body.entries)).toBe(JSON.stringify(redactAuditTrailForEmployee(v1 as never)));
    }
  });
});

describe('the trail over an edited store', () => {
  it('leaves out an entry whose event is gone and says BROKEN (logged once), never passing for whole; the employee sees no detail', async () => {
    const l = await Ledger.start();
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      const events = await decidedYear(l.store);
      const [{ id, nip }] = appraisalsOf(events);
      const stream = events.filter((e) => e.streamId === appraisalStreamId(id));
      const last = stream[stream.length - 1];
      expect((await l.read(HR, `/appraisals/${id}/audit-trail`)).body.integrity).toEqual({ status: 'INTACT' });
      // An insider deletes the stream's last event (its chain still verifies without it).
      const db = new Database(join(l.t.dataDir, 'events.sqlite'));
      db.exec('DROP TRIGGER events_refuse_delete');
      db.prepare('DELETE FROM events WHERE event_id = ?').run(last.eventId);
      db.close();

      for (let i = 0; i < 2; i++) {
        const res = await l.get(HR, `/appraisals/${id}/audit-trail`);
        expect(res.status).toBe(200);
        expect(res.body.integrity).toMatchObject({ status: 'BROKEN', problem: 'LOG_ENTRY_MISSING', firstBrokenRevision: null });
        expect(res.body.integrity.detail).toContain(last.eventId);
        const ids = (res.body.entries as Array<{ eventId: string }>).map((e) => e.eventId);
        expect(ids).toEqual(version1Trail(events, id).flatMap((e) => (e.eventId === last.eventId ? [] : [e.eventId])));
      }
      const own = await l.get({ sub: nip, role: 'PEGAWAI' }, `/appraisals/${id}/audit-trail`);
      expect([own.status, own.body.integrity.status, own.body.integrity.problem]).toEqual([200, 'BROKEN', 'LOG_ENTRY_MISSING']);
      expect(own.body.integrity.detail).not.toContain(last.eventId);
      const logged = errors.mock.calls.filter(([message]) => String(message).includes(`records event ${last.eventId}`));
      expect(logged).toHaveLength(1);
    } finally {
      errors.mockRestore();
      await l.close();
    }
  });

  it('shows an edited row as the store holds it now, beside BROKEN (the read model keeps no copy to show instead)', async () => {
    const l = await Ledger.start();
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      const events = await decidedYear(l.store);
      const [{ id }] = appraisalsOf(events);
      await l.read(HR, `/appraisals/${id}/audit-trail`);
      const db = new Database(join(l.t.dataDir, 'events.sqlite'));
      db.exec('DROP TRIGGER events_refuse_update');
      db.prepare("UPDATE events SET data = json_set(data, '$.employeeName', 'Budi') WHERE stream_id = ? AND stream_revision = 0").run(
        appraisalStreamId(id),
      );
      db.close();
      const res = await l.get(HR, `/appraisals/${id}/audit-trail`);
      expect(res.body.integrity).toMatchObject({ status: 'BROKEN', problem: 'HASH_MISMATCH', firstBrokenRevision: 0 });
      expect(res.body.entries[0]).toMatchObject({ type: 'AppraisalOpened', data: { employeeName: 'Budi' } });
      expect(res.body.entries[0].summary).toContain('appraisal of Budi');
    } finally {
      errors.mockRestore();
      await l.close();
    }
  });
});
