import type { GiveFeedback, RecordEvidence, RespondToFeedback } from '../commands';
import type { DecisionContext } from '../decider';
import { fail } from '../error-codes';
import type { AppraisalEvent } from '../events';
import { optionalText, requireDocument, requireFinite, requireId, requireOneOf, requirePeriod, requireText } from '../guards';
import { BEHAVIOURS, type FeedbackSubject } from '../vocabulary';
import { requireApprovedPlan, requireNotFinal } from './preconditions';
import { asAppraiser, asEmployee } from './relations';
import type { AppraisalState } from './state';

/** Evidence refers to an indicator of the plan in force; the ledger keeps the reference and hash only. */
export function recordEvidence(c: RecordEvidence, s: AppraisalState, ctx: DecisionContext): AppraisalEvent[] {
  asEmployee(s, ctx);
  const plan = requireApprovedPlan(s);
  const d = c.data;
  const period = requirePeriod(d.period, ctx.policy);
  requireNotFinal(s, period);
  const evidenceId = requireId(d.evidenceId, 'evidenceId');
  if (s.evidenceIds.includes(evidenceId)) throw fail('EVIDENCE_ID_TAKEN', { evidenceId });
  const result = plan.results.find((r) => r.id === d.resultId);
  if (!result) throw fail('UNKNOWN_RESULT', { field: 'resultId', value: d.resultId, planVersion: s.planVersion });
  if (!result.indicators.some((i) => i.id === d.indicatorId)) {
    throw fail('UNKNOWN_INDICATOR', { field: 'indicatorId', value: d.indicatorId, resultId: result.id });
  }
  const value = requireFinite(d.value, 'value');
  const document = requireDocument(d.document, 'document');
  optionalText(d.note, 'note');
  const data = { evidenceId, resultId: result.id, indicatorId: d.indicatorId, period, value, document };
  return [{ type: 'EvidenceRecorded', data: d.note === undefined ? data : { ...data, note: d.note } }];
}

/** At most one subject, and it must exist; feedback may concern a result of any drafted plan. */
function validateSubject(about: FeedbackSubject, s: AppraisalState): FeedbackSubject | undefined {
  const given = (['resultId', 'behaviour', 'evidenceId'] as const).filter((k) => about[k] !== undefined);
  if (given.length > 1) throw fail('FEEDBACK_SUBJECT_AMBIGUOUS', { fields: given });
  if (about.resultId !== undefined) {
    if (!s.knownResultIds.includes(about.resultId)) throw fail('UNKNOWN_RESULT', { field: 'about.resultId', value: about.resultId });
    return { resultId: about.resultId };
  }
  if (about.evidenceId !== undefined) {
    if (!s.evidenceIds.includes(about.evidenceId)) throw fail('UNKNOWN_EVIDENCE', { field: 'about.evidenceId', value: about.evidenceId });
    return { evidenceId: about.evidenceId };
  }
  if (about.behaviour !== undefined) return { behaviour: requireOneOf(about.behaviour, BEHAVIOURS, 'about.behaviour') };
  return undefined;
}

export function giveFeedback(c: GiveFeedback, s: AppraisalState, ctx: DecisionContext): AppraisalEvent[] {
  asAppraiser(s, ctx);
  const feedbackId = requireId(c.data.feedbackId, 'feedbackId');
  if (s.feedbackIds.includes(feedbackId)) throw fail('FEEDBACK_ID_TAKEN', { feedbackId });
  const text = requireText(c.data.text, 'text');
  const about = c.data.about == null ? undefined : validateSubject(c.data.about, s);
  return [{ type: 'FeedbackGiven', data: about === undefined ? { feedbackId, text } : { feedbackId, text, about } }];
}

export function respondToFeedback(c: RespondToFeedback, s: AppraisalState, ctx: DecisionContext): AppraisalEvent[] {
  asEmployee(s, ctx);
  if (!s.feedbackIds.includes(c.data.feedbackId)) throw fail('FEEDBACK_NOT_FOUND', { feedbackId: c.data.feedbackId });
  return [{ type: 'FeedbackResponded', data: { feedbackId: c.data.feedbackId, text: requireText(c.data.text, 'text') } }];
}
