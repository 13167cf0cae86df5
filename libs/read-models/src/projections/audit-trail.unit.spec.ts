import { EVENT_SCHEMA_VERSIONS, predicateFor } from '@ledger/appraisal';
import { StoredEventLog, type FixtureActor } from '@ledger/read-models/testing';
import { describeEvent } from './audit-text';
import { auditRefOf, auditTrailOf, auditTrailProjection, evolveAuditRef, renderAuditEntry, type AuditRef } from './audit-trail';
import type { ReadDoc } from '../port';

const appraiser: FixtureActor = { id: '198001012010011002', role: 'PEJABAT_PENILAI' };
const leader: FixtureActor = { id: '197001012000011003', role: 'PIMPINAN_UNIT' };
const ID = '2026-199001012020121001';

describe('audit_trail projection', () => {
  it('keeps one reference per event of appraisal, unit and access streams, keyed by event id, and renders its entry', () => {
    const log = new StoredEventLog();
    const rated = log.record(
      `appraisal-${ID}`,
      'PerformanceRated',
      {
        period: 'TRIWULAN_I',
        version: 1,
        hasilKerja: 'SESUAI_EKSPEKTASI',
        hasilKerjaJustification: 'a',
        perilakuKerja: 'DI_ATAS_EKSPEKTASI',
        perilakuKerjaJustification: 'b',
        predicate: predicateFor('SESUAI_EKSPEKTASI', 'DI_ATAS_EKSPEKTASI'),
      },
      appraiser,
      { reason: 'periodic' },
    );
    const unit = log.record('unit-BIRO-UMUM-2026', 'OrganisationalPredicateSet', { period: 'TAHUNAN', predicate: 'BAIK' }, leader);
    const read = log.record(
      `access-${ID}`,
      'DisputedAppraisalRead',
      { appraisalId: ID, view: 'AUDIT_TRAIL' },
      { id: 'aud-1', role: 'AUDITOR' },
    );
    const other = log.record(
      'something-else',
      'UnitOpened',
      { unitId: 'X', year: 2026, name: 'x', leaderId: 'a', upperLeaderId: 'b' },
      leader,
    );

    expect(auditTrailProjection.idsOf(rated)).toEqual([rated.eventId]);
    expect(auditTrailProjection.idsOf(other)).toEqual([]);
    expect(evolveAuditRef(null, rated)).toEqual({ streamId: `appraisal-${ID}`, appraisalId: ID, position: 1, type: 'PerformanceRated' });
    expect(renderAuditEntry(rated)).toEqual({
      eventId: rated.eventId,
      streamId: `appraisal-${ID}`,
      appraisalId: ID,
      unitId: null,
      year: 2026,
      streamRevision: 0,
      position: 1,
      occurredAt: rated.metadata.occurredAt,
      actorId: appraiser.id,
      actorRole: 'PEJABAT_PENILAI',
      type: 'PerformanceRated',
      schemaVersion: 1,
      summary: `PEJABAT_PENILAI ${appraiser.id} rated TRIWULAN_I: hasil kerja SESUAI_EKSPEKTASI, perilaku kerja DI_ATAS_EKSPEKTASI → BAIK`,
      reason: 'periodic',
      data: rated.data,
      correlationId: rated.metadata.correlationId,
      causationId: rated.metadata.causationId,
      prevHash: rated.prevHash,
      hash: rated.hash,
    });
    expect(evolveAuditRef(null, unit)).toEqual({
      streamId: 'unit-BIRO-UMUM-2026',
      appraisalId: null,
      position: 2,
      type: 'OrganisationalPredicateSet',
    });
    expect(renderAuditEntry(unit)).toMatchObject({ appraisalId: null, unitId: 'BIRO-UMUM', year: 2026, reason: null });
    expect(evolveAuditRef(null, read)).toMatchObject({ appraisalId: ID, streamId: `access-${ID}` });
    expect(renderAuditEntry(read)).toMatchObject({
      appraisalId: ID,
      type: 'DisputedAppraisalRead',
      summary: `AUDITOR aud-1 read the AUDIT_TRAIL view of disputed appraisal ${ID}`,
    });
  });

  it('handles every domain event type and the access log, at document version 2 (the compact reference)', () => {
    expect(auditTrailProjection.version).toBe(2);
    expect([...auditTrailProjection.handles].sort()).toEqual([...Object.keys(EVENT_SCHEMA_VERSIONS), 'DisputedAppraisalRead'].sort());
    expect(auditTrailProjection.indexes).toEqual(['appraisalId']);
  });

  it('never changes an entry once written (a replay yields the same document)', () => {
    const log = new StoredEventLog();
    const e = log.record(`appraisal-${ID}`, 'PlanSubmitted', {}, { id: '199001012020121001', role: 'PEGAWAI' });
    const entry = evolveAuditRef(null, e);
    expect(evolveAuditRef(entry, e)).toBe(entry);
  });

  it('describes unknown event types without failing', () => {
    const log = new StoredEventLog();
    const e = { ...log.record(`appraisal-${ID}`, 'PlanSubmitted', {}, appraiser), type: 'SomethingNew', schemaVersion: 3 };
    expect(describeEvent(e)).toBe(`PEJABAT_PENILAI ${appraiser.id} recorded SomethingNew (schema version 3)`);
  });

  it('writes readable sentences for decisions and finalisations', () => {
    const log = new StoredEventLog();
    const decided = log.record(
      `appraisal-${ID}`,
      'ObjectionDecided',
      {
        period: 'TAHUNAN',
        outcome: 'AMENDED',
        reasons: 'Bukti valid',
        previousPredicate: 'BAIK',
        amended: {
          hasilKerja: 'DI_ATAS_EKSPEKTASI',
          hasilKerjaJustification: 'x',
          perilakuKerja: 'DI_ATAS_EKSPEKTASI',
          perilakuKerjaJustification: 'y',
          predicate: 'SANGAT_BAIK',
        },
      },
      { id: 'S1', role: 'ATASAN_PEJABAT_PENILAI' },
    );
    expect(describeEvent(decided)).toBe(
      'ATASAN_PEJABAT_PENILAI S1 decided the TAHUNAN objection: AMENDED, BAIK → hasil kerja DI_ATAS_EKSPEKTASI, perilaku kerja DI_ATAS_EKSPEKTASI → SANGAT_BAIK; reasons "Bukti valid"',
    );
    const finalised = log.record(
      'unit-U1-2026',
      'UnitFinalised',
      {
        period: 'TAHUNAN',
        organisationalPredicate: 'BAIK',
        checked: [],
        n: 3,
        counts: { SANGAT_BAIK: 0, BAIK: 3, BUTUH_PERBAIKAN: 0, KURANG: 0, SANGAT_KURANG: 0 },
        bounds: [],
        exception: { reason: 'Unit kecil', failedRules: ['BAIK_MAX_70_PCT_BAIK'] },
      },
      leader,
    );
    expect(describeEvent(finalised)).toBe(
      `PIMPINAN_UNIT ${leader.id} finalised TAHUNAN under organisational predicate BAIK: 3 appraisals (3 BAIK); EXCEPTION to the pattern (failed: BAIK_MAX_70_PCT_BAIK): "Unit kecil"`,
    );
  });

  describe('auditTrailOf: the stored references rendered from their events', () => {
    const log = new StoredEventLog();
    const employee: FixtureActor = { id: '199001012020121001', role: 'PEGAWAI' };
    const drafted = log.record(`appraisal-${ID}`, 'PlanSubmitted', {}, employee);
    const read = log.record(
      `access-${ID}`,
      'DisputedAppraisalRead',
      { appraisalId: ID, view: 'APPRAISAL' },
      { id: 'aud-1', role: 'AUDITOR' },
    );
    const approved = log.record(`appraisal-${ID}`, 'PlanApproved', { version: 1 }, appraiser);
    const refOf = (e: typeof drafted): ReadDoc<AuditRef> => ({ id: e.eventId, position: e.globalPosition, doc: auditRefOf(e) });

    it('renders the references in their order, each from its event; events the read model has not reached are not shown', () => {
      const { entries, missing } = auditTrailOf([refOf(drafted), refOf(read)], [approved, read, drafted]);
      expect(entries).toEqual([renderAuditEntry(drafted), renderAuditEntry(read)]);
      expect(missing).toEqual([]);
    });

    it('names every reference whose event is not in the store, and renders the others', () => {
      const { entries, missing } = auditTrailOf([refOf(drafted), refOf(read), refOf(approved)], [approved]);
      expect(entries).toEqual([renderAuditEntry(approved)]);
      expect(missing.map((m) => m.id)).toEqual([drafted.eventId, read.eventId]);
    });

    it('reads a version 1 document (the whole entry) as a reference, while a rebuild has not swapped it yet', () => {
      const v1 = renderAuditEntry(approved);
      const { entries } = auditTrailOf([{ id: approved.eventId, position: approved.globalPosition, doc: v1 }], [approved]);
      expect(entries).toEqual([v1]);
    });
  });
});
