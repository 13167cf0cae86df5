import { isObjectionOverdue, objectionDecisionDeadline, type Policy } from '@ledger/appraisal';
import type { AppraisalView } from './appraisal-view';
import type { DisputeView } from './disputes';

/** A dispute with the people and unit it concerns, as of the appraisal document. */
export interface DisputeWithParticipants extends DisputeView {
  employeeName: string | null;
  unitId: string | null;
  appraiserId: string | null;
  superiorId: string | null;
}

/** Query-time join with the `appraisals` document (null when that is not projected yet). */
export function withParticipants(dispute: DisputeView, appraisal: AppraisalView | null): DisputeWithParticipants {
  return {
    ...dispute,
    employeeName: appraisal?.employeeName ?? null,
    unitId: appraisal?.unitId ?? null,
    appraiserId: appraisal?.appraiserId ?? null,
    superiorId: appraisal?.superiorId ?? null,
  };
}

/** Deadline and overdue flag under the configured policy; `now` comes from the caller's clock. */
export function disputeTimeliness(dispute: DisputeView, nowIso: string, policy: Policy): { decisionDeadline: string; overdue: boolean } {
  return {
    decisionDeadline: objectionDecisionDeadline(dispute.filedAt, policy),
    overdue: isObjectionOverdue(dispute.filedAt, nowIso, dispute.status === 'DECIDED', policy),
  };
}
