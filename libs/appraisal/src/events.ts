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
import type { PersonalDataKind } from './service/personal-data';
import type { IkmGrade, SkmScores } from './service/skm';

/**
 * Domain events are past-tense facts. Who/when/why live in the envelope metadata
 * (actor, role, occurredAt, reason); `data` holds what the fact is about. A reason that a rule
 * requires is ALSO kept in `data` so that the fact reads on its own.
 * Every type here is schema version 1 (see EVENT_SCHEMA_VERSIONS).
 */
type Ev<T extends string, D> = { type: T; data: D };

/** A rating pair as given by the appraiser, with the written justifications [beyond]. */
export interface RatingPair {
  hasilKerja: Rating;
  hasilKerjaJustification: string;
  perilakuKerja: Rating;
  perilakuKerjaJustification: string;
}

// ---- appraisal stream: `appraisal-<appraisalId>` ------------------------------------------

export type AppraisalOpened = Ev<
  'AppraisalOpened',
  AppraisalIdentity & {
    /** ISO instant: plan submission deadline (policy default: end of January, agency time zone). */
    planDeadline: string;
    /** When the employee holds a functional position. */
    functionalPosition?: FunctionalPosition;
  }
>;
/** A unit named by mistake, corrected before any result of the appraisal was final. */
export type AppraisalUnitCorrected = Ev<'AppraisalUnitCorrected', { unitId: string; previousUnitId: string; reason: string }>;
export type AppraiserReassigned = Ev<'AppraiserReassigned', { appraiserId: string; superiorId: string; reason: string }>;
export type PlanDeadlineSet = Ev<'PlanDeadlineSet', { planDeadline: string; reason: string }>;

export type PlanDrafted = Ev<'PlanDrafted', { plan: PlanContent; dialogue: PerformanceDialogue }>;
export type PlanSubmitted = Ev<'PlanSubmitted', Record<string, never>>;
export type PlanApproved = Ev<'PlanApproved', { version: number }>;
export type PlanReturned = Ev<'PlanReturned', { reason: string }>;
export type PlanRevisionProposed = Ev<'PlanRevisionProposed', { plan: PlanContent; reason: string }>;
export type PlanRevisionApproved = Ev<'PlanRevisionApproved', { version: number }>;
export type PlanRevisionRejected = Ev<'PlanRevisionRejected', { reason: string }>;
export type DefaultPlanSet = Ev<'DefaultPlanSet', { plan: PlanContent; version: number; reason: string }>;
export type BehaviourExpectationSet = Ev<'BehaviourExpectationSet', { behaviour: Behaviour; expectation: string }>;

export type EvidenceRecorded = Ev<
  'EvidenceRecorded',
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
export type FeedbackGiven = Ev<'FeedbackGiven', { feedbackId: string; text: string; about?: FeedbackSubject }>;
export type FeedbackResponded = Ev<'FeedbackResponded', { feedbackId: string; text: string }>;

/** Schema version 2: `note` is optional (version 1 always carried one, '' when none was given). */
export type SelfAssessed = Ev<'SelfAssessed', { period: Period; hasilKerja: Rating; perilakuKerja: Rating; note?: string }>;
export type RaterAssigned = Ev<'RaterAssigned', { period: Period; raterId: string; relation: RaterRelation }>;
export type BehaviourSurveySubmitted = Ev<
  'BehaviourSurveySubmitted',
  {
    period: Period;
    raterId: string;
    answers: SurveyAnswers;
    comment?: string;
  }
>;

export type PerformanceRated = Ev<'PerformanceRated', RatingPair & { period: Period; version: 1; predicate: Predicate }>;
/** A correction: points at the rating version it supersedes; both stay in the ledger. */
export type RatingRevised = Ev<
  'RatingRevised',
  RatingPair & {
    period: Period;
    version: number;
    supersedesVersion: number;
    predicate: Predicate;
    reason: string;
  }
>;

/** Written by the unit finalisation: the result is final and delivered; the objection window opens. */
export type ResultDelivered = Ev<
  'ResultDelivered',
  {
    period: Period;
    hasilKerja: Rating;
    perilakuKerja: Rating;
    predicate: Predicate;
    ratingVersion: number;
    unitStreamId: string;
    /** ISO instant of delivery (= the finalisation's occurredAt). */
    deliveredAt: string;
  }
>;

export type ObjectionFiled = Ev<'ObjectionFiled', { period: Period; reasons: string }>;
export type StatementRecorded = Ev<'StatementRecorded', { period: Period; party: StatementParty; statement: string }>;
export type ReviewerAssigned = Ev<'ReviewerAssigned', { period: Period; reviewerId: string }>;
export type ReviewFindingsSubmitted = Ev<
  'ReviewFindingsSubmitted',
  {
    period: Period;
    reviewerId: string;
    findings: string;
    recommendation: ObjectionOutcome;
  }
>;
export type ObjectionDecided = Ev<
  'ObjectionDecided',
  {
    period: Period;
    outcome: ObjectionOutcome;
    reasons: string;
    /** Present when outcome is AMENDED: the new ratings and predicate. */
    amended?: RatingPair & { predicate: Predicate };
    /** The predicate before the decision. */
    previousPredicate: Predicate;
  }
>;

export type AppraisalEvent =
  | AppraisalOpened
  | AppraisalUnitCorrected
  | AppraiserReassigned
  | PlanDeadlineSet
  | PlanDrafted
  | PlanSubmitted
  | PlanApproved
  | PlanReturned
  | PlanRevisionProposed
  | PlanRevisionApproved
  | PlanRevisionRejected
  | DefaultPlanSet
  | BehaviourExpectationSet
  | EvidenceRecorded
  | FeedbackGiven
  | FeedbackResponded
  | SelfAssessed
  | RaterAssigned
  | BehaviourSurveySubmitted
  | PerformanceRated
  | RatingRevised
  | ResultDelivered
  | ObjectionFiled
  | StatementRecorded
  | ReviewerAssigned
  | ReviewFindingsSubmitted
  | ObjectionDecided;

// ---- unit stream: `unit-<unitId>-<year>` --------------------------------------------------

export type UnitOpened = Ev<
  'UnitOpened',
  {
    unitId: string;
    year: number;
    name: string;
    leaderId: string;
    /** The leader one level up, who may record a reasoned distribution exception. */
    upperLeaderId: string;
  }
>;
/** A change of the organisational predicate after members were rated: what it changed, on what it was decided. */
export interface OrgPredicateChange {
  previousPredicate: OrgPredicate;
  /** Members rated for the period when the change was made, of all members then. */
  ratedCount: number;
  memberCount: number;
  /** Bounds the rated members' predicates failed under the previous and under the new predicate. */
  failedUnderPrevious: string[];
  failedUnderNew: string[];
}

/**
 * Schema version 2 adds `basis` (always), and `reason` + `change` once any member was rated.
 * Version 1 events (period and predicate only) stay readable: `basis` is then absent.
 */
export type OrganisationalPredicateSet = Ev<
  'OrganisationalPredicateSet',
  {
    period: Period;
    predicate: OrgPredicate;
    basis?: DocumentRef;
    reason?: string;
    change?: OrgPredicateChange;
    /** v3: the unit's IKM for the period, cited beside the achievement document (computed by the ledger, never sent). */
    ikm?: CitedIkm;
  }
>;

/**
 * The unit's Indeks Kepuasan Masyarakat for a period as the ledger computed it from the public
 * feedback of the unit's services (PermenPANRB 14/2017), at the moment it was cited.
 */
export interface CitedIkm {
  ikm: number;
  grade: IkmGrade;
  responses: number;
  /** The services whose feedback it rests on. */
  serviceIds: string[];
}

/** One bound of the distribution pattern, evaluated exactly as count / n. */
export interface BoundCheck {
  /** Stable id, e.g. 'BAIK_MAX_70_PCT_BAIK'. */
  rule: string;
  description: string;
  predicates: Predicate[];
  comparison: 'AT_MOST' | 'AT_LEAST' | 'AT_LEAST_ONE' | 'NONE';
  /** Fraction for AT_MOST/AT_LEAST (0.7 = 70%); 0 for AT_LEAST_ONE/NONE. */
  threshold: number;
  count: number;
  n: number;
  ok: boolean;
}

export interface CheckedAppraisal {
  appraisalId: string;
  /** The appraisal stream revision the check read. */
  revision: number;
  predicate: Predicate;
  hasilKerja: Rating;
  perilakuKerja: Rating;
  ratingVersion: number;
}

export type UnitFinalised = Ev<
  'UnitFinalised',
  {
    period: Period;
    organisationalPredicate: OrgPredicate;
    /** Exactly what was checked: the recorded snapshot. */
    checked: CheckedAppraisal[];
    counts: Record<Predicate, number>;
    n: number;
    bounds: BoundCheck[];
    /** Set when the distribution did not fit and the leader one level up recorded an exception. */
    exception?: { reason: string; failedRules: string[] };
  }
>;

/** A place where the unit serves the public (a counter, a desk, an online service), declared once per unit and year. */
export type ServiceDeclared = Ev<'ServiceDeclared', { serviceId: string; name: string }>;

export type UnitEvent = UnitOpened | OrganisationalPredicateSet | UnitFinalised | ServiceDeclared;

// ---- service stream: `service-<unitId>-<year>-<serviceId>` (public feedback, SKM) --------------

/** Where a service's feedback lives: the service's own stream, hash-chained like every other. */
interface ServiceRef {
  unitId: string;
  year: number;
  serviceId: string;
}

/**
 * A one-time feedback code was issued at the end of a service. The ledger keeps only the code's
 * SHA-256, never the code: whoever reads the ledger cannot use it. `period` is the quarter the
 * service was given in (agency time zone); its feedback counts there and in TAHUNAN.
 */
export type FeedbackCodeIssued = Ev<
  'FeedbackCodeIssued',
  ServiceRef & { codeHash: string; officerId?: string; period: Period; expiresAt: string }
>;
/**
 * A citizen's SKM answers for one code. No address, device or person: the code is the only link,
 * and it names the service (and the officer, when the code did). `masked` lists the kinds of
 * personal data masked in the comment before it was stored.
 */
export type PublicFeedbackReceived = Ev<
  'PublicFeedbackReceived',
  ServiceRef & {
    feedbackId: string;
    codeHash: string;
    period: Period;
    officerId?: string;
    scores: SkmScores;
    comment?: string;
    masked?: PersonalDataKind[];
  }
>;
/** The officer a comment is about answered it, as employees answer feedback. */
export type PublicFeedbackResponded = Ev<'PublicFeedbackResponded', { feedbackId: string; text: string }>;

export type ServiceEvent = FeedbackCodeIssued | PublicFeedbackReceived | PublicFeedbackResponded;

export type DomainEvent = AppraisalEvent | UnitEvent | ServiceEvent;
export type DomainEventType = DomainEvent['type'];

/** Schema version per event type; bump when a type's data shape changes. */
export const EVENT_SCHEMA_VERSIONS: Record<DomainEventType, number> = {
  AppraisalOpened: 1,
  AppraisalUnitCorrected: 1,
  AppraiserReassigned: 1,
  PlanDeadlineSet: 1,
  PlanDrafted: 1,
  PlanSubmitted: 1,
  PlanApproved: 1,
  PlanReturned: 1,
  PlanRevisionProposed: 1,
  PlanRevisionApproved: 1,
  PlanRevisionRejected: 1,
  DefaultPlanSet: 1,
  BehaviourExpectationSet: 1,
  EvidenceRecorded: 1,
  FeedbackGiven: 1,
  FeedbackResponded: 1,
  SelfAssessed: 2,
  RaterAssigned: 1,
  BehaviourSurveySubmitted: 1,
  PerformanceRated: 1,
  RatingRevised: 1,
  ResultDelivered: 1,
  ObjectionFiled: 1,
  StatementRecorded: 1,
  ReviewerAssigned: 1,
  ReviewFindingsSubmitted: 1,
  ObjectionDecided: 1,
  UnitOpened: 1,
  OrganisationalPredicateSet: 3,
  UnitFinalised: 1,
  ServiceDeclared: 1,
  FeedbackCodeIssued: 1,
  PublicFeedbackReceived: 1,
  PublicFeedbackResponded: 1,
};

const UNIT_TYPES: Record<UnitEvent['type'], true> = {
  UnitOpened: true,
  OrganisationalPredicateSet: true,
  UnitFinalised: true,
  ServiceDeclared: true,
};
export const UNIT_EVENT_TYPES = Object.keys(UNIT_TYPES) as UnitEvent['type'][];
const SERVICE_TYPES: Record<ServiceEvent['type'], true> = {
  FeedbackCodeIssued: true,
  PublicFeedbackReceived: true,
  PublicFeedbackResponded: true,
};
export const SERVICE_EVENT_TYPES = Object.keys(SERVICE_TYPES) as ServiceEvent['type'][];
/** Every appraisal-stream event type (complete: EVENT_SCHEMA_VERSIONS must name every domain type). */
export const APPRAISAL_EVENT_TYPES = (Object.keys(EVENT_SCHEMA_VERSIONS) as DomainEventType[]).filter(
  (type): type is AppraisalEvent['type'] => !(type in UNIT_TYPES) && !(type in SERVICE_TYPES),
);

export const appraisalStreamId = (appraisalId: string): string => `appraisal-${appraisalId}`;
export const unitStreamId = (unitId: string, year: number): string => `unit-${unitId}-${year}`;
/** One appraisal per employee per year: the id is derived, so opening twice is a stream conflict. */
export const appraisalIdFor = (employeeNip: string, year: number): string => `${year}-${employeeNip}`;
/** One stream per service and year; its key (the stream id without `service-`) names the read-model document. */
export const serviceKey = (unitId: string, year: number, serviceId: string): string => `${unitId}-${year}-${serviceId}`;
export const serviceStreamId = (unitId: string, year: number, serviceId: string): string =>
  `service-${serviceKey(unitId, year, serviceId)}`;

// ---- access log stream: `access-<appraisalId>` [beyond] -------------------------------------

/** A reviewer's or auditor's read of a disputed appraisal, itself a ledger fact. */
export type DisputedAppraisalRead = Ev<'DisputedAppraisalRead', { appraisalId: string; view: 'APPRAISAL' | 'AUDIT_TRAIL' | 'HISTORY' }>;
export const DISPUTED_APPRAISAL_READ_VERSION = 1;
export const accessStreamId = (appraisalId: string): string => `access-${appraisalId}`;

/**
 * Every event type the ledger stores, with its current schema version: the domain's
 * (EVENT_SCHEMA_VERSIONS, complete by its type) plus the access log's. The one list the command
 * path, the feed, the relay and the contract spec read; a new type reaches them all at once.
 */
export const SCHEMA_VERSIONS: Readonly<Record<DomainEventType | DisputedAppraisalRead['type'], number>> = {
  ...EVENT_SCHEMA_VERSIONS,
  DisputedAppraisalRead: DISPUTED_APPRAISAL_READ_VERSION,
};
export type LedgerEventType = keyof typeof SCHEMA_VERSIONS;
export const ALL_EVENT_TYPES = Object.keys(SCHEMA_VERSIONS) as LedgerEventType[];
