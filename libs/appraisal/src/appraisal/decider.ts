import type { AppraisalCommand, MemberSnapshot } from '../commands';
import type { Decider } from '../decider';
import type { AppraisalEvent } from '../events';
import type { Period } from '../vocabulary';
import { decideAppraisal } from './decide';
import { evolveAppraisal } from './evolve';
import { initialAppraisalState, type AppraisalState } from './state';

/** One appraisal (one employee, one year) = one stream `appraisal-<appraisalId>`. */
export const appraisalDecider: Decider<AppraisalCommand, AppraisalEvent, AppraisalState> = {
  initialState: initialAppraisalState,
  evolve: evolveAppraisal,
  decide: decideAppraisal,
};

/** What the unit finalisation reads from one member appraisal at a given stream revision. */
export function memberSnapshot(state: AppraisalState, period: Period, revision: number): MemberSnapshot {
  const rating = state.periods[period]?.rating;
  return {
    appraisalId: state.appraisalId,
    revision,
    rating: rating
      ? { hasilKerja: rating.hasilKerja, perilakuKerja: rating.perilakuKerja, predicate: rating.predicate, version: rating.version }
      : null,
  };
}
