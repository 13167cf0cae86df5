import { EmmettError, type Command, type Event } from '@event-driven-io/emmett';

/**
 * The peer's side of the comparison: the ledger's GiveFeedback rule (libs/appraisal decide-year.ts
 * giveFeedback, with refuseAuditor and the APPRAISAL_NOT_FOUND check of decide.ts) as an Emmett
 * decider: events and commands typed with Emmett's Event and Command, a pure evolve and decide.
 * The state holds only what the rule reads; every other event of a ledger appraisal stream is
 * folded as "nothing changes", as the ledger's evolve does for these.
 */
export const BEHAVIOURS = ['BERORIENTASI_PELAYANAN', 'AKUNTABEL', 'KOMPETEN', 'HARMONIS', 'LOYAL', 'ADAPTIF', 'KOLABORATIF'] as const;
export type Behaviour = (typeof BEHAVIOURS)[number];
export const ROLES = [
  'PEGAWAI',
  'PEJABAT_PENILAI',
  'ATASAN_PEJABAT_PENILAI',
  'PIMPINAN_UNIT',
  'PENGELOLA_KINERJA',
  'REKAN_KERJA',
  'AUDITOR',
  'MASYARAKAT',
] as const;
export type Role = (typeof ROLES)[number];
/** The domain's LIMITS (libs/appraisal guards.ts) that this command checks. */
export const LIMITS = { text: 4000, id: 100 } as const;

export interface FeedbackSubject {
  resultId?: string;
  behaviour?: Behaviour;
  evidenceId?: string;
}
interface Plan {
  results: { id: string }[];
}

/** The ledger's envelope metadata, stored with each event on both sides. */
export interface LedgerMetadata extends Record<string, unknown> {
  actorId: string;
  actorRole: Role;
  occurredAt: string;
  correlationId: string;
  causationId: string;
}

type AppraisalOpened = Event<'AppraisalOpened', { appraisalId: string; employeeNip: string; appraiserId: string; superiorId: string }>;
type AppraiserReassigned = Event<'AppraiserReassigned', { appraiserId: string; superiorId: string }>;
type PlanDrafted = Event<'PlanDrafted', { plan: Plan }>;
type PlanRevisionProposed = Event<'PlanRevisionProposed', { plan: Plan }>;
type DefaultPlanSet = Event<'DefaultPlanSet', { plan: Plan }>;
type EvidenceRecorded = Event<'EvidenceRecorded', { evidenceId: string }>;
export type FeedbackGiven = Event<'FeedbackGiven', { feedbackId: string; text: string; about?: FeedbackSubject }, LedgerMetadata>;
/** Events of a ledger appraisal stream that change nothing this rule reads. */
export const UNREAD_EVENT_TYPES = [
  'AppraisalUnitCorrected',
  'PlanDeadlineSet',
  'PlanSubmitted',
  'PlanReturned',
  'PlanApproved',
  'PlanRevisionApproved',
  'PlanRevisionRejected',
  'BehaviourExpectationSet',
  'FeedbackResponded',
  'SelfAssessed',
  'RaterAssigned',
  'BehaviourSurveySubmitted',
  'PerformanceRated',
  'RatingRevised',
  'ResultDelivered',
] as const;
type UnreadEvent = Event<(typeof UNREAD_EVENT_TYPES)[number], Record<string, unknown>>;
export type AppraisalEvent =
  | AppraisalOpened
  | AppraiserReassigned
  | PlanDrafted
  | PlanRevisionProposed
  | DefaultPlanSet
  | EvidenceRecorded
  | FeedbackGiven
  | UnreadEvent;
export const READ_EVENT_TYPES = [
  'AppraisalOpened',
  'AppraiserReassigned',
  'PlanDrafted',
  'PlanRevisionProposed',
  'DefaultPlanSet',
  'EvidenceRecorded',
  'FeedbackGiven',
] as const satisfies readonly Exclude<AppraisalEvent['type'], UnreadEvent['type']>[];

export const isAppraisalEventType = (type: string): type is AppraisalEvent['type'] =>
  (READ_EVENT_TYPES as readonly string[]).includes(type) || (UNREAD_EVENT_TYPES as readonly string[]).includes(type);

export type GiveFeedback = Command<
  'GiveFeedback',
  { feedbackId: string; text: string; about?: FeedbackSubject },
  { actor: { id: string; role: Role }; now: Date; requestId: string }
>;

/** A refusal with a stable code, as an EmmettError whose errorCode is the HTTP status Emmett maps it to. */
const refuse = (status: 'ValidationError' | 'IllegalStateError' | 'NotFoundError', code: string, field?: string): EmmettError =>
  new EmmettError({ errorCode: EmmettError.Codes[status], message: field === undefined ? code : `${code}: ${field}` });

export interface AppraisalState {
  opened: boolean;
  appraiserId: string;
  knownResultIds: string[];
  evidenceIds: string[];
  feedbackIds: string[];
}

export const initialState = (): AppraisalState => ({
  opened: false,
  appraiserId: '',
  knownResultIds: [],
  evidenceIds: [],
  feedbackIds: [],
});

const withResultIds = (state: AppraisalState, plan: Plan): string[] => [
  ...new Set([...state.knownResultIds, ...plan.results.map((r) => r.id)]),
];

/** Folds one event; pure and total, like the ledger's evolveAppraisal. */
export function evolve(state: AppraisalState, event: AppraisalEvent): AppraisalState {
  switch (event.type) {
    case 'AppraisalOpened':
      return { ...state, opened: true, appraiserId: event.data.appraiserId };
    case 'AppraiserReassigned':
      return { ...state, appraiserId: event.data.appraiserId };
    case 'PlanDrafted':
    case 'PlanRevisionProposed':
    case 'DefaultPlanSet':
      return { ...state, knownResultIds: withResultIds(state, event.data.plan) };
    case 'EvidenceRecorded':
      return { ...state, evidenceIds: [...state.evidenceIds, event.data.evidenceId] };
    case 'FeedbackGiven':
      return { ...state, feedbackIds: [...state.feedbackIds, event.data.feedbackId] };
    case 'AppraisalUnitCorrected':
    case 'PlanDeadlineSet':
    case 'PlanSubmitted':
    case 'PlanReturned':
    case 'PlanApproved':
    case 'PlanRevisionApproved':
    case 'PlanRevisionRejected':
    case 'BehaviourExpectationSet':
    case 'FeedbackResponded':
    case 'SelfAssessed':
    case 'RaterAssigned':
    case 'BehaviourSurveySubmitted':
    case 'PerformanceRated':
    case 'RatingRevised':
    case 'ResultDelivered':
      return state;
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

/** The ledger's refusal order: auditor, existence, relationship, then the input. */
export function decide(command: GiveFeedback, state: AppraisalState): AppraisalEvent[] {
  const { actor, now } = command.metadata;
  if (actor.role === 'AUDITOR') throw refuse('IllegalStateError', 'AUDITOR_READ_ONLY');
  if (!state.opened) throw refuse('NotFoundError', 'APPRAISAL_NOT_FOUND');
  if (actor.role !== 'PEJABAT_PENILAI') throw refuse('IllegalStateError', 'ROLE_NOT_ALLOWED');
  if (actor.id !== state.appraiserId) throw refuse('IllegalStateError', 'NOT_THE_APPRAISER');
  const { feedbackId, text, about } = command.data;
  requireText(feedbackId, 'feedbackId', LIMITS.id);
  if (state.feedbackIds.includes(feedbackId)) throw refuse('IllegalStateError', 'FEEDBACK_ID_TAKEN');
  requireText(text, 'text', LIMITS.text);
  const subject = about === undefined ? undefined : validateSubject(about, state);
  const given: FeedbackGiven = {
    type: 'FeedbackGiven',
    data: subject === undefined ? { feedbackId, text } : { feedbackId, text, about: subject },
    metadata: {
      actorId: actor.id,
      actorRole: actor.role,
      occurredAt: now.toISOString(),
      correlationId: command.metadata.requestId,
      causationId: command.metadata.requestId,
    },
  };
  return [given];
}

function requireText(value: string, field: string, max: number): void {
  if (value.trim().length === 0) throw refuse('ValidationError', 'TEXT_REQUIRED', field);
  if (value.length > max) throw refuse('ValidationError', 'TEXT_TOO_LONG', field);
}

/** At most one subject, and it must exist (the ledger's validateSubject). */
function validateSubject(about: FeedbackSubject, state: AppraisalState): FeedbackSubject | undefined {
  const given = (['resultId', 'behaviour', 'evidenceId'] as const).filter((k) => about[k] !== undefined);
  if (given.length > 1) throw refuse('ValidationError', 'FEEDBACK_SUBJECT_AMBIGUOUS');
  if (about.resultId !== undefined) {
    if (!state.knownResultIds.includes(about.resultId)) throw refuse('ValidationError', 'UNKNOWN_RESULT', 'about.resultId');
    return { resultId: about.resultId };
  }
  if (about.evidenceId !== undefined) {
    if (!state.evidenceIds.includes(about.evidenceId)) throw refuse('ValidationError', 'UNKNOWN_EVIDENCE', 'about.evidenceId');
    return { evidenceId: about.evidenceId };
  }
  if (about.behaviour !== undefined) {
    if (!(BEHAVIOURS as readonly string[]).includes(about.behaviour)) throw refuse('ValidationError', 'INVALID_VALUE', 'about.behaviour');
    return { behaviour: about.behaviour };
  }
  return undefined;
}

/** Emmett's errors carry an HTTP status as errorCode; anything else is a 500. */
export const statusOf = (error: unknown): number => (EmmettError.isInstanceOf(error) ? error.errorCode : 500);
