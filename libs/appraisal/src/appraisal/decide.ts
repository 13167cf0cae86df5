import { refuseAuditor } from '../authorise';
import type { AppraisalCommand } from '../commands';
import type { DecisionContext } from '../decider';
import { fail } from '../error-codes';
import type { AppraisalEvent } from '../events';
import { unknownCommand } from '../exhaustive';
import { deliverResult, ratePerformance, reviseRating } from './decide-rating';
import { assignRater, selfAssess, submitBehaviourSurvey } from './decide-evaluation';
import { assignReviewer, fileObjection, recordStatement, submitReviewFindings } from './decide-objection';
import { decideObjection } from './decide-objection-decision';
import { correctAppraisalUnit, openAppraisal, reassignAppraiser, setPlanDeadline } from './decide-opening';
import * as plan from './decide-plan';
import { giveFeedback, recordEvidence, respondToFeedback } from './decide-year';
import type { AppraisalState } from './state';

/**
 * One entry point, one step per file. Order of refusals: auditor, existence, then the step's own
 * checks (relationship first, then state, then input), so a stranger learns nothing about state.
 */
export function decideAppraisal(command: AppraisalCommand, s: AppraisalState, ctx: DecisionContext): AppraisalEvent[] {
  refuseAuditor(ctx);
  if (command.type !== 'OpenAppraisal' && !s.opened) throw fail('APPRAISAL_NOT_FOUND');
  switch (command.type) {
    case 'OpenAppraisal':
      return openAppraisal(command, s, ctx);
    case 'CorrectAppraisalUnit':
      return correctAppraisalUnit(command, s, ctx);
    case 'ReassignAppraiser':
      return reassignAppraiser(command, s, ctx);
    case 'SetPlanDeadline':
      return setPlanDeadline(command, s, ctx);
    case 'DraftPlan':
      return plan.draftPlan(command, s, ctx);
    case 'SubmitPlan':
      return plan.submitPlan(s, ctx);
    case 'ApprovePlan':
      return plan.approvePlan(s, ctx);
    case 'ReturnPlan':
      return plan.returnPlan(command, s, ctx);
    case 'ProposePlanRevision':
      return plan.proposePlanRevision(command, s, ctx);
    case 'ApprovePlanRevision':
      return plan.approvePlanRevision(command, s, ctx);
    case 'RejectPlanRevision':
      return plan.rejectPlanRevision(command, s, ctx);
    case 'SetDefaultPlan':
      return plan.setDefaultPlan(command, s, ctx);
    case 'SetBehaviourExpectation':
      return plan.setBehaviourExpectation(command, s, ctx);
    case 'RecordEvidence':
      return recordEvidence(command, s, ctx);
    case 'GiveFeedback':
      return giveFeedback(command, s, ctx);
    case 'RespondToFeedback':
      return respondToFeedback(command, s, ctx);
    case 'SelfAssess':
      return selfAssess(command, s, ctx);
    case 'AssignRater':
      return assignRater(command, s, ctx);
    case 'SubmitBehaviourSurvey':
      return submitBehaviourSurvey(command, s, ctx);
    case 'RatePerformance':
      return ratePerformance(command, s, ctx);
    case 'ReviseRating':
      return reviseRating(command, s, ctx);
    case 'DeliverResult':
      return deliverResult(command, s, ctx);
    case 'FileObjection':
      return fileObjection(command, s, ctx);
    case 'RecordStatement':
      return recordStatement(command, s, ctx);
    case 'AssignReviewer':
      return assignReviewer(command, s, ctx);
    case 'SubmitReviewFindings':
      return submitReviewFindings(command, s, ctx);
    case 'DecideObjection':
      return decideObjection(command, s, ctx);
    default:
      return unknownCommand(command);
  }
}
