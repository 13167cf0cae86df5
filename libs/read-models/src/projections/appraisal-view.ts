import type {
  AppraisalIdentity,
  Behaviour,
  DocumentRef,
  FeedbackSubject,
  FunctionalPosition,
  ObjectionOutcome,
  Period,
  PerformanceDialogue,
  PlanStatus,
  PlanContent,
  Predicate,
  Rating,
  RaterRelation,
  StatementParty,
  SurveyAnswers,
} from '@ledger/appraisal';
import type { Stamp } from './stored';

/** The `appraisals` document (id = appraisalId): everything one appraisal screen shows. */
export interface AppraisalView extends AppraisalIdentity {
  functionalPosition: FunctionalPosition | null;
  /** ISO instant. */
  planDeadline: string;
  opened: Stamp;
  /** Stream revision of the last applied event: the API's ETag for commands on this appraisal. */
  revision: number;
  lastEventAt: string;
  reassignments: Array<Stamp & { appraiserId: string; superiorId: string; reason: string }>;
  /** Corrections of a unit named by mistake (before any result was final), oldest first. */
  unitCorrections: Array<Stamp & { unitId: string; previousUnitId: string; reason: string }>;
  plan: PlanView;
  evidence: EvidenceView[];
  feedback: FeedbackView[];
  /** Only periods in which something happened. */
  periods: Partial<Record<Period, PeriodView>>;
  /** Period → predicate in force (rated, revised or amended): what unit queries read. */
  predicates: Partial<Record<Period, Predicate>>;
}

export interface PlanView {
  status: PlanStatus;
  /** Who wrote the plan in force; null before any approval. */
  source: 'EMPLOYEE' | 'DEFAULT' | null;
  /** Version in force; 0 before the first approval. */
  version: number;
  /** The plan in force once approved; before that, the latest draft. */
  content: PlanContent | null;
  dialogue: PerformanceDialogue | null;
  drafted: Stamp | null;
  submitted: Stamp | null;
  returnedReason: string | null;
  pendingRevision: (Stamp & { content: PlanContent; reason: string }) | null;
  lastRevisionRejection: (Stamp & { reason: string }) | null;
  /** Every version that was ever in force, oldest first. */
  versions: PlanVersionView[];
  behaviourExpectations: Partial<Record<Behaviour, Stamp & { expectation: string }>>;
}

export interface PlanVersionView {
  version: number;
  kind: 'APPROVED' | 'REVISION' | 'DEFAULT';
  content: PlanContent;
  /** Revision or default-plan reason. */
  reason: string | null;
  proposed: Stamp | null;
  approved: Stamp;
}

export interface EvidenceView extends Stamp {
  evidenceId: string;
  resultId: string;
  indicatorId: string;
  period: Period;
  value: number;
  document: DocumentRef;
  note: string | null;
}

export interface FeedbackView extends Stamp {
  feedbackId: string;
  text: string;
  about: FeedbackSubject | null;
  responses: Array<Stamp & { text: string }>;
}

export interface RatingJustifications {
  hasilKerja: string;
  perilakuKerja: string;
}

export interface RatingVersionView extends Stamp {
  version: number;
  kind: 'RATED' | 'REVISED' | 'AMENDED_BY_OBJECTION';
  supersedesVersion: number | null;
  hasilKerja: Rating;
  perilakuKerja: Rating;
  justifications: RatingJustifications;
  predicate: Predicate;
  reason: string | null;
  /** The plan version in force when this rating version was given: the plan the result refers to. */
  planVersion: number;
}

/** The rating in force plus every version before it (history includes the one in force). */
export interface RatingView extends Stamp {
  hasilKerja: Rating;
  perilakuKerja: Rating;
  justifications: RatingJustifications;
  predicate: Predicate;
  version: number;
  planVersion: number;
  history: RatingVersionView[];
}

/** Present once the unit finalisation delivered the result; it is final from then on. */
export interface ResultView {
  delivered: true;
  final: true;
  deliveredAt: string;
  /** In force: the delivered predicate, or the amended one after an objection. */
  predicate: Predicate;
  deliveredPredicate: Predicate;
  hasilKerja: Rating;
  perilakuKerja: Rating;
  ratingVersion: number;
  unitStreamId: string;
  amendedAfterFinalisation: boolean;
}

export interface ObjectionView {
  filedAt: string;
  filedBy: string;
  reasons: string;
  statements: Array<Stamp & { party: StatementParty; statement: string }>;
  reviewerId: string | null;
  reviewerAssigned: Stamp | null;
  findings: (Stamp & { reviewerId: string; findings: string; recommendation: ObjectionOutcome }) | null;
  decision: (Stamp & { outcome: ObjectionOutcome; reasons: string; previousPredicate: Predicate; predicate: Predicate }) | null;
  amendedAfterFinalisation: boolean;
}

export interface PeriodView {
  selfAssessment: (Stamp & { hasilKerja: Rating; perilakuKerja: Rating; note: string | null }) | null;
  raters: Array<Stamp & { raterId: string; relation: RaterRelation }>;
  /** Rater ids are here for auditors; the API hides them from the employee. */
  surveys: Array<{ raterId: string; answers: SurveyAnswers; comment: string | null; submittedAt: string }>;
  rating: RatingView | null;
  result: ResultView | null;
  objection: ObjectionView | null;
}

export const emptyPeriodView = (): PeriodView => ({
  selfAssessment: null,
  raters: [],
  surveys: [],
  rating: null,
  result: null,
  objection: null,
});

export const emptyPlanView = (): PlanView => ({
  status: 'NONE',
  source: null,
  version: 0,
  content: null,
  dialogue: null,
  drafted: null,
  submitted: null,
  returnedReason: null,
  pendingRevision: null,
  lastRevisionRejection: null,
  versions: [],
  behaviourExpectations: {},
});
