import { appraisalStreamId, BEHAVIOURS, DEFAULT_POLICY, type Rating } from '@ledger/appraisal';
import type { StoredEvent } from '@ledger/event-store';
import { appraisalsProjection, type AppraisalView } from '@ledger/read-models';
import { StoredEventLog } from '@ledger/read-models/testing';
import { appraisalOutlook } from './appraisal-outlook';

const NIP = '199203152019032001';
const APPRAISER = { id: '198001012005011002', role: 'PEJABAT_PENILAI' as const };
const EMPLOYEE = { id: NIP, role: 'PEGAWAI' as const };
const HR = { id: 'hr-1', role: 'PENGELOLA_KINERJA' as const };
const LEADER = { id: '196801011990031004', role: 'PIMPINAN_UNIT' as const };
const plan = {
  results: [
    {
      id: 'r1',
      kind: 'UTAMA' as const,
      description: 'Izin',
      indicators: [{ id: 'i1', description: 'Izin terbit', aspect: 'KUANTITAS' as const, target: { value: 1, unit: 'izin' } }],
    },
  ],
};
const rating = (h: Rating, p: Rating) => ({
  hasilKerja: h,
  hasilKerjaJustification: 'j',
  perilakuKerja: p,
  perilakuKerjaJustification: 'j',
});

/** Folds events through the real appraisals projection, as the projector would. */
function viewOf(year: number, build: (log: StoredEventLog, stream: string) => void, coefficient?: number): AppraisalView {
  const log = new StoredEventLog();
  const stream = appraisalStreamId(`${year}-${NIP}`);
  log.record(
    stream,
    'AppraisalOpened',
    {
      appraisalId: `${year}-${NIP}`,
      employeeNip: NIP,
      employeeName: 'Siti',
      year,
      unitId: 'u',
      appraiserId: APPRAISER.id,
      superiorId: '197502022000032003',
      planDeadline: `${year}-01-31T16:59:59.999Z`,
      ...(coefficient === undefined ? {} : { functionalPosition: { name: 'Penata Perizinan', annualCoefficient: coefficient } }),
    },
    HR,
  );
  build(log, stream);
  return log.events.reduce<AppraisalView | null>((doc, e: StoredEvent) => appraisalsProjection.evolve(doc, e), null) as AppraisalView;
}

const approved = (log: StoredEventLog, stream: string) => {
  log.record(stream, 'PlanDrafted', { plan, dialogue: { heldOn: '2026-01-05' } }, EMPLOYEE);
  log.record(stream, 'PlanSubmitted', {}, EMPLOYEE);
  log.record(stream, 'PlanApproved', { version: 1 }, APPRAISER);
};

describe('appraisal outlook', () => {
  it('follows the lifecycle and flags an overdue plan', () => {
    const draft = viewOf(2026, () => undefined);
    expect(appraisalOutlook(draft, [], '2026-01-10T00:00:00.000Z', DEFAULT_POLICY)).toMatchObject({
      status: 'PLANNING',
      planOverdue: false,
    });
    expect(appraisalOutlook(draft, [], '2026-02-01T00:00:00.000Z', DEFAULT_POLICY).planOverdue).toBe(true);
    expect(appraisalOutlook(viewOf(2026, approved), [], '2026-02-01T00:00:00.000Z', DEFAULT_POLICY)).toMatchObject({
      status: 'IN_YEAR',
      planOverdue: false,
    });
  });

  it('compares the self, 360 and appraiser views of one period in rating steps', () => {
    const view = viewOf(2026, (log, s) => {
      approved(log, s);
      log.record(
        s,
        'SelfAssessed',
        { period: 'TAHUNAN', hasilKerja: 'DI_ATAS_EKSPEKTASI', perilakuKerja: 'DI_ATAS_EKSPEKTASI', note: 'n' },
        EMPLOYEE,
      );
      for (const rater of ['199105052018011001', '199307072020122002']) {
        const answers = Object.fromEntries(BEHAVIOURS.map((b) => [b, 'DI_ATAS_EKSPEKTASI'])) as Record<(typeof BEHAVIOURS)[number], Rating>;
        log.record(s, 'RaterAssigned', { period: 'TAHUNAN', raterId: rater, relation: 'REKAN_KERJA' }, APPRAISER);
        log.record(s, 'BehaviourSurveySubmitted', { period: 'TAHUNAN', raterId: rater, answers }, { id: rater, role: 'REKAN_KERJA' });
      }
      log.record(
        s,
        'PerformanceRated',
        { period: 'TAHUNAN', version: 1, predicate: 'BUTUH_PERBAIKAN', ...rating('DI_BAWAH_EKSPEKTASI', 'SESUAI_EKSPEKTASI') },
        APPRAISER,
      );
    });
    const outlook = appraisalOutlook(view, [], '2026-12-01T00:00:00.000Z', DEFAULT_POLICY);
    expect(outlook.status).toBe('RATED');
    expect(outlook.periods.TAHUNAN?.sources).toEqual({
      self: { hasilKerja: 'DI_ATAS_EKSPEKTASI', perilakuKerja: 'DI_ATAS_EKSPEKTASI' },
      peers: {
        raters: 2,
        answers: { DI_ATAS_EKSPEKTASI: 14, SESUAI_EKSPEKTASI: 0, DI_BAWAH_EKSPEKTASI: 0 },
        mostCommon: 'DI_ATAS_EKSPEKTASI',
      },
      appraiser: { hasilKerja: 'DI_BAWAH_EKSPEKTASI', perilakuKerja: 'SESUAI_EKSPEKTASI', predicate: 'BUTUH_PERBAIKAN', version: 1 },
      gaps: { selfHasilKerja: -2, selfPerilakuKerja: -1, peersPerilakuKerja: -1 },
    });
  });

  const delivered = (predicate: 'SANGAT_BAIK' | 'BAIK', deliveredAt: string) => (log: StoredEventLog, s: string) => {
    approved(log, s);
    const r =
      predicate === 'SANGAT_BAIK' ? rating('DI_ATAS_EKSPEKTASI', 'DI_ATAS_EKSPEKTASI') : rating('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI');
    log.record(s, 'PerformanceRated', { period: 'TAHUNAN', version: 1, predicate, ...r }, APPRAISER);
    log.record(
      s,
      'ResultDelivered',
      {
        period: 'TAHUNAN',
        hasilKerja: r.hasilKerja,
        perilakuKerja: r.perilakuKerja,
        predicate,
        ratingVersion: 1,
        unitStreamId: 'unit-u-2026',
        deliveredAt,
      },
      LEADER,
      { at: deliveredAt },
    );
  };

  it('gives the objection window, credit points and two-year follow-up flags of a final result', () => {
    const lastYear = viewOf(2025, delivered('SANGAT_BAIK', '2026-01-10T03:00:00.000Z'));
    const view = viewOf(2026, delivered('SANGAT_BAIK', '2026-12-20T16:30:00.000Z'), 12.5);
    const onDay14 = appraisalOutlook(view, [lastYear], '2027-01-03T16:59:00.000Z', DEFAULT_POLICY);
    expect(onDay14).toMatchObject({
      status: 'FINAL',
      annual: { predicate: 'SANGAT_BAIK', creditPoints: 18.75, followUpFlags: ['TALENT_POOL_PRIORITY'] },
    });
    // Delivered 23:30 WIB on 20 Dec: day 14 is 3 Jan (WIB), still open until its local midnight.
    expect(onDay14.periods.TAHUNAN?.objection).toEqual({ lastDayToFile: '2027-01-03', filingOpen: true });
    expect(appraisalOutlook(view, [lastYear], '2027-01-03T17:00:00.000Z', DEFAULT_POLICY).periods.TAHUNAN?.objection?.filingOpen).toBe(
      false,
    );
    expect(appraisalOutlook(view, [], '2027-01-01T00:00:00.000Z', DEFAULT_POLICY).annual.followUpFlags).toEqual([]);
  });

  it('flags an objection undecided past its decision deadline', () => {
    const view = viewOf(2026, (log, s) => {
      delivered('BAIK', '2026-12-01T03:00:00.000Z')(log, s);
      log.record(s, 'ObjectionFiled', { period: 'TAHUNAN', reasons: 'r' }, EMPLOYEE, { at: '2026-12-02T03:00:00.000Z' });
    });
    expect(appraisalOutlook(view, [], '2026-12-16T16:59:00.000Z', DEFAULT_POLICY).periods.TAHUNAN?.decision).toEqual({
      deadline: '2026-12-16',
      overdue: false,
    });
    expect(appraisalOutlook(view, [], '2026-12-16T17:00:00.000Z', DEFAULT_POLICY)).toMatchObject({
      status: 'IN_OBJECTION',
      periods: { TAHUNAN: { decision: { overdue: true } } },
    });
  });
});
