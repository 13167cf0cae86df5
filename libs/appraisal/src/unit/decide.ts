import { actAs, refuseAuditor, requireRole } from '../authorise';
import type { FinaliseUnit, FinaliseUnitWithException, OpenUnit, SetOrganisationalPredicate, UnitCommand } from '../commands';
import type { DecisionContext } from '../decider';
import { fail } from '../error-codes';
import type { BoundCheck, UnitEvent } from '../events';
import { unknownCommand } from '../exhaustive';
import { LIMITS, requireId, requireNip, requireOneOf, requirePeriod, requireText, requireYear } from '../guards';
import { ORG_PREDICATES, type Period } from '../vocabulary';
import { checkFinalisation } from './finalisation';
import type { UnitState } from './state';

export function decideUnit(command: UnitCommand, s: UnitState, ctx: DecisionContext): UnitEvent[] {
  refuseAuditor(ctx);
  if (command.type !== 'OpenUnit' && !s.opened) throw fail('UNIT_NOT_FOUND');
  switch (command.type) {
    case 'OpenUnit': return openUnit(command, s, ctx);
    case 'SetOrganisationalPredicate': return setOrganisationalPredicate(command, s, ctx);
    case 'FinaliseUnit': return finaliseUnit(command, s, ctx);
    case 'FinaliseUnitWithException': return finaliseWithException(command, s, ctx);
    default: return unknownCommand(command);
  }
}

function openUnit(c: OpenUnit, s: UnitState, ctx: DecisionContext): UnitEvent[] {
  requireRole(ctx, 'PENGELOLA_KINERJA');
  if (s.opened) throw fail('UNIT_ALREADY_OPENED', { unitId: s.unitId, year: s.year });
  const leaderId = requireNip(c.data.leaderId, 'leaderId');
  const upperLeaderId = requireNip(c.data.upperLeaderId, 'upperLeaderId');
  if (leaderId === upperLeaderId) throw fail('LEADERS_NOT_DISTINCT', { leaderId, upperLeaderId });
  const data = {
    unitId: requireId(c.data.unitId, 'unitId'),
    year: requireYear(c.data.year),
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

/** Changeable until the period is finalised; every change is its own event. */
function setOrganisationalPredicate(c: SetOrganisationalPredicate, s: UnitState, ctx: DecisionContext): UnitEvent[] {
  actAs(ctx, 'PIMPINAN_UNIT', s.leaderId, 'NOT_THE_UNIT_LEADER');
  const period = requireOpenPeriod(s, c.data.period, ctx);
  const predicate = requireOneOf(c.data.predicate, ORG_PREDICATES, 'predicate');
  return [{ type: 'OrganisationalPredicateSet', data: { period, predicate } }];
}

function finaliseUnit(c: FinaliseUnit, s: UnitState, ctx: DecisionContext): UnitEvent[] {
  actAs(ctx, 'PIMPINAN_UNIT', s.leaderId, 'NOT_THE_UNIT_LEADER');
  const period = requireOpenPeriod(s, c.data.period, ctx);
  const result = checkFinalisation(s, period, c.data.members);
  if (result.failed.length > 0) {
    throw fail('DISTRIBUTION_NOT_FITTING', {
      period,
      organisationalPredicate: result.organisationalPredicate,
      failing: result.failed.map(({ rule, description, count, n, threshold, comparison }) => ({ rule, description, comparison, count, n, threshold })),
    }, `The predicates do not fit the pattern of ${result.organisationalPredicate}: ${result.failed.map(describeFailure).join('; ')}.`);
  }
  const { failed: _failed, ...data } = result;
  return [{ type: 'UnitFinalised', data }];
}

/** The leader one level up records an explicit, reasoned exception, only where one is needed. */
function finaliseWithException(c: FinaliseUnitWithException, s: UnitState, ctx: DecisionContext): UnitEvent[] {
  actAs(ctx, 'PIMPINAN_UNIT', s.upperLeaderId, 'NOT_THE_UPPER_LEADER');
  const period = requireOpenPeriod(s, c.data.period, ctx);
  const reason = requireText(c.data.reason, 'reason');
  const result = checkFinalisation(s, period, c.data.members);
  if (result.failed.length === 0) throw fail('EXCEPTION_NOT_NEEDED', { period, organisationalPredicate: result.organisationalPredicate });
  const { failed, ...data } = result;
  return [{ type: 'UnitFinalised', data: { ...data, exception: { reason, failedRules: failed.map((b) => b.rule) } } }];
}

/** "at least 60% BUTUH_PERBAIKAN: 1 of 4" — which bound failed, with the counts (DOMAIN.md step 5). */
const describeFailure = (b: BoundCheck): string => `${b.description}: ${b.count} of ${b.n}`;
