// The ubiquitous language of PP 30/2019 and PermenPANRB 6/2022: enum values stay Indonesian.

export const RATINGS = ['DI_ATAS_EKSPEKTASI', 'SESUAI_EKSPEKTASI', 'DI_BAWAH_EKSPEKTASI'] as const;
export type Rating = (typeof RATINGS)[number];

/** Employee performance predicate (predikat kinerja pegawai). */
export const PREDICATES = ['SANGAT_BAIK', 'BAIK', 'BUTUH_PERBAIKAN', 'KURANG', 'SANGAT_KURANG'] as const;
export type Predicate = (typeof PREDICATES)[number];

/** Organisational predicate of a unit (predikat kinerja organisasi), SE MenPANRB 3/2023. */
export const ORG_PREDICATES = ['ISTIMEWA', 'BAIK', 'BUTUH_PERBAIKAN', 'KURANG', 'SANGAT_KURANG'] as const;
export type OrgPredicate = (typeof ORG_PREDICATES)[number];

/** The seven BerAKHLAK core values, always part of every plan. */
export const BEHAVIOURS = ['BERORIENTASI_PELAYANAN', 'AKUNTABEL', 'KOMPETEN', 'HARMONIS', 'LOYAL', 'ADAPTIF', 'KOLABORATIF'] as const;
export type Behaviour = (typeof BEHAVIOURS)[number];

export const ASPECTS = ['KUANTITAS', 'KUALITAS', 'WAKTU', 'BIAYA'] as const;
export type Aspect = (typeof ASPECTS)[number];

/** Rencana Hasil Kerja: main (utama) or additional (tambahan). */
export const RESULT_KINDS = ['UTAMA', 'TAMBAHAN'] as const;
export type ResultKind = (typeof RESULT_KINDS)[number];

/** Evaluation periods. Which ones an agency uses is policy (see Policy.periods). */
export const PERIODS = ['TRIWULAN_I', 'TRIWULAN_II', 'TRIWULAN_III', 'TRIWULAN_IV', 'TAHUNAN'] as const;
export type Period = (typeof PERIODS)[number];
export const ANNUAL_PERIOD: Period = 'TAHUNAN';

/**
 * The capacity an actor acts in. Authorisation is by relationship: the role must match AND the
 * actor must hold that relationship to the appraisal (e.g. be its named appraiser).
 */
export const ROLES = [
  'PEGAWAI', // employee (appraisee)
  'PEJABAT_PENILAI', // appraiser
  'ATASAN_PEJABAT_PENILAI', // appraiser's superior
  'REKAN_KERJA', // peer or subordinate rater (360)
  'PENGELOLA_KINERJA', // performance manager (HR)
  'PIMPINAN_UNIT', // unit leader, or the leader one level up
  'PENINJAU', // third-party reviewer
  'AUDITOR',
  'LAYANAN_INTERNAL', // an internal service: follows the event feed; a counter's system may ask for feedback codes
  'MASYARAKAT', // the anonymous public giving SKM feedback: never in a token (the verifier refuses it), no person behind the id
] as const;
export type Role = (typeof ROLES)[number];

export const RATER_RELATIONS = ['REKAN_KERJA', 'BAWAHAN'] as const;
export type RaterRelation = (typeof RATER_RELATIONS)[number];

export const OBJECTION_OUTCOMES = ['UPHELD', 'AMENDED'] as const;
export type ObjectionOutcome = (typeof OBJECTION_OUTCOMES)[number];

export const STATEMENT_PARTIES = ['PEJABAT_PENILAI', 'PEGAWAI'] as const;
export type StatementParty = (typeof STATEMENT_PARTIES)[number];

export interface Actor {
  id: string;
  role: Role;
}

/** NIP (Nomor Induk Pegawai): 18 digits. */
export const NIP_PATTERN = /^\d{18}$/;
export const isNip = (value: string): boolean => NIP_PATTERN.test(value);

/** Who and what an appraisal is about: fixed when it is opened (appraiser and superior may be reassigned). */
export interface AppraisalIdentity {
  appraisalId: string;
  employeeNip: string;
  employeeName: string;
  year: number;
  unitId: string;
  appraiserId: string;
  superiorId: string;
}

/** A functional position (jabatan fungsional) and its annual credit-point coefficient. */
export interface FunctionalPosition {
  name: string;
  annualCoefficient: number;
}

export interface Target {
  value: number;
  unit: string;
}

/** Indikator Kinerja Individu. */
export interface Indicator {
  id: string;
  description: string;
  aspect: Aspect;
  target: Target;
}

/** Rencana Hasil Kerja. */
export interface WorkResult {
  id: string;
  kind: ResultKind;
  description: string;
  /** The superior's result this one supports (intervensi / cascading), if any. */
  supportsSuperiorResult?: string;
  indicators: Indicator[];
}

/** Sasaran Kinerja Pegawai content as drafted by the employee (behaviours are implicit: all seven). */
export interface PlanContent {
  results: WorkResult[];
}

/** The performance dialogue (dialog kinerja) that precedes drafting. */
export interface PerformanceDialogue {
  /** ISO date (YYYY-MM-DD). */
  heldOn: string;
  notes?: string;
}

export interface DocumentRef {
  uri: string;
  /** Lower-case hex SHA-256 of the document content. The ledger never stores the file. */
  sha256: string;
}

/** What a piece of feedback is about (at most one of these). */
export interface FeedbackSubject {
  resultId?: string;
  behaviour?: Behaviour;
  evidenceId?: string;
}

export type SurveyAnswers = Record<Behaviour, Rating>;
