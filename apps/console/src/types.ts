/** The shapes of the API answers the console reads (the OpenAPI document at /docs-json describes them). */
export type Rating = 'DI_ATAS_EKSPEKTASI' | 'SESUAI_EKSPEKTASI' | 'DI_BAWAH_EKSPEKTASI';
export const RATINGS: readonly Rating[] = ['DI_ATAS_EKSPEKTASI', 'SESUAI_EKSPEKTASI', 'DI_BAWAH_EKSPEKTASI'];
export const PREDICATES = ['SANGAT_BAIK', 'BAIK', 'BUTUH_PERBAIKAN', 'KURANG', 'SANGAT_KURANG'] as const;
export const PERIODS = ['TRIWULAN_I', 'TRIWULAN_II', 'TRIWULAN_III', 'TRIWULAN_IV', 'TAHUNAN'] as const;
export const BEHAVIOURS = ['BERORIENTASI_PELAYANAN', 'AKUNTABEL', 'KOMPETEN', 'HARMONIS', 'LOYAL', 'ADAPTIF', 'KOLABORATIF'] as const;
export type Period = (typeof PERIODS)[number];

export interface Stamp {
  at: string;
  by: string;
}

export interface PlanContent {
  results: {
    id: string;
    kind: string;
    description: string;
    indicators: { id: string; description: string; aspect: string; target: { value: number; unit: string } }[];
  }[];
}

export interface RatingVersion extends Stamp {
  version: number;
  kind: string;
  hasilKerja: Rating;
  perilakuKerja: Rating;
  justifications: { hasilKerja: string; perilakuKerja: string };
  predicate: string;
  reason: string | null;
  planVersion: number;
}

export interface PeriodView {
  selfAssessment: (Stamp & { hasilKerja: Rating; perilakuKerja: Rating; note: string | null }) | null;
  raters: { raterId: string; relation: string }[];
  surveys: { raterId?: string; answers: Record<string, Rating> }[];
  survey360?: { ratersAssigned: number; submitted: number; minimumGroup: number; answers: Record<string, Record<Rating, number>> | null };
  rating: (RatingVersion & { history: RatingVersion[] }) | null;
  result: { deliveredAt: string; predicate: string } | null;
  objection: {
    filedAt: string;
    reasons: string;
    statements: (Stamp & { party: string; statement: string })[];
    reviewerId: string | null;
    findings: (Stamp & { findings: string; recommendation: string }) | null;
    decision: (Stamp & { outcome: string; reasons: string; predicate: string }) | null;
  } | null;
}

export interface AppraisalView {
  appraisalId: string;
  employeeNip: string;
  employeeName: string;
  year: number;
  unitId: string;
  appraiserId: string;
  superiorId: string;
  revision: number;
  plan: {
    status: string;
    version: number;
    content: PlanContent | null;
    versions: { version: number; kind: string; content: PlanContent; reason: string | null; approved: Stamp }[];
  };
  evidence: {
    evidenceId: string;
    resultId: string;
    indicatorId: string;
    period: string;
    value: number;
    document: { uri: string; sha256: string };
    at: string;
  }[];
  feedback: (Stamp & { feedbackId: string; text: string; responses: (Stamp & { text: string })[] })[];
  periods: Partial<Record<Period, PeriodView>>;
  integrity?: { status: string };
  outlook?: {
    status: string;
    planDeadline: string;
    planOverdue: boolean;
    periods: Partial<
      Record<
        Period,
        {
          objection: { lastDayToFile: string; filingOpen: boolean } | null;
          decision: { deadline: string; overdue: boolean } | null;
          sources: { peers: { raters: number; answers: Record<Rating, number>; mostCommon: Rating | null } };
        }
      >
    >;
  };
}

export interface AuditEntry {
  eventId: string;
  occurredAt: string;
  actorId?: string;
  actorRole: string;
  type: string;
  summary: string;
  reason: string | null;
  streamRevision?: number;
}

export interface Dispute {
  appraisalId: string;
  period: Period;
  employeeNip: string | null;
  employeeName: string | null;
  unitId: string | null;
  filedAt: string;
  decisionDeadline: string;
  overdue: boolean;
  status: 'OPEN' | 'DECIDED';
  reviewerId: string | null;
  findingsSubmitted: boolean;
}
