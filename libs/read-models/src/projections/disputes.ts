import {
  DEFAULT_POLICY,
  objectionDecisionDeadline,
  type AppraisalEvent,
  type ObjectionOutcome,
  type Period,
  type Predicate,
  type StatementParty,
} from '@ledger/appraisal';
import type { StoredEvent } from '@ledger/event-store';
import type { Projection } from '../projection';
import { asDomain, ignoreUnknown, partsOfAppraisalId, stampOf, typesOf, type Stamp, type Stored } from './stored';

export const DISPUTES = 'disputes';

type ObjectionEvent = Extract<
  AppraisalEvent,
  { type: 'ObjectionFiled' | 'StatementRecorded' | 'ReviewerAssigned' | 'ReviewFindingsSubmitted' | 'ObjectionDecided' }
>;

/**
 * The `disputes` document (id = `${appraisalId}:${period}`): one per objection.
 * It holds only what the objection's own events say (evolve stays pure). The appraiser, superior
 * and unit are NOT here: ObjectionFiled does not carry them and they can change by reassignment,
 * so queries join with the `appraisals` document (see withParticipants in disputes-query.ts).
 */
export interface DisputeView {
  appraisalId: string;
  period: Period;
  /** From the appraisal id (`<year>-<nip>`). */
  employeeNip: string | null;
  year: number | null;
  filedAt: string;
  filedBy: string;
  reasons: string;
  /** Local date, computed with DEFAULT_POLICY for convenience; queries recompute it with the configured policy. */
  decisionDeadline: string;
  status: 'OPEN' | 'DECIDED';
  statements: Array<Stamp & { party: StatementParty; statement: string }>;
  reviewerId: string | null;
  findingsSubmitted: boolean;
  findings: (Stamp & { reviewerId: string; findings: string; recommendation: ObjectionOutcome }) | null;
  outcome: ObjectionOutcome | null;
  decisionReasons: string | null;
  previousPredicate: Predicate | null;
  /** The predicate after the decision (amended or upheld). */
  predicate: Predicate | null;
  decidedAt: string | null;
  decidedBy: string | null;
  lastEventAt: string;
}

const HANDLES = typesOf<ObjectionEvent['type']>({
  ObjectionFiled: true,
  StatementRecorded: true,
  ReviewerAssigned: true,
  ReviewFindingsSubmitted: true,
  ObjectionDecided: true,
});

const STREAM_PREFIX = 'appraisal-';

export const disputeId = (appraisalId: string, period: Period): string => `${appraisalId}:${period}`;

export const disputesProjection: Projection<DisputeView> = {
  name: 'disputes',
  collection: DISPUTES,
  handles: HANDLES,
  idsOf: (event) => {
    const period = event.data.period;
    if (!event.streamId.startsWith(STREAM_PREFIX) || typeof period !== 'string') return [];
    return [disputeId(event.streamId.slice(STREAM_PREFIX.length), period as Period)];
  },
  evolve: evolveDispute,
  indexes: ['appraisalId', 'status', 'reviewerId', 'employeeNip', 'year'],
};

/** Pure. Events other than ObjectionFiled only follow it (decider rule); a stray one is ignored. */
export function evolveDispute(doc: DisputeView | null, event: StoredEvent): DisputeView | null {
  const e = asDomain<ObjectionEvent>(event);
  if (doc === null) return e.type === 'ObjectionFiled' ? filed(e) : null;
  return { ...apply(doc, e), lastEventAt: event.metadata.occurredAt };
}

function filed(e: Stored<Extract<ObjectionEvent, { type: 'ObjectionFiled' }>>): DisputeView {
  const appraisalId = e.streamId.slice(STREAM_PREFIX.length);
  const stamp = stampOf(e);
  return {
    appraisalId,
    period: e.data.period,
    ...partsOfAppraisalId(appraisalId),
    filedAt: stamp.at,
    filedBy: stamp.by,
    reasons: e.data.reasons,
    decisionDeadline: objectionDecisionDeadline(stamp.at, DEFAULT_POLICY),
    status: 'OPEN',
    statements: [],
    reviewerId: null,
    findingsSubmitted: false,
    findings: null,
    outcome: null,
    decisionReasons: null,
    previousPredicate: null,
    predicate: null,
    decidedAt: null,
    decidedBy: null,
    lastEventAt: stamp.at,
  };
}

function apply(doc: DisputeView, e: Stored<ObjectionEvent>): DisputeView {
  const stamp = stampOf(e);
  switch (e.type) {
    case 'ObjectionFiled':
      return doc; // one objection per delivered result
    case 'StatementRecorded':
      return { ...doc, statements: [...doc.statements, { party: e.data.party, statement: e.data.statement, ...stamp }] };
    case 'ReviewerAssigned':
      return { ...doc, reviewerId: e.data.reviewerId };
    case 'ReviewFindingsSubmitted': {
      const { reviewerId, findings, recommendation } = e.data;
      return { ...doc, findingsSubmitted: true, findings: { reviewerId, findings, recommendation, ...stamp } };
    }
    case 'ObjectionDecided': {
      const { outcome, reasons, previousPredicate, amended } = e.data;
      const predicate = amended?.predicate ?? previousPredicate;
      return {
        ...doc,
        status: 'DECIDED',
        outcome,
        decisionReasons: reasons,
        previousPredicate,
        predicate,
        decidedAt: stamp.at,
        decidedBy: stamp.by,
      };
    }
    default:
      return ignoreUnknown(doc, e);
  }
}
