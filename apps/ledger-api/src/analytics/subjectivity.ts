import type { Actor, Period, Predicate } from '@ledger/appraisal';
import type { AppraisalView, UnitDoc } from '@ledger/read-models';
import { groupFigureWithheldFor, raterIdsShownFor, readsAsEmployee, surveysCountedFor } from '../appraisals/queries/redaction';
import { distribution, raterPatterns, type Distribution, type RaterPatterns } from '../appraisers/rater-patterns';
import { agreementOf, raterAgreements, surveysOf, type Agreement, type RaterAgreement } from './agreement';
import { leniency, type Leniency } from './leniency';
import { allBaikOrBetter, NATIONAL_REFERENCE, versusNational, type VersusNational } from './national';

/**
 * The subjectivity analytics [beyond: DOMAIN.md "raters' patterns become visible"], composed from the
 * appraisal read models. Pure: the query handlers fetch, authorise and call these. Every figure over the
 * 360 goes through the redaction policy's analytics rules (surveysCountedFor, raterIdsShownFor,
 * groupFigureWithheldFor); none decides anonymity on its own.
 */
export const FLAG_KINDS = ['LENIENT_APPRAISER', 'SEVERE_APPRAISER', 'RATER_AGREES_WITH_NOBODY', 'ALL_BAIK_OR_BETTER'] as const;
export type FlagKind = (typeof FLAG_KINDS)[number];

export interface AnalyticsFlag {
  kind: FlagKind;
  /** The unit the flag is about or within (null: the agency as a whole). */
  unitId: string | null;
  /** The appraiser or rater flagged (null for a unit flag, and for a rater the reader may not know). */
  subjectId: string | null;
  detail: string;
}

export interface PeriodShares {
  period: Period;
  distribution: Distribution;
  versusNational: VersusNational | null;
  allBaikOrBetter: boolean;
}

export interface AppraiserLeniency {
  appraiserId: string;
  distribution: Distribution;
  /** Against every other appraiser's appraisals of the same group (unit or agency). */
  leniency: Leniency;
}

export interface AppraisalAgreement {
  appraisalId: string;
  employeeNip: string;
  appraiserId: string;
  period: Period;
  surveys: number;
  /** false: the reader is the appraisee and the answers are not pooled for them (below the minimum group, or not final). */
  shown: boolean;
  agreement: Agreement;
  /** Per rater, whom they agree with: only for readers who may know the raters, with 3 or more surveys. */
  raters: RaterAgreement[];
}

export interface GroupAgreement {
  /** false: withheld from a reader appraised in the group, since it rests on fewer raters than the minimum group. */
  shown: boolean;
  agreement: Agreement;
}

export interface RaterWithNobody {
  /** null when the reader is appraised in the group (raterIdsShownFor). */
  raterId: string | null;
  /** Appraisals where the rater was judged (3 or more surveys). */
  appraisalsJudged: number;
  agreedWithNobody: number;
}

export interface UnitAnalytics {
  unitId: string;
  year: number;
  name: string;
  period: Period;
  national: typeof NATIONAL_REFERENCE;
  byPeriod: PeriodShares[];
  appraisers: AppraiserLeniency[];
  agreement: GroupAgreement & { appraisals: AppraisalAgreement[] };
  raterIdsShown: boolean;
  ratersAgreeingWithNobody: RaterWithNobody[];
  flags: AnalyticsFlag[];
}

export interface AgencyAnalytics {
  year: number;
  period: Period;
  national: typeof NATIONAL_REFERENCE;
  byPeriod: PeriodShares[];
  units: Array<{
    unitId: string;
    name: string;
    distribution: Distribution;
    versusNational: VersusNational | null;
    allBaikOrBetter: boolean;
  }>;
  appraisers: AppraiserLeniency[];
  agreement: GroupAgreement;
  flags: AnalyticsFlag[];
}

export type AppraiserAnalytics = Omit<RaterPatterns, 'units'> & {
  /** null: every unit; else the units the reader leads, which the figures of the appraiser are limited to. */
  scope: string[] | null;
  units: Array<RaterPatterns['units'][number] & { leniency: Leniency }>;
  versusAgency: Leniency;
  flags: AnalyticsFlag[];
};

const predicateIn = (v: AppraisalView, period: Period): Predicate | null => v.predicates[period] ?? null;
const predicatesIn = (views: readonly AppraisalView[], period: Period): Predicate[] => views.flatMap((v) => predicateIn(v, period) ?? []);

export function periodShares(views: readonly AppraisalView[], periods: readonly Period[]): PeriodShares[] {
  return periods.map((period) => {
    const d = distribution(predicatesIn(views, period));
    return { period, distribution: d, versusNational: versusNational(d), allBaikOrBetter: allBaikOrBetter(d) };
  });
}

/** Each appraiser of the group against every other appraiser's appraisals of the group. */
export function appraiserLeniencies(views: readonly AppraisalView[], period: Period): AppraiserLeniency[] {
  const rated = views.filter((v) => predicateIn(v, period) !== null);
  const appraisers = [...new Set(rated.map((v) => v.appraiserId))].sort();
  return appraisers.map((appraiserId) => {
    const mine = predicatesIn(
      rated.filter((v) => v.appraiserId === appraiserId),
      period,
    );
    const others = predicatesIn(
      rated.filter((v) => v.appraiserId !== appraiserId),
      period,
    );
    return { appraiserId, distribution: distribution(mine), leniency: leniency(mine, others) };
  });
}

const withheld = (): Agreement => ({ ordinal: null, ordinalExact: null, nominal: null, raters: 0, pairableValues: 0, appraisals: 0 });

/** `idsShown`: whether the raters may be named to the reader, judged over the whole set the answer covers. */
export function appraisalAgreement(
  view: AppraisalView,
  period: Period,
  reader: Actor,
  minimumGroup: number,
  idsShown = raterIdsShownFor(reader, [view]),
): AppraisalAgreement {
  const surveys = surveysOf(view, period);
  const shown = surveysCountedFor(reader, view, period, minimumGroup);
  return {
    appraisalId: view.appraisalId,
    employeeNip: view.employeeNip,
    appraiserId: view.appraiserId,
    period,
    surveys: surveys.length,
    shown,
    agreement: shown ? agreementOf([surveys]) : withheld(),
    raters: shown && idsShown ? raterAgreements(surveys) : [],
  };
}

export function groupAgreement(views: readonly AppraisalView[], period: Period, reader: Actor, minimumGroup: number): GroupAgreement {
  const counted = views.filter((v) => surveysCountedFor(reader, v, period, minimumGroup));
  const agreement = agreementOf(counted.map((v) => surveysOf(v, period)));
  if (groupFigureWithheldFor(reader, views, agreement.raters, minimumGroup)) return { shown: false, agreement: withheld() };
  return { shown: true, agreement };
}

/** Raters who agreed with nobody in at least one appraisal of the group; never judged on the reader's own appraisal. */
export function ratersAgreeingWithNobody(views: readonly AppraisalView[], period: Period, reader: Actor): RaterWithNobody[] {
  const idsShown = raterIdsShownFor(reader, views);
  const tally = new Map<string, { judged: number; nobody: number }>();
  for (const v of views) {
    if (readsAsEmployee(reader, v.employeeNip)) continue;
    for (const r of raterAgreements(surveysOf(v, period))) {
      const t = tally.get(r.raterId) ?? { judged: 0, nobody: 0 };
      tally.set(r.raterId, { judged: t.judged + 1, nobody: t.nobody + (r.agreesWithNobody ? 1 : 0) });
    }
  }
  return [...tally.entries()]
    .filter(([, t]) => t.nobody > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([raterId, t]) => ({ raterId: idsShown ? raterId : null, appraisalsJudged: t.judged, agreedWithNobody: t.nobody }));
}

function leniencyFlags(appraisers: readonly AppraiserLeniency[], unitId: string | null, against: string): AnalyticsFlag[] {
  return appraisers.flatMap(({ appraiserId, leniency: l }) => {
    if (l.flag === null || l.ci95 === null) return [];
    return [
      {
        kind: l.flag === 'LENIENT' ? 'LENIENT_APPRAISER' : 'SEVERE_APPRAISER',
        unitId,
        subjectId: appraiserId,
        detail:
          `Mean predicate ${String(l.mean)} on ${l.n} appraisals against ${String(l.comparisonMean)} on ${l.comparisonN} of ${against}: ` +
          `${String(l.index)} steps, 95% interval ${l.ci95.join(' to ')}`,
      },
    ];
  });
}

function raterFlags(raters: readonly RaterWithNobody[], unitId: string): AnalyticsFlag[] {
  return raters.map((r) => ({
    kind: 'RATER_AGREES_WITH_NOBODY' as const,
    unitId,
    subjectId: r.raterId,
    detail: `Agreed with none of the other raters in ${r.agreedWithNobody} of ${r.appraisalsJudged} appraisals judged`,
  }));
}

const unitFlag = (unitId: string, d: Distribution, period: Period): AnalyticsFlag[] =>
  allBaikOrBetter(d)
    ? [
        {
          kind: 'ALL_BAIK_OR_BETTER',
          unitId,
          subjectId: null,
          detail: `All ${d.n} rated results of ${period} are BAIK or SANGAT_BAIK (${d.counts.SANGAT_BAIK} SANGAT_BAIK)`,
        },
      ]
    : [];

export function unitAnalytics(
  unit: UnitDoc,
  members: readonly AppraisalView[],
  period: Period,
  periods: readonly Period[],
  reader: Actor,
  minimumGroup: number,
): UnitAnalytics {
  const own = members
    .filter((m) => m.unitId === unit.unitId && m.year === unit.year)
    .sort((a, b) => a.appraisalId.localeCompare(b.appraisalId));
  const appraisers = appraiserLeniencies(own, period);
  const raters = ratersAgreeingWithNobody(own, period, reader);
  const withSurveys = own.filter((v) => surveysOf(v, period).length > 0);
  const idsShown = raterIdsShownFor(reader, own);
  return {
    unitId: unit.unitId,
    year: unit.year,
    name: unit.name,
    period,
    national: NATIONAL_REFERENCE,
    byPeriod: periodShares(own, periods),
    appraisers,
    agreement: {
      ...groupAgreement(own, period, reader, minimumGroup),
      appraisals: withSurveys.map((v) => appraisalAgreement(v, period, reader, minimumGroup, idsShown)),
    },
    raterIdsShown: idsShown,
    ratersAgreeingWithNobody: raters,
    flags: [
      ...unitFlag(unit.unitId, distribution(predicatesIn(own, period)), period),
      ...leniencyFlags(appraisers, unit.unitId, 'the other appraisers of the unit'),
      ...raterFlags(raters, unit.unitId),
    ],
  };
}

export function agencyAnalytics(
  year: number,
  units: readonly UnitDoc[],
  views: readonly AppraisalView[],
  period: Period,
  periods: readonly Period[],
  reader: Actor,
  minimumGroup: number,
): AgencyAnalytics {
  const unitRows = [...units]
    .sort((a, b) => a.unitId.localeCompare(b.unitId))
    .map((u) => {
      const d = distribution(
        predicatesIn(
          views.filter((v) => v.unitId === u.unitId),
          period,
        ),
      );
      return { unitId: u.unitId, name: u.name, distribution: d, versusNational: versusNational(d), allBaikOrBetter: allBaikOrBetter(d) };
    });
  const appraisers = appraiserLeniencies(views, period);
  return {
    year,
    period,
    national: NATIONAL_REFERENCE,
    byPeriod: periodShares(views, periods),
    units: unitRows,
    appraisers,
    agreement: groupAgreement(views, period, reader, minimumGroup),
    flags: [
      ...unitRows.flatMap((u) => unitFlag(u.unitId, u.distribution, period)),
      ...leniencyFlags(appraisers, null, 'the other appraisers of the agency'),
    ],
  };
}

/**
 * One appraiser against their units and the agency. `scope` (the units a unit leader leads) limits the
 * appraiser's own figures to those units; the agency's distribution stays the whole agency's.
 */
export function appraiserAnalytics(
  appraiserId: string,
  year: number,
  period: Period,
  agencyYear: readonly AppraisalView[],
  scope: readonly string[] | null,
  minimumGroup: number,
): AppraiserAnalytics {
  const inScope = (v: AppraisalView) => v.appraiserId !== appraiserId || scope === null || scope.includes(v.unitId);
  const scoped = agencyYear.filter(inScope);
  const patterns = raterPatterns(appraiserId, year, period, scoped, minimumGroup);
  const rated = scoped.filter((v) => predicateIn(v, period) !== null);
  const mine = rated.filter((v) => v.appraiserId === appraiserId);
  const units = patterns.units.map((u) => {
    const inUnit = rated.filter((v) => v.unitId === u.unitId);
    const l = leniency(
      predicatesIn(
        inUnit.filter((v) => v.appraiserId === appraiserId),
        period,
      ),
      predicatesIn(
        inUnit.filter((v) => v.appraiserId !== appraiserId),
        period,
      ),
    );
    return { ...u, leniency: l };
  });
  const versusAgency = leniency(
    predicatesIn(mine, period),
    predicatesIn(
      agencyYear.filter((v) => v.appraiserId !== appraiserId),
      period,
    ),
  );
  const flags = [
    ...units.flatMap((u) =>
      leniencyFlags([{ appraiserId, distribution: u.all, leniency: u.leniency }], u.unitId, 'the other appraisers of the unit'),
    ),
    ...leniencyFlags(
      [{ appraiserId, distribution: patterns.appraiser, leniency: versusAgency }],
      null,
      'the other appraisers of the agency',
    ),
  ];
  return {
    ...patterns,
    agency: distribution(predicatesIn(agencyYear, period)),
    scope: scope === null ? null : [...scope].sort(),
    units,
    versusAgency,
    flags,
  };
}
