import { refuseAuditor, requireRole } from '../authorise';
import type { IssueFeedbackCode, RespondToPublicFeedback, ServiceCommand, ServiceFacts, SubmitPublicFeedback } from '../commands';
import type { DecisionContext } from '../decider';
import { fail } from '../error-codes';
import type { PublicFeedbackReceived, ServiceEvent } from '../events';
import { unknownCommand } from '../exhaustive';
import { optionalText, requireNip, requireText } from '../guards';
import { localDate } from '../rules/calendar';
import { maskPersonalData } from './personal-data';
import { SKM_ELEMENTS, SKM_MAX_SCORE, SKM_MIN_SCORE, quarterOf, type SkmScores } from './skm';
import type { IssuedCode, ReceivedFeedback, ServiceState } from './state';

/** A comment is a few sentences, not a letter: the public form's limit. */
export const COMMENT_MAX = 1000;
const SHA256 = /^[0-9a-f]{64}$/;
const DAY_MS = 86_400_000;

export function decideService(command: ServiceCommand, state: ServiceState, ctx: DecisionContext): ServiceEvent[] {
  refuseAuditor(ctx);
  switch (command.type) {
    case 'IssueFeedbackCode':
      return issueCode(command, ctx);
    case 'SubmitPublicFeedback':
      return submitFeedback(command, state, ctx);
    case 'RespondToPublicFeedback':
      return respond(command, state, ctx);
    default:
      return unknownCommand(command);
  }
}

function requireDeclared(facts: ServiceFacts | undefined): ServiceFacts {
  if (facts?.declared !== true) throw fail('SERVICE_NOT_FOUND', { unitId: facts?.unitId, year: facts?.year, serviceId: facts?.serviceId });
  return facts;
}

/**
 * At the end of a service the serving officer (PEGAWAI, for themself or for no one) or the counter's
 * system (LAYANAN_INTERNAL, for any officer) asks for a code. Judged by person: a code can only
 * name, or be asked for by, an officer whose appraisal of that year is in the service's unit, so no
 * one outside the unit can hand out codes that feed its IKM.
 */
function issueCode(c: IssueFeedbackCode, ctx: DecisionContext): ServiceEvent[] {
  if (ctx.actor.role !== 'PEGAWAI' && ctx.actor.role !== 'LAYANAN_INTERNAL') {
    throw fail('ROLE_NOT_ALLOWED', { required: 'PEGAWAI or LAYANAN_INTERNAL', actual: ctx.actor.role });
  }
  const facts = requireDeclared(c.data.facts);
  const officerId = c.data.officerId === undefined ? undefined : requireNip(c.data.officerId, 'officerId');
  if (ctx.actor.role === 'PEGAWAI' && officerId !== undefined && officerId !== ctx.actor.id) {
    throw fail('NOT_THE_OFFICER', { actorId: ctx.actor.id, officerId });
  }
  const today = localDate(ctx.now, ctx.policy.timeZone);
  if (Number(today.slice(0, 4)) !== facts.year) throw fail('OUTSIDE_SERVICE_YEAR', { year: facts.year, today });
  const person = officerId ?? (ctx.actor.role === 'PEGAWAI' ? ctx.actor.id : undefined);
  if (person !== undefined && facts.officerUnitId !== facts.unitId) {
    throw fail('OFFICER_NOT_IN_UNIT', { officerId: person, unitId: facts.unitId, year: facts.year, officerUnitId: facts.officerUnitId });
  }
  if (typeof c.data.codeHash !== 'string' || !SHA256.test(c.data.codeHash)) throw fail('INVALID_SHA256', { field: 'codeHash' });
  const expiresAt = new Date(Date.parse(ctx.now) + ctx.policy.feedbackCodeValidDays * DAY_MS).toISOString();
  const data = {
    unitId: facts.unitId,
    year: facts.year,
    serviceId: facts.serviceId,
    codeHash: c.data.codeHash,
    ...(officerId !== undefined && { officerId }),
    period: quarterOf(today),
    expiresAt,
  };
  return [{ type: 'FeedbackCodeIssued', data }];
}

function requireScores(value: unknown): SkmScores {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail('INVALID_SCORE', { field: 'scores' });
  const scores = value as Record<string, unknown>;
  const extra = Object.keys(scores).filter((k) => !(SKM_ELEMENTS as readonly string[]).includes(k));
  if (extra.length > 0) throw fail('INVALID_SCORE', { field: `scores.${extra[0]}`, allowed: SKM_ELEMENTS });
  for (const element of SKM_ELEMENTS) {
    const score = scores[element];
    if (typeof score !== 'number' || !Number.isInteger(score) || score < SKM_MIN_SCORE || score > SKM_MAX_SCORE) {
      throw fail('INVALID_SCORE', { field: `scores.${element}`, value: score, min: SKM_MIN_SCORE, max: SKM_MAX_SCORE });
    }
  }
  return Object.fromEntries(SKM_ELEMENTS.map((e) => [e, scores[e]])) as SkmScores;
}

/**
 * One feedback per code, before it expires. An unknown, used or expired code is refused and nothing
 * is stored. The comment is masked for personal data (the one declared change; `masked` records it).
 */
function submitFeedback(c: SubmitPublicFeedback, state: ServiceState, ctx: DecisionContext): ServiceEvent[] {
  requireRole(ctx, 'MASYARAKAT');
  const code = typeof c.data.codeHash === 'string' ? (state.codes[c.data.codeHash] as IssuedCode | undefined) : undefined;
  const facts = c.data.facts;
  if (code === undefined || facts === undefined) throw fail('FEEDBACK_CODE_UNKNOWN');
  if (code.used) throw fail('FEEDBACK_CODE_USED');
  if (Date.parse(ctx.now) > Date.parse(code.expiresAt)) throw fail('FEEDBACK_CODE_EXPIRED', { expiresAt: code.expiresAt });
  const scores = requireScores(c.data.scores);
  optionalText(c.data.comment, 'comment', COMMENT_MAX);
  const data: PublicFeedbackReceived['data'] = {
    unitId: facts.unitId,
    year: facts.year,
    serviceId: facts.serviceId,
    feedbackId: requireText(c.data.feedbackId, 'feedbackId'),
    codeHash: c.data.codeHash,
    period: code.period,
    ...(code.officerId !== null && { officerId: code.officerId }),
    scores,
  };
  // A blank comment says nothing: it is left out rather than stored as an empty string.
  if (c.data.comment !== undefined && c.data.comment.trim() !== '') {
    const { text, masked } = maskPersonalData(c.data.comment);
    data.comment = text;
    if (masked.length > 0) data.masked = masked;
  }
  return [{ type: 'PublicFeedbackReceived', data }];
}

/** Only the officer the code named answers a comment about them. */
function respond(c: RespondToPublicFeedback, state: ServiceState, ctx: DecisionContext): ServiceEvent[] {
  requireRole(ctx, 'PEGAWAI');
  const feedback = state.feedback[c.data.feedbackId] as ReceivedFeedback | undefined;
  if (feedback === undefined || !feedback.hasComment) throw fail('PUBLIC_FEEDBACK_NOT_FOUND', { feedbackId: c.data.feedbackId });
  if (feedback.officerId !== ctx.actor.id) throw fail('NOT_THE_OFFICER', { actorId: ctx.actor.id });
  return [{ type: 'PublicFeedbackResponded', data: { feedbackId: c.data.feedbackId, text: requireText(c.data.text, 'text') } }];
}
