import type { AppraisalCommand, UnitCommand } from '../commands';
import {
  APPRAISAL_ID,
  APPRAISER,
  BASIS,
  DIALOGUE,
  EMPLOYEE,
  LEADER,
  PLAN,
  RATER,
  REVIEWER,
  SUPERIOR,
  UNIT_FACTS,
  UNIT_ID,
  UNIT_STREAM,
  UPPER_LEADER,
  YEAR,
  pair,
} from './fixtures';

type Of<T extends { type: string }> = { [K in T['type']]: Extract<T, { type: K }> };

export const SURVEY_ANSWERS = {
  BERORIENTASI_PELAYANAN: 'SESUAI_EKSPEKTASI',
  AKUNTABEL: 'SESUAI_EKSPEKTASI',
  KOMPETEN: 'DI_ATAS_EKSPEKTASI',
  HARMONIS: 'SESUAI_EKSPEKTASI',
  LOYAL: 'SESUAI_EKSPEKTASI',
  ADAPTIF: 'SESUAI_EKSPEKTASI',
  KOLABORATIF: 'DI_BAWAH_EKSPEKTASI',
} as const;

/** One well-formed command of every type (compile-time complete: adding a type breaks this map). */
export const APPRAISAL_COMMANDS: Of<AppraisalCommand> = {
  OpenAppraisal: {
    type: 'OpenAppraisal',
    data: {
      appraisalId: APPRAISAL_ID,
      employeeNip: EMPLOYEE,
      employeeName: 'Siti Rahmawati',
      year: YEAR,
      unitId: UNIT_ID,
      appraiserId: APPRAISER,
      superiorId: SUPERIOR,
      unit: UNIT_FACTS,
    },
  },
  CorrectAppraisalUnit: {
    type: 'CorrectAppraisalUnit',
    data: { unitId: 'biro-umum', reason: 'Salah unit saat pembukaan', unit: { ...UNIT_FACTS, unitId: 'biro-umum' } },
  },
  ReassignAppraiser: {
    type: 'ReassignAppraiser',
    data: { appraiserId: '198111112006041011', superiorId: SUPERIOR, reason: 'Mutasi jabatan' },
  },
  SetPlanDeadline: { type: 'SetPlanDeadline', data: { planDeadline: '2025-02-15T16:59:59.999Z', reason: 'Perpanjangan' } },
  DraftPlan: { type: 'DraftPlan', data: { plan: PLAN, dialogue: DIALOGUE } },
  SubmitPlan: { type: 'SubmitPlan', data: {} },
  ApprovePlan: { type: 'ApprovePlan', data: {} },
  ReturnPlan: { type: 'ReturnPlan', data: { reason: 'Indikator belum terukur' } },
  ProposePlanRevision: { type: 'ProposePlanRevision', data: { plan: PLAN, reason: 'Penugasan baru' } },
  ApprovePlanRevision: { type: 'ApprovePlanRevision', data: {} },
  RejectPlanRevision: { type: 'RejectPlanRevision', data: { reason: 'Tidak relevan' } },
  SetDefaultPlan: { type: 'SetDefaultPlan', data: { plan: PLAN, reason: 'Tidak ada SKP sampai batas waktu' } },
  SetBehaviourExpectation: {
    type: 'SetBehaviourExpectation',
    data: { behaviour: 'AKUNTABEL', expectation: 'Laporan keuangan tepat waktu' },
  },
  RecordEvidence: {
    type: 'RecordEvidence',
    data: {
      evidenceId: 'E1',
      resultId: 'R1',
      indicatorId: 'R1-I1',
      period: 'TRIWULAN_I',
      value: 3,
      document: { uri: 'https://dms.example.go.id/doc/1', sha256: 'a'.repeat(64) },
    },
  },
  GiveFeedback: { type: 'GiveFeedback', data: { feedbackId: 'F1', text: 'Pertahankan' } },
  RespondToFeedback: { type: 'RespondToFeedback', data: { feedbackId: 'F1', text: 'Terima kasih' } },
  SelfAssess: {
    type: 'SelfAssess',
    data: { period: 'TRIWULAN_I', hasilKerja: 'SESUAI_EKSPEKTASI', perilakuKerja: 'SESUAI_EKSPEKTASI', note: 'Sesuai target' },
  },
  AssignRater: { type: 'AssignRater', data: { period: 'TRIWULAN_I', raterId: RATER, relation: 'REKAN_KERJA' } },
  SubmitBehaviourSurvey: { type: 'SubmitBehaviourSurvey', data: { period: 'TRIWULAN_I', answers: SURVEY_ANSWERS } },
  RatePerformance: {
    type: 'RatePerformance',
    data: { period: 'TRIWULAN_I', unit: UNIT_FACTS, ...pair('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI') },
  },
  ReviseRating: {
    type: 'ReviseRating',
    data: { period: 'TRIWULAN_I', ...pair('DI_ATAS_EKSPEKTASI', 'SESUAI_EKSPEKTASI'), reason: 'Bukti baru' },
  },
  DeliverResult: {
    type: 'DeliverResult',
    data: {
      period: 'TRIWULAN_I',
      unitStreamId: UNIT_STREAM,
      checked: {
        appraisalId: APPRAISAL_ID,
        revision: 5,
        predicate: 'BAIK',
        hasilKerja: 'SESUAI_EKSPEKTASI',
        perilakuKerja: 'SESUAI_EKSPEKTASI',
        ratingVersion: 1,
      },
    },
  },
  FileObjection: { type: 'FileObjection', data: { period: 'TAHUNAN', reasons: 'Bukti dukung belum dipertimbangkan' } },
  RecordStatement: { type: 'RecordStatement', data: { period: 'TAHUNAN', party: 'PEGAWAI', statement: 'Keterangan pegawai' } },
  AssignReviewer: { type: 'AssignReviewer', data: { period: 'TAHUNAN', reviewerId: REVIEWER } },
  SubmitReviewFindings: {
    type: 'SubmitReviewFindings',
    data: { period: 'TAHUNAN', findings: 'Bukti mendukung', recommendation: 'AMENDED' },
  },
  DecideObjection: { type: 'DecideObjection', data: { period: 'TAHUNAN', outcome: 'UPHELD', reasons: 'Penilaian sesuai bukti' } },
};

export const UNIT_COMMANDS: Of<UnitCommand> = {
  OpenUnit: { type: 'OpenUnit', data: { unitId: UNIT_ID, year: YEAR, name: 'Biro SDM', leaderId: LEADER, upperLeaderId: UPPER_LEADER } },
  SetOrganisationalPredicate: {
    type: 'SetOrganisationalPredicate',
    data: { period: 'TAHUNAN', predicate: 'BAIK', basis: BASIS, members: [] },
  },
  FinaliseUnit: { type: 'FinaliseUnit', data: { period: 'TAHUNAN', members: [] } },
  FinaliseUnitWithException: {
    type: 'FinaliseUnitWithException',
    data: { period: 'TAHUNAN', members: [], reason: 'Beban kerja luar biasa' },
  },
  DeclareService: { type: 'DeclareService', data: { serviceId: 'loket-kepegawaian', name: 'Loket Layanan Kepegawaian' } },
};
