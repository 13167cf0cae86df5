import type { UnitFacts } from '../commands';
import type { AppraisalEvent, RatingPair } from '../events';
import type { DecisionContext } from '../decider';
import { DEFAULT_POLICY, type Policy } from '../policy';
import { predicateFor } from '../rules/predicate';
import type { Actor, Period, PlanContent, Rating, Role } from '../vocabulary';

// People: distinct 18-digit NIPs, so every relationship check can tell them apart.
export const EMPLOYEE = '199001012015031001';
export const APPRAISER = '198002022005011002';
export const SUPERIOR = '197003031995031003';
export const RATER = '199204042018012004';
export const OTHER_RATER = '199305052019012005';
export const REVIEWER = '198506062010011006';
export const STRANGER = '198807072012011007';
export const MANAGER = 'hr-pengelola-01';
export const LEADER = '197108081996031008';
export const UPPER_LEADER = '196909091994031009';
export const YEAR = 2025;
export const APPRAISAL_ID = `${YEAR}-${EMPLOYEE}`;
export const UNIT_ID = 'biro-sdm';
export const UNIT_STREAM = `unit-${UNIT_ID}-${YEAR}`;
/** 10:00 WIB on 1 March 2025: after the default plan deadline, the first day of TRIWULAN_I's evaluation. */
export const NOW = '2025-03-01T03:00:00.000Z';
/** 10:00 WIB on 10 December 2025: the annual evaluation is open. */
export const ANNUAL_NOW = '2025-12-10T03:00:00.000Z';

/** The organisational achievement document a unit predicate rests on. */
export const BASIS = { uri: 'https://dms.example.go.id/capaian-organisasi/2025', sha256: 'b'.repeat(64) };
/** The appraisal's unit as the handler reads it: opened, its predicate set for every period. */
export const UNIT_FACTS: UnitFacts = {
  unitId: UNIT_ID,
  year: YEAR,
  orgPredicates: { TRIWULAN_I: 'BAIK', TRIWULAN_II: 'BAIK', TRIWULAN_III: 'BAIK', TRIWULAN_IV: 'BAIK', TAHUNAN: 'BAIK' },
  finalisedPeriods: [],
  checkedAppraisalIds: [],
};

export const as = (role: Role, id: string): Actor => ({ id, role });
export const employee = as('PEGAWAI', EMPLOYEE);
export const appraiser = as('PEJABAT_PENILAI', APPRAISER);
export const superior = as('ATASAN_PEJABAT_PENILAI', SUPERIOR);
export const manager = as('PENGELOLA_KINERJA', MANAGER);
export const rater = as('REKAN_KERJA', RATER);
export const reviewer = as('PENINJAU', REVIEWER);
export const auditor = as('AUDITOR', 'auditor-01');
export const leader = as('PIMPINAN_UNIT', LEADER);
export const upperLeader = as('PIMPINAN_UNIT', UPPER_LEADER);

export const ctx = (actor: Actor, now: string = NOW, policy: Policy = DEFAULT_POLICY): DecisionContext => ({ actor, now, policy });

export const PLAN: PlanContent = {
  results: [
    {
      id: 'R1',
      kind: 'UTAMA',
      description: 'Tersusunnya laporan kinerja biro',
      indicators: [{ id: 'R1-I1', description: 'Laporan tepat waktu', aspect: 'KUANTITAS', target: { value: 12, unit: 'laporan' } }],
    },
  ],
};
export const REVISED_PLAN: PlanContent = {
  results: [
    ...PLAN.results,
    {
      id: 'R2',
      kind: 'TAMBAHAN',
      description: 'Pendampingan pegawai baru',
      indicators: [{ id: 'R2-I1', description: 'Pegawai didampingi', aspect: 'KUALITAS', target: { value: 3, unit: 'orang' } }],
    },
  ],
};
export const DIALOGUE = { heldOn: '2025-01-10' };

export const opened = (): AppraisalEvent => ({
  type: 'AppraisalOpened',
  data: {
    appraisalId: APPRAISAL_ID,
    employeeNip: EMPLOYEE,
    employeeName: 'Siti Rahmawati',
    year: YEAR,
    unitId: UNIT_ID,
    appraiserId: APPRAISER,
    superiorId: SUPERIOR,
    planDeadline: '2025-01-31T16:59:59.999Z',
  },
});
export const drafted = (plan: PlanContent = PLAN): AppraisalEvent => ({ type: 'PlanDrafted', data: { plan, dialogue: DIALOGUE } });
export const submitted: AppraisalEvent = { type: 'PlanSubmitted', data: {} };
export const approved: AppraisalEvent = { type: 'PlanApproved', data: { version: 1 } };
/** An opened appraisal with plan version 1 in force. */
export const withApprovedPlan = (): AppraisalEvent[] => [opened(), drafted(), submitted, approved];

export const pair = (hasilKerja: Rating, perilakuKerja: Rating, note = 'sesuai bukti'): RatingPair => ({
  hasilKerja,
  hasilKerjaJustification: `Hasil kerja: ${note}`,
  perilakuKerja,
  perilakuKerjaJustification: `Perilaku kerja: ${note}`,
});
export const rated = (period: Period, h: Rating = 'SESUAI_EKSPEKTASI', p: Rating = 'SESUAI_EKSPEKTASI'): AppraisalEvent => ({
  type: 'PerformanceRated',
  data: { period, ...pair(h, p), version: 1, predicate: predicateFor(h, p) },
});
export const delivered = (
  period: Period,
  deliveredAt: string,
  h: Rating = 'SESUAI_EKSPEKTASI',
  p: Rating = 'SESUAI_EKSPEKTASI',
): AppraisalEvent => ({
  type: 'ResultDelivered',
  data: {
    period,
    hasilKerja: h,
    perilakuKerja: p,
    predicate: predicateFor(h, p),
    ratingVersion: 1,
    unitStreamId: UNIT_STREAM,
    deliveredAt,
  },
});
export const objectionFiled = (period: Period): AppraisalEvent => ({
  type: 'ObjectionFiled',
  data: { period, reasons: 'Bukti dukung belum dipertimbangkan' },
});
export const statement = (period: Period, party: 'PEJABAT_PENILAI' | 'PEGAWAI'): AppraisalEvent => ({
  type: 'StatementRecorded',
  data: { period, party, statement: `Keterangan ${party}` },
});
export const raterAssigned = (period: Period, raterId: string = RATER): AppraisalEvent => ({
  type: 'RaterAssigned',
  data: { period, raterId, relation: 'REKAN_KERJA' },
});
export const reviewerAssigned = (period: Period, reviewerId: string = REVIEWER): AppraisalEvent => ({
  type: 'ReviewerAssigned',
  data: { period, reviewerId },
});

/** Annual result delivered at 23:30 WIB on 10 Feb 2026 (16:30Z), objection filed next morning. */
export const DELIVERED_AT = '2026-02-10T16:30:00.000Z';
export const withDeliveredAnnual = (): AppraisalEvent[] => [...withApprovedPlan(), rated('TAHUNAN'), delivered('TAHUNAN', DELIVERED_AT)];
export const withObjection = (): AppraisalEvent[] => [...withDeliveredAnnual(), objectionFiled('TAHUNAN')];
export const withBothStatements = (): AppraisalEvent[] => [
  ...withObjection(),
  statement('TAHUNAN', 'PEJABAT_PENILAI'),
  statement('TAHUNAN', 'PEGAWAI'),
];
