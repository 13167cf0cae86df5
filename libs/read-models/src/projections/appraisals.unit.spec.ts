import { appraisalStreamId, predicateFor, type PlanContent, type Rating } from '@ledger/appraisal';
import type { StoredEvent } from '@ledger/event-store';
import { StoredEventLog, type FixtureActor } from '@ledger/read-models/testing';
import type { AppraisalView } from './appraisal-view';
import { annualOutcome, followUpFor } from './appraisal-query';
import { appraisalsProjection, evolveAppraisalView } from './appraisals';

const NIP = '199001012020121001';
const ID = `2026-${NIP}`;
const STREAM = appraisalStreamId(ID);
const employee: FixtureActor = { id: NIP, role: 'PEGAWAI' };
const appraiser: FixtureActor = { id: '198001012010011002', role: 'PEJABAT_PENILAI' };
const superior: FixtureActor = { id: '197001012000011003', role: 'ATASAN_PEJABAT_PENILAI' };
const hr: FixtureActor = { id: '196001012000011004', role: 'PENGELOLA_KINERJA' };
const plan = (tag: string): PlanContent => ({
  results: [
    {
      id: `rhk-${tag}`,
      kind: 'UTAMA',
      description: tag,
      indicators: [{ id: `iki-${tag}`, description: 'x', aspect: 'KUANTITAS', target: { value: 1, unit: 'laporan' } }],
    },
  ],
});
const rating = (hasilKerja: Rating, perilakuKerja: Rating) => ({
  hasilKerja,
  hasilKerjaJustification: `why ${hasilKerja}`,
  perilakuKerja,
  perilakuKerjaJustification: `why ${perilakuKerja}`,
  predicate: predicateFor(hasilKerja, perilakuKerja),
});

/** Freezes every input so that any mutation inside evolve throws (modules are strict). */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
const fold = (events: StoredEvent[]): AppraisalView | null =>
  events.reduce<AppraisalView | null>((doc, e) => evolveAppraisalView(deepFreeze(doc), deepFreeze(e)), null);

function opened(log = new StoredEventLog()) {
  log.record(
    STREAM,
    'AppraisalOpened',
    {
      appraisalId: ID,
      employeeNip: NIP,
      employeeName: 'Siti Rahma',
      year: 2026,
      unitId: 'UNIT-01',
      appraiserId: appraiser.id,
      superiorId: superior.id,
      planDeadline: '2026-01-31T16:59:59.999Z',
    },
    hr,
  );
  return log;
}

describe('appraisals projection', () => {
  it('routes appraisal-stream events to the appraisal id and ignores other streams', () => {
    const log = opened();
    const access = log.record(`access-${ID}`, 'DisputedAppraisalRead', { appraisalId: ID, view: 'APPRAISAL' }, hr);
    expect(appraisalsProjection.idsOf(log.events[0])).toEqual([ID]);
    expect(appraisalsProjection.idsOf(access)).toEqual([]);
    expect(appraisalsProjection.handles).not.toContain('DisputedAppraisalRead');
    expect(appraisalsProjection.indexes).toEqual(expect.arrayContaining(['unitId', 'year', 'employeeNip', 'appraiserId', 'superiorId']));
  });

  it('starts at AppraisalOpened and ignores anything that comes before it', () => {
    const log = new StoredEventLog();
    const stray = log.record(STREAM, 'PlanSubmitted', {}, employee);
    expect(evolveAppraisalView(null, stray)).toBeNull();
    const doc = fold(opened().events);
    expect(doc).toMatchObject({ appraisalId: ID, employeeNip: NIP, year: 2026, unitId: 'UNIT-01', functionalPosition: null, revision: 0 });
    expect(doc?.plan.status).toBe('NONE');
  });

  it('follows the plan through draft, return, approval, revision and rejection, keeping every version', () => {
    const log = opened();
    log.record(STREAM, 'PlanDrafted', { plan: plan('a'), dialogue: { heldOn: '2026-01-06' } }, employee);
    log.record(STREAM, 'PlanSubmitted', {}, employee);
    log.record(STREAM, 'PlanReturned', { reason: 'Target belum terukur' }, appraiser);
    expect(fold(log.events)?.plan).toMatchObject({ status: 'RETURNED', returnedReason: 'Target belum terukur', version: 0 });
    log.record(STREAM, 'PlanDrafted', { plan: plan('b'), dialogue: { heldOn: '2026-01-08' } }, employee);
    const submitted = log.record(STREAM, 'PlanSubmitted', {}, employee);
    const approved = log.record(STREAM, 'PlanApproved', { version: 1 }, appraiser);
    log.record(STREAM, 'BehaviourExpectationSet', { behaviour: 'AKUNTABEL', expectation: 'Tepat waktu' }, appraiser);
    const proposed = log.record(STREAM, 'PlanRevisionProposed', { plan: plan('c'), reason: 'Tugas baru' }, employee);
    const revised = log.record(STREAM, 'PlanRevisionApproved', { version: 2 }, appraiser);
    log.record(STREAM, 'PlanRevisionProposed', { plan: plan('d'), reason: 'Lagi' }, employee);
    log.record(STREAM, 'PlanRevisionRejected', { reason: 'Tidak perlu' }, appraiser);

    const doc = fold(log.events);
    expect(doc?.plan).toMatchObject({ status: 'APPROVED', source: 'EMPLOYEE', version: 2, content: plan('c'), pendingRevision: null });
    expect(doc?.plan.lastRevisionRejection).toMatchObject({ reason: 'Tidak perlu', by: appraiser.id });
    expect(doc?.plan.behaviourExpectations.AKUNTABEL).toMatchObject({ expectation: 'Tepat waktu', by: appraiser.id });
    expect(doc?.plan.versions).toEqual([
      {
        version: 1,
        kind: 'APPROVED',
        content: plan('b'),
        reason: null,
        proposed: { at: submitted.metadata.occurredAt, by: NIP },
        approved: { at: approved.metadata.occurredAt, by: appraiser.id },
      },
      {
        version: 2,
        kind: 'REVISION',
        content: plan('c'),
        reason: 'Tugas baru',
        proposed: { at: proposed.metadata.occurredAt, by: NIP },
        approved: { at: revised.metadata.occurredAt, by: appraiser.id },
      },
    ]);
    expect(doc?.revision).toBe(log.events.length - 1);
    expect(doc?.lastEventAt).toBe(log.events[log.events.length - 1].metadata.occurredAt);
  });

  it('records a default plan as the version in force, with its reason', () => {
    const log = opened();
    log.record(STREAM, 'DefaultPlanSet', { plan: plan('default'), version: 1, reason: 'Tidak ada rencana' }, hr);
    expect(fold(log.events)?.plan).toMatchObject({
      status: 'APPROVED',
      source: 'DEFAULT',
      version: 1,
      content: plan('default'),
      versions: [{ version: 1, kind: 'DEFAULT', reason: 'Tidak ada rencana', proposed: { by: hr.id }, approved: { by: hr.id } }],
    });
  });

  it('lists evidence and feedback with responses, and follows reassignment', () => {
    const log = opened();
    log.record(
      STREAM,
      'EvidenceRecorded',
      {
        evidenceId: 'ev1',
        resultId: 'rhk-a',
        indicatorId: 'iki-a',
        period: 'TRIWULAN_I',
        value: 4,
        document: { uri: 'https://dms/1', sha256: 'b'.repeat(64) },
      },
      employee,
    );
    log.record(STREAM, 'FeedbackGiven', { feedbackId: 'fb1', text: 'Bagus', about: { evidenceId: 'ev1' } }, appraiser);
    log.record(STREAM, 'FeedbackGiven', { feedbackId: 'fb2', text: 'Tingkatkan' }, appraiser);
    log.record(STREAM, 'FeedbackResponded', { feedbackId: 'fb1', text: 'Siap' }, employee);
    log.record(STREAM, 'AppraiserReassigned', { appraiserId: 'A2', superiorId: 'S2', reason: 'Mutasi' }, hr);
    const doc = fold(log.events);
    expect(doc?.evidence).toEqual([expect.objectContaining({ evidenceId: 'ev1', period: 'TRIWULAN_I', value: 4, note: null, by: NIP })]);
    expect(doc?.feedback.map((f) => [f.feedbackId, f.about, f.responses.map((r) => r.text)])).toEqual([
      ['fb1', { evidenceId: 'ev1' }, ['Siap']],
      ['fb2', null, []],
    ]);
    expect(doc).toMatchObject({
      appraiserId: 'A2',
      superiorId: 'S2',
      reassignments: [expect.objectContaining({ reason: 'Mutasi', by: hr.id })],
    });
  });

  it('keeps every rating version, delivery, and an objection amending the result after finalisation', () => {
    const log = opened();
    log.record(
      STREAM,
      'SelfAssessed',
      { period: 'TAHUNAN', hasilKerja: 'DI_ATAS_EKSPEKTASI', perilakuKerja: 'SESUAI_EKSPEKTASI', note: 'n' },
      employee,
    );
    log.record(STREAM, 'RaterAssigned', { period: 'TAHUNAN', raterId: 'peer-1', relation: 'REKAN_KERJA' }, appraiser);
    const answers = {
      BERORIENTASI_PELAYANAN: 'SESUAI_EKSPEKTASI',
      AKUNTABEL: 'SESUAI_EKSPEKTASI',
      KOMPETEN: 'SESUAI_EKSPEKTASI',
      HARMONIS: 'SESUAI_EKSPEKTASI',
      LOYAL: 'SESUAI_EKSPEKTASI',
      ADAPTIF: 'SESUAI_EKSPEKTASI',
      KOLABORATIF: 'SESUAI_EKSPEKTASI',
    } as const;
    const survey = log.record(
      STREAM,
      'BehaviourSurveySubmitted',
      { period: 'TAHUNAN', raterId: 'peer-1', answers },
      { id: 'peer-1', role: 'REKAN_KERJA' },
    );
    log.record(
      STREAM,
      'PerformanceRated',
      { period: 'TAHUNAN', version: 1, ...rating('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI') },
      appraiser,
    );
    log.record(
      STREAM,
      'RatingRevised',
      { period: 'TAHUNAN', version: 2, supersedesVersion: 1, reason: 'Bukti baru', ...rating('DI_BAWAH_EKSPEKTASI', 'SESUAI_EKSPEKTASI') },
      appraiser,
    );
    expect(fold(log.events)?.predicates).toEqual({ TAHUNAN: 'BUTUH_PERBAIKAN' });
    log.record(
      STREAM,
      'ResultDelivered',
      {
        period: 'TAHUNAN',
        hasilKerja: 'DI_BAWAH_EKSPEKTASI',
        perilakuKerja: 'SESUAI_EKSPEKTASI',
        predicate: 'BUTUH_PERBAIKAN',
        ratingVersion: 2,
        unitStreamId: 'unit-UNIT-01-2026',
        deliveredAt: '2027-01-10T02:00:00.000Z',
      },
      hr,
    );
    const filed = log.record(STREAM, 'ObjectionFiled', { period: 'TAHUNAN', reasons: 'Tidak adil' }, employee);
    log.record(STREAM, 'StatementRecorded', { period: 'TAHUNAN', party: 'PEJABAT_PENILAI', statement: 'Sudah sesuai' }, superior);
    log.record(STREAM, 'ReviewerAssigned', { period: 'TAHUNAN', reviewerId: 'rev-1' }, superior);
    log.record(
      STREAM,
      'ReviewFindingsSubmitted',
      { period: 'TAHUNAN', reviewerId: 'rev-1', findings: 'Bukti valid', recommendation: 'AMENDED' },
      { id: 'rev-1', role: 'PENINJAU' },
    );
    log.record(
      STREAM,
      'ObjectionDecided',
      {
        period: 'TAHUNAN',
        outcome: 'AMENDED',
        reasons: 'Bukti valid',
        previousPredicate: 'BUTUH_PERBAIKAN',
        amended: rating('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI'),
      },
      superior,
    );

    const doc = fold(log.events);
    const period = doc?.periods.TAHUNAN;
    expect(period?.selfAssessment).toMatchObject({ hasilKerja: 'DI_ATAS_EKSPEKTASI', note: 'n', by: NIP });
    expect(period?.raters).toEqual([expect.objectContaining({ raterId: 'peer-1', relation: 'REKAN_KERJA' })]);
    expect(period?.surveys).toEqual([{ raterId: 'peer-1', answers, comment: null, submittedAt: survey.metadata.occurredAt }]);
    expect(period?.rating).toMatchObject({ version: 3, predicate: 'BAIK', justifications: { hasilKerja: 'why SESUAI_EKSPEKTASI' } });
    expect(period?.rating?.history.map((h) => [h.version, h.kind, h.supersedesVersion, h.predicate, h.reason])).toEqual([
      [1, 'RATED', null, 'BAIK', null],
      [2, 'REVISED', 1, 'BUTUH_PERBAIKAN', 'Bukti baru'],
      [3, 'AMENDED_BY_OBJECTION', 2, 'BAIK', 'Bukti valid'],
    ]);
    expect(period?.result).toMatchObject({
      delivered: true,
      final: true,
      deliveredPredicate: 'BUTUH_PERBAIKAN',
      predicate: 'BAIK',
      ratingVersion: 2,
      amendedAfterFinalisation: true,
    });
    expect(period?.objection).toMatchObject({
      filedAt: filed.metadata.occurredAt,
      filedBy: NIP,
      reasons: 'Tidak adil',
      reviewerId: 'rev-1',
      statements: [expect.objectContaining({ party: 'PEJABAT_PENILAI', statement: 'Sudah sesuai' })],
      findings: expect.objectContaining({ recommendation: 'AMENDED' }),
      decision: expect.objectContaining({ outcome: 'AMENDED', previousPredicate: 'BUTUH_PERBAIKAN', predicate: 'BAIK', by: superior.id }),
      amendedAfterFinalisation: true,
    });
    expect(doc?.predicates).toEqual({ TAHUNAN: 'BAIK' });
  });

  it('upholding an objection changes no rating', () => {
    const log = opened();
    log.record(
      STREAM,
      'PerformanceRated',
      { period: 'TRIWULAN_I', version: 1, ...rating('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI') },
      appraiser,
    );
    log.record(STREAM, 'ObjectionFiled', { period: 'TRIWULAN_I', reasons: 'r' }, employee);
    log.record(STREAM, 'ObjectionDecided', { period: 'TRIWULAN_I', outcome: 'UPHELD', reasons: 'ok', previousPredicate: 'BAIK' }, superior);
    const period = fold(log.events)?.periods.TRIWULAN_I;
    expect(period?.rating?.history).toHaveLength(1);
    expect(period?.objection?.decision).toMatchObject({ outcome: 'UPHELD', predicate: 'BAIK' });
    expect(period?.objection?.amendedAfterFinalisation).toBe(false);
  });

  it('is deterministic: the same events give the same document', () => {
    const log = opened();
    log.record(STREAM, 'PlanDrafted', { plan: plan('a'), dialogue: { heldOn: '2026-01-06' } }, employee);
    expect(fold(log.events)).toEqual(fold(log.events));
  });
});

describe('annual outcome and follow-up (query time)', () => {
  const annual = (year: number, predicate: 'SANGAT_BAIK' | 'BAIK' | 'KURANG', coefficient?: number) =>
    ({
      year,
      predicates: { TAHUNAN: predicate },
      functionalPosition: coefficient === undefined ? null : { name: 'Analis', annualCoefficient: coefficient },
    }) as unknown as AppraisalView;

  it('credits points for a functional position from the annual predicate in force', () => {
    expect(annualOutcome(annual(2026, 'SANGAT_BAIK', 12.5))).toEqual({ predicate: 'SANGAT_BAIK', creditPoints: 18.75 });
    expect(annualOutcome(annual(2026, 'BAIK'))).toEqual({ predicate: 'BAIK', creditPoints: null });
  });

  it('flags two SANGAT_BAIK years in a row and non-performance', () => {
    expect(followUpFor([annual(2025, 'SANGAT_BAIK'), annual(2026, 'SANGAT_BAIK')], 2026)).toEqual(['TALENT_POOL_PRIORITY']);
    expect(followUpFor([annual(2026, 'KURANG')], 2026)).toEqual(['NON_PERFORMANCE']);
  });
});
