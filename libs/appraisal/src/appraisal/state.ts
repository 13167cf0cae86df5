import type { RatingPair } from '../events';
import {
  PERIODS,
  type AppraisalIdentity,
  type Behaviour,
  type FunctionalPosition,
  type ObjectionOutcome,
  type Period,
  type PlanContent,
  type Predicate,
  type RaterRelation,
  type StatementParty,
} from '../vocabulary';

export const PLAN_STATUSES = ['NONE', 'DRAFT', 'SUBMITTED', 'RETURNED', 'APPROVED'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

/** Every approved plan version stays; `source` says how it came to be. */
export interface PlanVersion {
  version: number;
  plan: PlanContent;
  source: 'APPROVED' | 'REVISION' | 'DEFAULT';
}

/** The rating in force for a period: the latest of rated, revised or amended by objection. */
export interface CurrentRating extends RatingPair {
  predicate: Predicate;
  version: number;
  /** The plan version in force when this rating version was given: what the result refers to. */
  planVersion: number;
}

export interface Delivery {
  deliveredAt: string;
  ratingVersion: number;
  predicate: Predicate;
  unitStreamId: string;
}

export interface ObjectionState {
  reasons: string;
  statements: Partial<Record<StatementParty, string>>;
  reviewerId: string | null;
  findingsSubmitted: boolean;
  decision: null | { outcome: ObjectionOutcome; previousPredicate: Predicate; predicate: Predicate };
}

export interface PeriodState {
  selfAssessed: boolean;
  raters: { raterId: string; relation: RaterRelation }[];
  surveysSubmittedBy: string[];
  rating: CurrentRating | null;
  /** Everyone who rated or revised this period's rating (by person: a reassignment does not wash it). */
  ratedBy: string[];
  delivery: Delivery | null;
  objection: ObjectionState | null;
}

export interface AppraisalState extends AppraisalIdentity {
  opened: boolean;
  /** Everyone who held the appraiser or superior relationship before the current holders. */
  formerHolders: string[];
  planDeadline: string;
  functionalPosition: FunctionalPosition | null;
  planStatus: PlanStatus;
  /** Version of the plan in force (0 before the first approval). */
  planVersion: number;
  draftPlan: PlanContent | null;
  approvedPlan: PlanContent | null;
  planVersions: PlanVersion[];
  pendingRevision: { plan: PlanContent; reason: string } | null;
  /** Every result id any plan content ever named: feedback may refer to drafts too. */
  knownResultIds: string[];
  behaviourExpectations: Partial<Record<Behaviour, string>>;
  evidenceIds: string[];
  feedbackIds: string[];
  periods: Record<Period, PeriodState>;
}

export const emptyPeriod = (): PeriodState => ({
  selfAssessed: false,
  raters: [],
  surveysSubmittedBy: [],
  rating: null,
  ratedBy: [],
  delivery: null,
  objection: null,
});

export function initialAppraisalState(): AppraisalState {
  return {
    opened: false,
    appraisalId: '',
    employeeNip: '',
    employeeName: '',
    year: 0,
    unitId: '',
    appraiserId: '',
    superiorId: '',
    formerHolders: [],
    planDeadline: '',
    functionalPosition: null,
    planStatus: 'NONE',
    planVersion: 0,
    draftPlan: null,
    approvedPlan: null,
    planVersions: [],
    pendingRevision: null,
    knownResultIds: [],
    behaviourExpectations: {},
    evidenceIds: [],
    feedbackIds: [],
    periods: Object.fromEntries(PERIODS.map((p) => [p, emptyPeriod()])) as Record<Period, PeriodState>,
  };
}

/** Everyone holding a 360 rater assignment in any period. */
export const allRaterIds = (state: AppraisalState): string[] => PERIODS.flatMap((p) => state.periods[p].raters.map((r) => r.raterId));

/** Everyone assigned as reviewer to any objection. */
export const allReviewerIds = (state: AppraisalState): string[] => PERIODS.flatMap((p) => state.periods[p].objection?.reviewerId ?? []);

/** The annual result is final: the year is closed, and the plan behind it with it. */
export const isYearFinal = (state: AppraisalState): boolean => state.periods.TAHUNAN.delivery !== null;

/** Periods whose rating someone gave or revised and whose objection is not decided yet. */
export const disputablePeriods = (state: AppraisalState): Period[] =>
  PERIODS.filter((p) => state.periods[p].rating !== null && !state.periods[p].objection?.decision);
