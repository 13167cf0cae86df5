import { actAs, refuseAuditor, requireRole } from '../authorise';
import type {
  DeclareService,
  FinaliseUnit,
  FinaliseUnitWithException,
  OpenUnit,
  SetOrganisationalPredicate,
  UnitCommand,
} from '../commands';
import type { Actor } from '../vocabulary';
import type { DecisionContext } from '../decider';
import { fail } from '../error-codes';
import type { BoundCheck, CitedIkm, OrganisationalPredicateSet, UnitEvent } from '../events';
import { unknownCommand } from '../exhaustive';
import {
  LIMITS,
  optionalText,
  requireDocument,
  requireEvaluationOpen,
  requireId,
  requireNip,
  requireOneOf,
  requirePeriod,
  requireText,
  requireYear,
  requireYearNotAhead,
} from '../guards';
import { checkDistribution, countPredicates } from '../rules/distribution';
import { ORG_PREDICATES, type Period } from '../vocabulary';
import { checkFinalisation } from './finalisation';
import type { UnitState } from './state';

export function decideUnit(command: UnitCommand, s: UnitState, ctx: DecisionContext): UnitEvent[] {
  refuseAuditor(ctx);
  if (command.type !== 'OpenUnit' && !s.opened) throw fail('UNIT_NOT_FOUND');
  switch (command.type) {
    case 'OpenUnit':
      return openUnit(command, s, ctx);
    case 'SetOrganisationalPredicate':
      return setOrganisationalPredicate(command, s, ctx);
    case 'FinaliseUnit':
      return finaliseUnit(command, s, ctx);
    case 'FinaliseUnitWithException':
      return finaliseWithException(command, s, ctx);
    case 'DeclareService':
      return declareService(command, s, ctx);
    default:
      return unknownCommand(command);
  }
}

function openUnit(c: OpenUnit, s: UnitState, ctx: DecisionContext): UnitEvent[] {
  requireRole(ctx, 'PENGELOLA_KINERJA');
  if (s.opened) throw fail('UNIT_ALREADY_OPENED', { unitId: s.unitId, year: s.year });
  const leaderId = requireNip(c.data.leaderId, 'leaderId');
  const upperLeaderId = requireNip(c.data.upperLeaderId, 'upperLeaderId');
  if (leaderId === upperLeaderId) throw fail('LEADERS_NOT_DISTINCT', { leaderId, upperLeaderId });
  const year = requireYear(c.data.year);
  requireYearNotAhead(year, ctx);
  const data = {
    unitId: requireId(c.data.unitId, 'unitId'),
    year,
    name: requireText(c.data.name, 'name', LIMITS.name),
    leaderId,
    upperLeaderId,
  };
  return [{ type: 'UnitOpened', data }];
}

function requireOpenPeriod(s: UnitState, period: unknown, ctx: DecisionContext): Period {
  const p = requirePeriod(period, ctx.policy);
  if (s.periods[p].finalisation) throw fail('PERIOD_ALREADY_FINALISED', { period: p });
  return p;
}

/**
 * SE MenPANRB 3/2023 puts the organisational predicate first: set on its basis (the organisational
 * achievement document) before the appraisers rate. Until finalisation it may still change, but once
 * any member is rated a change needs a reason, and the event records what the change did to the
 * pattern (the bounds the rated members failed under the old and under the new predicate), so a
 * change that turns a refusable finalisation into a passing one is visible beside the finalisation.
 */
function setOrganisationalPredicate(c: SetOrganisationalPredicate, s: UnitState, ctx: DecisionContext): UnitEvent[] {
  actAs(ctx, 'PIMPINAN_UNIT', s.leaderId, 'NOT_THE_UNIT_LEADER');
  const period = requireOpenPeriod(s, c.data.period, ctx);
  const predicate = requireOneOf(c.data.predicate, ORG_PREDICATES, 'predicate');
  const basis = requireDocument(c.data.basis, 'basis');
  const ikm = citedIkm(c, period, ctx);
  const current = s.periods[period];
  if (
    current.orgPredicate === predicate &&
    current.basis?.uri === basis.uri &&
    current.basis.sha256 === basis.sha256 &&
    sameIkm(current.ikm ?? undefined, ikm)
  ) {
    throw fail('ORG_PREDICATE_UNCHANGED', { period, predicate });
  }
  const members = Array.isArray(c.data.members) ? c.data.members : [];
  const rated = members.flatMap((m) => (m.rating ? [m.rating.predicate] : []));
  const data: OrganisationalPredicateSet['data'] = { period, predicate, basis, ...(ikm !== undefined && { ikm }) };
  if (rated.length > 0 && current.orgPredicate !== null) {
    data.reason = requireText(c.data.reason, 'reason');
    const counts = countPredicates(rated);
    const failed = (p: typeof predicate) =>
      checkDistribution(p, counts, rated.length)
        .filter((b) => !b.ok)
        .map((b) => b.rule);
    data.change = {
      previousPredicate: current.orgPredicate,
      ratedCount: rated.length,
      memberCount: members.length,
      failedUnderPrevious: failed(current.orgPredicate),
      failedUnderNew: failed(predicate),
    };
  } else {
    optionalText(c.data.reason, 'reason');
    if (c.data.reason !== undefined) data.reason = c.data.reason;
  }
  return [{ type: 'OrganisationalPredicateSet', data }];
}

/**
 * Re-POSTing a finalised period completes deliveries a crash left out; only the people who may
 * finalise it may do so, only on the route that finalised it, and an exception only with the reason
 * it was recorded with (anything else would be a second, silently dropped decision).
 */
export function authoriseDeliveryCompletion(s: UnitState, period: Period, actor: Actor, exceptionReason: string | undefined): void {
  if (actor.role === 'AUDITOR') throw fail('AUDITOR_READ_ONLY', { role: actor.role });
  const exception = exceptionReason !== undefined;
  if (actor.role !== 'PIMPINAN_UNIT') throw fail('ROLE_NOT_ALLOWED', { required: 'PIMPINAN_UNIT', actual: actor.role });
  if (actor.id !== (exception ? s.upperLeaderId : s.leaderId)) {
    throw fail(exception ? 'NOT_THE_UPPER_LEADER' : 'NOT_THE_UNIT_LEADER', { actorId: actor.id });
  }
  const recorded = s.periods[period].finalisation?.exception;
  if ((recorded === undefined) !== !exception || (recorded !== undefined && recorded.reason !== exceptionReason)) {
    throw fail('PERIOD_ALREADY_FINALISED', { period, exception: recorded !== undefined });
  }
}

function finaliseUnit(c: FinaliseUnit, s: UnitState, ctx: DecisionContext): UnitEvent[] {
  actAs(ctx, 'PIMPINAN_UNIT', s.leaderId, 'NOT_THE_UNIT_LEADER');
  const period = requireOpenPeriod(s, c.data.period, ctx);
  requireEvaluationOpen(s.year, period, ctx);
  const result = checkFinalisation(s, period, c.data.members);
  if (result.failed.length > 0) {
    throw fail(
      'DISTRIBUTION_NOT_FITTING',
      {
        period,
        organisationalPredicate: result.organisationalPredicate,
        failing: result.failed.map(({ rule, description, count, n, threshold, comparison }) => ({
          rule,
          description,
          comparison,
          count,
          n,
          threshold,
        })),
      },
      `The predicates do not fit the pattern of ${result.organisationalPredicate}: ${result.failed.map(describeFailure).join('; ')}.`,
    );
  }
  const { failed: _failed, ...data } = result;
  return [{ type: 'UnitFinalised', data }];
}

/** The leader one level up records an explicit, reasoned exception, only where one is needed. */
function finaliseWithException(c: FinaliseUnitWithException, s: UnitState, ctx: DecisionContext): UnitEvent[] {
  actAs(ctx, 'PIMPINAN_UNIT', s.upperLeaderId, 'NOT_THE_UPPER_LEADER');
  const period = requireOpenPeriod(s, c.data.period, ctx);
  requireEvaluationOpen(s.year, period, ctx);
  const reason = requireText(c.data.reason, 'reason');
  const result = checkFinalisation(s, period, c.data.members);
  if (result.failed.length === 0) throw fail('EXCEPTION_NOT_NEEDED', { period, organisationalPredicate: result.organisationalPredicate });
  const { failed, ...data } = result;
  return [{ type: 'UnitFinalised', data: { ...data, exception: { reason, failedRules: failed.map((b) => b.rule) } } }];
}

/** A service id is a path segment of the public pages and of its stream: lower case, digits and dashes. */
export const SERVICE_ID = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

/** The performance manager, or this unit's own leader (by person), declares where the unit serves the public. */
function declareService(c: DeclareService, s: UnitState, ctx: DecisionContext): UnitEvent[] {
  if (ctx.actor.role === 'PIMPINAN_UNIT') actAs(ctx, 'PIMPINAN_UNIT', s.leaderId, 'NOT_THE_UNIT_LEADER');
  else requireRole(ctx, 'PENGELOLA_KINERJA');
  const serviceId = requireId(c.data.serviceId, 'serviceId');
  if (!SERVICE_ID.test(serviceId)) throw fail('INVALID_VALUE', { field: 'serviceId', value: serviceId, pattern: SERVICE_ID.source });
  if (serviceId in s.services) throw fail('SERVICE_ALREADY_DECLARED', { serviceId });
  return [{ type: 'ServiceDeclared', data: { serviceId, name: requireText(c.data.name, 'name', LIMITS.name) } }];
}

/** "at least 60% BUTUH_PERBAIKAN: 1 of 4" — which bound failed, with the counts (DOMAIN.md step 5). */
const describeFailure = (b: BoundCheck): string => `${b.description}: ${b.count} of ${b.n}`;

/**
 * The unit's IKM, when the leader cites it: the figure the handler computed from the unit's service
 * streams (never one a client sends), shown only from the policy's minimum number of responses,
 * like everywhere else: a figure of one or two citizens is not a unit's.
 */
function citedIkm(c: SetOrganisationalPredicate, period: Period, ctx: DecisionContext): CitedIkm | undefined {
  // A boolean by the DTO's validation: anything but true cites nothing.
  if (c.data.citeIkm !== true) return undefined;
  const ikm = c.data.unitIkm ?? null;
  if (ikm === null || ikm.responses < ctx.policy.feedbackMinimumResponses) {
    throw fail('IKM_NOT_AVAILABLE', { period, responses: ikm?.responses ?? 0, minimum: ctx.policy.feedbackMinimumResponses });
  }
  return { ikm: ikm.ikm, grade: ikm.grade, responses: ikm.responses, serviceIds: [...ikm.serviceIds] };
}

const sameIkm = (a: CitedIkm | undefined, b: CitedIkm | undefined): boolean =>
  a === undefined || b === undefined ? a === b : a.ikm === b.ikm && a.grade === b.grade && a.responses === b.responses;
