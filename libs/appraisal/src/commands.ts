import type { CitedIkm, CheckedAppraisal } from './events';
import type { SkmScores } from './service/skm';
import type {
  AppraisalIdentity,
  Behaviour,
  DocumentRef,
  FeedbackSubject,
  FunctionalPosition,
  ObjectionOutcome,
  OrgPredicate,
  Period,
  PerformanceDialogue,
  PlanContent,
  Predicate,
  Rating,
  RaterRelation,
  StatementParty,
  SurveyAnswers,
} from './vocabulary';

/**
 * Commands are imperative requests. The actor (id + role) and the current time are not part of
 * a command: they come from the authenticated request and the clock, via DecisionContext.
 */
type Cmd<T extends string, D> = { type: T; data: D };

/**
 * What an appraisal decision may need to know of its unit's stream (unit-<unitId>-<year>), read by
 * the handler just before deciding, never sent by a client: `null` when no such unit was opened.
 */
export interface UnitFacts {
  unitId: string;
  year: number;
  orgPredicates: Partial<Record<Period, OrgPredicate>>;
  finalisedPeriods: Period[];
  /** Every appraisal a finalisation of this unit checked (delivered or, after a crash, still to be). */
  checkedAppraisalIds: string[];
}

export type OpenAppraisal = Cmd<
  'OpenAppraisal',
  AppraisalIdentity & {
    /** ISO instant; when absent the policy default (end of January of `year`, agency time zone). */
    planDeadline?: string;
    functionalPosition?: FunctionalPosition;
    /** The unit named by `unitId`, as the handler read it (handler-supplied). */
    unit?: UnitFacts | null;
  }
>;
/** Corrects a unit named by mistake, until any result of the appraisal is final. */
export type CorrectAppraisalUnit = Cmd<
  'CorrectAppraisalUnit',
  {
    unitId: string;
    reason: string;
    /** The unit to move to, and the unit the appraisal is in now (handler-supplied). */
    unit?: UnitFacts | null;
    currentUnit?: UnitFacts | null;
  }
>;
export type ReassignAppraiser = Cmd<'ReassignAppraiser', { appraiserId: string; superiorId: string; reason: string }>;
export type SetPlanDeadline = Cmd<'SetPlanDeadline', { planDeadline: string; reason: string }>;

export type DraftPlan = Cmd<'DraftPlan', { plan: PlanContent; dialogue: PerformanceDialogue }>;
export type SubmitPlan = Cmd<'SubmitPlan', Record<string, never>>;
export type ApprovePlan = Cmd<'ApprovePlan', Record<string, never>>;
export type ReturnPlan = Cmd<'ReturnPlan', { reason: string }>;
export type ProposePlanRevision = Cmd<'ProposePlanRevision', { plan: PlanContent; reason: string }>;
export type ApprovePlanRevision = Cmd<'ApprovePlanRevision', Record<string, never>>;
export type RejectPlanRevision = Cmd<'RejectPlanRevision', { reason: string }>;
export type SetDefaultPlan = Cmd<'SetDefaultPlan', { plan: PlanContent; reason: string }>;
export type SetBehaviourExpectation = Cmd<'SetBehaviourExpectation', { behaviour: Behaviour; expectation: string }>;

export type RecordEvidence = Cmd<
  'RecordEvidence',
  {
    evidenceId: string;
    resultId: string;
    indicatorId: string;
    period: Period;
    value: number;
    document: DocumentRef;
    note?: string;
  }
>;
export type GiveFeedback = Cmd<'GiveFeedback', { feedbackId: string; text: string; about?: FeedbackSubject }>;
export type RespondToFeedback = Cmd<'RespondToFeedback', { feedbackId: string; text: string }>;

export type SelfAssess = Cmd<'SelfAssess', { period: Period; hasilKerja: Rating; perilakuKerja: Rating; note?: string }>;
export type AssignRater = Cmd<'AssignRater', { period: Period; raterId: string; relation: RaterRelation }>;
export type SubmitBehaviourSurvey = Cmd<'SubmitBehaviourSurvey', { period: Period; answers: SurveyAnswers; comment?: string }>;

export type RatePerformance = Cmd<
  'RatePerformance',
  {
    period: Period;
    /** The appraisal's unit as the handler read it: its organisational predicate comes first (handler-supplied). */
    unit?: UnitFacts | null;
    hasilKerja: Rating;
    hasilKerjaJustification: string;
    perilakuKerja: Rating;
    perilakuKerjaJustification: string;
  }
>;
export type ReviseRating = Cmd<
  'ReviseRating',
  {
    period: Period;
    hasilKerja: Rating;
    hasilKerjaJustification: string;
    perilakuKerja: Rating;
    perilakuKerjaJustification: string;
    reason: string;
  }
>;

/** Issued by the unit finalisation (never over HTTP on its own): delivers a checked result. */
export type DeliverResult = Cmd<'DeliverResult', { checked: CheckedAppraisal; period: Period; unitStreamId: string }>;

export type FileObjection = Cmd<'FileObjection', { period: Period; reasons: string }>;
export type RecordStatement = Cmd<'RecordStatement', { period: Period; party: StatementParty; statement: string }>;
export type AssignReviewer = Cmd<'AssignReviewer', { period: Period; reviewerId: string }>;
export type SubmitReviewFindings = Cmd<'SubmitReviewFindings', { period: Period; findings: string; recommendation: ObjectionOutcome }>;
export type DecideObjection = Cmd<
  'DecideObjection',
  {
    period: Period;
    outcome: ObjectionOutcome;
    reasons: string;
    /** Required when outcome is AMENDED. */
    amended?: {
      hasilKerja: Rating;
      hasilKerjaJustification: string;
      perilakuKerja: Rating;
      perilakuKerjaJustification: string;
    };
  }
>;

export type AppraisalCommand =
  | OpenAppraisal
  | CorrectAppraisalUnit
  | ReassignAppraiser
  | SetPlanDeadline
  | DraftPlan
  | SubmitPlan
  | ApprovePlan
  | ReturnPlan
  | ProposePlanRevision
  | ApprovePlanRevision
  | RejectPlanRevision
  | SetDefaultPlan
  | SetBehaviourExpectation
  | RecordEvidence
  | GiveFeedback
  | RespondToFeedback
  | SelfAssess
  | AssignRater
  | SubmitBehaviourSurvey
  | RatePerformance
  | ReviseRating
  | DeliverResult
  | FileObjection
  | RecordStatement
  | AssignReviewer
  | SubmitReviewFindings
  | DecideObjection;

// ---- unit ------------------------------------------------------------------------------------

export type OpenUnit = Cmd<'OpenUnit', { unitId: string; year: number; name: string; leaderId: string; upperLeaderId: string }>;
/**
 * `basis` is the organisational achievement the predicate rests on. `members` is what the handler
 * read of the unit's appraisals for the period (as for finalisation): once any is rated, a change
 * needs a reason and is recorded with the distribution under the old and the new predicate.
 */
export type SetOrganisationalPredicate = Cmd<
  'SetOrganisationalPredicate',
  {
    period: Period;
    predicate: OrgPredicate;
    basis: DocumentRef;
    reason?: string;
    members: MemberSnapshot[];
    /** Cite the unit's IKM for the period beside the basis. */
    citeIkm?: boolean;
    /** The unit's IKM as the handler computed it from the service streams (never sent by a client); null: no feedback. */
    unitIkm?: CitedIkm | null;
  }
>;

/** What the handler read from each member appraisal for this period (the recorded snapshot). */
export interface MemberSnapshot {
  appraisalId: string;
  revision: number;
  /** null when the appraisal has no rating for the period yet. */
  rating: null | { hasilKerja: Rating; perilakuKerja: Rating; predicate: Predicate; version: number };
}

export type FinaliseUnit = Cmd<'FinaliseUnit', { period: Period; members: MemberSnapshot[] }>;
/** By the leader one level up, when the distribution does not fit: explicit and reasoned. */
export type FinaliseUnitWithException = Cmd<'FinaliseUnitWithException', { period: Period; members: MemberSnapshot[]; reason: string }>;

/** By the performance manager or the unit's leader: a place where the unit serves the public. */
export type DeclareService = Cmd<'DeclareService', { serviceId: string; name: string }>;

export type UnitCommand = OpenUnit | SetOrganisationalPredicate | FinaliseUnit | FinaliseUnitWithException | DeclareService;

// ---- service (public feedback) -----------------------------------------------------------------

/** What a service decision may know of other streams, read by the handler (never sent by a client). */
export interface ServiceFacts {
  unitId: string;
  year: number;
  serviceId: string;
  /** false when the unit was not opened for the year, or never declared the service. */
  declared: boolean;
  /**
   * The unit of the appraisal (same year) of the officer the code names, or of the PEGAWAI asking
   * when the code names nobody; null when that person has no appraisal that year.
   */
  officerUnitId: string | null;
}

export type IssueFeedbackCode = Cmd<'IssueFeedbackCode', { codeHash: string; officerId?: string; facts?: ServiceFacts }>;
export type SubmitPublicFeedback = Cmd<
  'SubmitPublicFeedback',
  { codeHash: string; feedbackId: string; scores: SkmScores; comment?: string; facts?: ServiceFacts }
>;
export type RespondToPublicFeedback = Cmd<'RespondToPublicFeedback', { feedbackId: string; text: string }>;

export type ServiceCommand = IssueFeedbackCode | SubmitPublicFeedback | RespondToPublicFeedback;
