import { requireRole } from '../authorise';
import type { AssignRater, SelfAssess, SubmitBehaviourSurvey } from '../commands';
import type { DecisionContext } from '../decider';
import { fail } from '../error-codes';
import type { AppraisalEvent } from '../events';
import { optionalText, requireEvaluationOpen, requireNip, requireOneOf, requirePeriod } from '../guards';
import { BEHAVIOURS, RATER_RELATIONS, RATINGS, type SurveyAnswers } from '../vocabulary';
import { requireApprovedPlan, requireNotFinal } from './preconditions';
import { asAppraiser, asEmployee } from './relations';
import { allReviewerIds, type AppraisalState } from './state';

/** Optional, once per period, against the approved plan, in the evaluation window, before the appraiser rates. */
export function selfAssess(c: SelfAssess, s: AppraisalState, ctx: DecisionContext): AppraisalEvent[] {
  asEmployee(s, ctx);
  requireApprovedPlan(s);
  const period = requirePeriod(c.data.period, ctx.policy);
  requireNotFinal(s, period);
  if (s.periods[period].selfAssessed) throw fail('ALREADY_SELF_ASSESSED', { period });
  if (s.periods[period].rating) throw fail('SELF_ASSESSMENT_AFTER_RATING', { period, ratingVersion: s.periods[period].rating?.version });
  requireEvaluationOpen(s.year, period, ctx);
  const hasilKerja = requireOneOf(c.data.hasilKerja, RATINGS, 'hasilKerja');
  const perilakuKerja = requireOneOf(c.data.perilakuKerja, RATINGS, 'perilakuKerja');
  optionalText(c.data.note, 'note');
  const data = { period, hasilKerja, perilakuKerja };
  return [{ type: 'SelfAssessed', data: c.data.note === undefined ? data : { ...data, note: c.data.note } }];
}

/** A 360 rater is never the employee nor the appraiser, and never the objection's reviewer. */
export function assignRater(c: AssignRater, s: AppraisalState, ctx: DecisionContext): AppraisalEvent[] {
  asAppraiser(s, ctx);
  const period = requirePeriod(c.data.period, ctx.policy);
  requireNotFinal(s, period);
  const raterId = requireNip(c.data.raterId, 'raterId');
  const relation = requireOneOf(c.data.relation, RATER_RELATIONS, 'relation');
  if (raterId === s.employeeNip) throw fail('RATER_IS_EMPLOYEE', { raterId });
  if (raterId === s.appraiserId || s.periods[period].ratedBy.includes(raterId)) throw fail('RATER_IS_APPRAISER', { raterId });
  if (raterId === s.superiorId) throw fail('RATER_IS_SUPERIOR', { raterId });
  if (allReviewerIds(s).includes(raterId)) throw fail('REVIEWER_HAS_OTHER_ROLE', { reviewerId: raterId, otherRole: 'REKAN_KERJA' });
  if (s.periods[period].raters.some((r) => r.raterId === raterId)) throw fail('RATER_ALREADY_ASSIGNED', { period, raterId });
  return [{ type: 'RaterAssigned', data: { period, raterId, relation } }];
}

function validateAnswers(answers: SurveyAnswers): SurveyAnswers {
  const given = answers && typeof answers === 'object' ? Object.keys(answers) : [];
  const missing = BEHAVIOURS.filter((b) => !given.includes(b));
  const extra = given.filter((k) => !BEHAVIOURS.includes(k as never));
  if (missing.length > 0 || extra.length > 0) throw fail('SURVEY_INCOMPLETE', { field: 'answers', missing, extra });
  return Object.fromEntries(BEHAVIOURS.map((b) => [b, requireOneOf(answers[b], RATINGS, `answers.${b}`)])) as SurveyAnswers;
}

/** The rater submits once per period; the event names the rater (auditors see it, employees do not). */
export function submitBehaviourSurvey(c: SubmitBehaviourSurvey, s: AppraisalState, ctx: DecisionContext): AppraisalEvent[] {
  requireRole(ctx, 'REKAN_KERJA');
  const period = requirePeriod(c.data.period, ctx.policy);
  const raterId = ctx.actor.id;
  if (!s.periods[period].raters.some((r) => r.raterId === raterId)) throw fail('NOT_AN_ASSIGNED_RATER', { period, actorId: raterId });
  requireNotFinal(s, period);
  requireEvaluationOpen(s.year, period, ctx);
  if (s.periods[period].surveysSubmittedBy.includes(raterId)) throw fail('SURVEY_ALREADY_SUBMITTED', { period });
  const answers = validateAnswers(c.data.answers);
  optionalText(c.data.comment, 'comment');
  const data = { period, raterId, answers };
  return [{ type: 'BehaviourSurveySubmitted', data: c.data.comment === undefined ? data : { ...data, comment: c.data.comment } }];
}
