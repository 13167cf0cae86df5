import { checkDistribution, countPredicates, type BoundCheck, type OrgPredicate, type Period, type Predicate } from '@ledger/appraisal';
import type { AppraisalView } from './appraisal-view';
import type { FinalisationView, OrgPredicateSettingView, UnitDoc } from './units';

export interface UnitMemberView {
  appraisalId: string;
  employeeNip: string;
  employeeName: string;
  appraiserId: string;
  /** In force now (null = not rated yet). */
  predicate: Predicate | null;
  /** As recorded by the finalisation (null = not finalised, or not among the checked). */
  predicateAtFinalisation: Predicate | null;
  amendedAfterFinalisation: boolean;
}

export interface UnitAmendment {
  appraisalId: string;
  employeeNip: string;
  from: Predicate;
  to: Predicate;
  decidedAt: string;
}

/** One unit in one period: the recorded facts next to the distribution as it stands now. */
export interface UnitPeriodComposite {
  unitId: string;
  year: number;
  name: string;
  period: Period;
  organisationalPredicate: OrgPredicate | null;
  members: UnitMemberView[];
  /** Current predicates; n counts every member appraisal (percentages are of all of them). */
  counts: Record<Predicate, number>;
  n: number;
  rated: number;
  allRated: boolean;
  /** Against the pattern of the organisational predicate; [] while none is set. */
  bounds: BoundCheck[];
  /** null while no organisational predicate is set. */
  fits: boolean | null;
  finalisation: FinalisationView | null;
  exception: { reason: string; failedRules: string[] } | null;
  /** Every setting of the organisational predicate for the period, with reason, basis and flag. */
  organisationalPredicateHistory: OrgPredicateSettingView[];
  /** True when a setting changed the predicate after members were rated (shown beside the finalisation). */
  organisationalPredicateChangedAfterRating: boolean;
  /** True when such a change let a distribution that failed the previous pattern pass the new one. */
  organisationalPredicateEscapedPattern: boolean;
  amendmentsAfterFinalisation: UnitAmendment[];
}

/** Pure composition for the unit screen; `members` are the unit's `appraisals` docs for that year. */
export function composeUnitView(unit: UnitDoc, members: AppraisalView[], period: Period): UnitPeriodComposite {
  const facts = unit.periods[period];
  const finalisation = facts?.finalised ?? null;
  const org = facts?.organisationalPredicate ?? null;
  const history = facts?.organisationalPredicateHistory ?? [];
  const checked = new Map((finalisation?.checked ?? []).map((c) => [c.appraisalId, c.predicate]));

  const own = members
    .filter((m) => m.unitId === unit.unitId && m.year === unit.year)
    .sort((a, b) => a.appraisalId.localeCompare(b.appraisalId));
  const amendments: UnitAmendment[] = [];
  const memberViews = own.map((m): UnitMemberView => {
    const decision = m.periods[period]?.objection?.decision ?? null;
    const amended = finalisation !== null && decision !== null && decision.outcome === 'AMENDED';
    const predicateAtFinalisation = checked.get(m.appraisalId) ?? null;
    if (amended) {
      const from = predicateAtFinalisation ?? decision.previousPredicate;
      amendments.push({ appraisalId: m.appraisalId, employeeNip: m.employeeNip, from, to: decision.predicate, decidedAt: decision.at });
    }
    return {
      appraisalId: m.appraisalId,
      employeeNip: m.employeeNip,
      employeeName: m.employeeName,
      appraiserId: m.appraiserId,
      predicate: m.predicates[period] ?? null,
      predicateAtFinalisation,
      amendedAfterFinalisation: amended,
    };
  });

  const current = memberViews.flatMap((m) => (m.predicate === null ? [] : [m.predicate]));
  const counts = countPredicates(current);
  const n = memberViews.length;
  const bounds = org === null ? [] : checkDistribution(org, counts, n);
  return {
    unitId: unit.unitId,
    year: unit.year,
    name: unit.name,
    period,
    organisationalPredicate: org,
    members: memberViews,
    counts,
    n,
    rated: current.length,
    allRated: current.length === n,
    bounds,
    fits: org === null ? null : bounds.every((b) => b.ok),
    finalisation,
    exception: finalisation?.exception ?? null,
    organisationalPredicateHistory: history,
    organisationalPredicateChangedAfterRating: history.some((h) => h.flag !== null),
    organisationalPredicateEscapedPattern: history.some((h) => h.flag === 'ESCAPES_PATTERN'),
    amendmentsAfterFinalisation: amendments,
  };
}
