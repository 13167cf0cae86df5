import type { UnitFacts } from '../commands';
import type { CitedIkm, UnitEvent, UnitFinalised } from '../events';
import { ignoreUnknownEvent } from '../exhaustive';
import { PERIODS, type DocumentRef, type OrgPredicate, type Period } from '../vocabulary';

export interface UnitPeriodState {
  orgPredicate: OrgPredicate | null;
  /** The organisational achievement the predicate rests on (absent on schema-version-1 events). */
  basis: DocumentRef | null;
  /** The unit's IKM cited beside the basis (v3), if it was. */
  ikm: CitedIkm | null;
  /** The finalisation as recorded (what was checked, counts, bounds, any exception). */
  finalisation: UnitFinalised['data'] | null;
}

export interface UnitState {
  opened: boolean;
  unitId: string;
  year: number;
  name: string;
  leaderId: string;
  upperLeaderId: string;
  periods: Record<Period, UnitPeriodState>;
  /** Declared services by id: where the unit serves the public (SKM feedback). */
  services: Record<string, { name: string }>;
}

export function initialUnitState(): UnitState {
  return {
    opened: false,
    unitId: '',
    year: 0,
    name: '',
    leaderId: '',
    upperLeaderId: '',
    periods: Object.fromEntries(PERIODS.map((p) => [p, { orgPredicate: null, basis: null, ikm: null, finalisation: null }])) as Record<
      Period,
      UnitPeriodState
    >,
    services: {},
  };
}

const withPeriod = (s: UnitState, period: Period, change: Partial<UnitPeriodState>): UnitState => ({
  ...s,
  periods: { ...s.periods, [period]: { ...s.periods[period], ...change } },
});

export function evolveUnit(s: UnitState, event: UnitEvent): UnitState {
  switch (event.type) {
    case 'UnitOpened': {
      const { unitId, year, name, leaderId, upperLeaderId } = event.data;
      return { ...s, unitId, year, name, leaderId, upperLeaderId, opened: true };
    }
    case 'OrganisationalPredicateSet':
      return withPeriod(s, event.data.period, {
        orgPredicate: event.data.predicate,
        basis: event.data.basis ?? null,
        ikm: event.data.ikm ?? null,
      });
    case 'UnitFinalised':
      return withPeriod(s, event.data.period, { finalisation: event.data });
    case 'ServiceDeclared':
      return { ...s, services: { ...s.services, [event.data.serviceId]: { name: event.data.name } } };
    default:
      return ignoreUnknownEvent(s, event);
  }
}

/** What appraisal decisions may know of a unit stream: null when the unit was never opened. */
export function unitFacts(s: UnitState): UnitFacts | null {
  if (!s.opened) return null;
  const orgPredicates: UnitFacts['orgPredicates'] = {};
  for (const p of PERIODS) {
    const predicate = s.periods[p].orgPredicate;
    if (predicate !== null) orgPredicates[p] = predicate;
  }
  const finalisedPeriods = PERIODS.filter((p) => s.periods[p].finalisation !== null);
  const checkedAppraisalIds = [
    ...new Set(finalisedPeriods.flatMap((p) => s.periods[p].finalisation?.checked.map((c) => c.appraisalId) ?? [])),
  ];
  return { unitId: s.unitId, year: s.year, orgPredicates, finalisedPeriods, checkedAppraisalIds };
}
