import { PREDICATES, RATINGS, countPredicates, type Period, type Predicate, type Rating } from '@ledger/appraisal';
import type { AppraisalView } from '@ledger/read-models';

/**
 * How one appraiser rates, next to the units they rate in and the whole agency, for one period
 * [beyond: DOMAIN.md "raters' patterns become visible"]. Leniency and central tendency show as a
 * predicate mix far from the comparison groups; halo and personal bias show as systematic gaps
 * between the appraiser's behaviour rating and the 360 peers' or the employee's own view.
 * Facts only: counts, shares and gaps; the ledger draws no conclusion about a person.
 */
export interface Distribution {
  n: number;
  counts: Record<Predicate, number>;
  /** count / n, rounded to 3 decimals (0 when n = 0). */
  shares: Record<Predicate, number>;
}

export interface RaterPatterns {
  appraiserId: string;
  year: number;
  period: Period;
  appraiser: Distribution;
  units: Array<{ unitId: string; all: Distribution; others: Distribution }>;
  agency: Distribution;
  /** Over the appraiser's rated appraisals that have the other view: how often the appraiser rated higher, the same, lower. */
  versusPeers: Comparison;
  versusSelf: Comparison;
}

export interface Comparison {
  compared: number;
  appraiserHigher: number;
  same: number;
  appraiserLower: number;
}

const rank = (r: Rating): number => RATINGS.length - 1 - RATINGS.indexOf(r);

export function distribution(predicates: readonly Predicate[]): Distribution {
  const counts = countPredicates([...predicates]);
  const n = predicates.length;
  const shares = Object.fromEntries(PREDICATES.map((p) => [p, n === 0 ? 0 : Math.round((1000 * counts[p]) / n) / 1000])) as Record<
    Predicate,
    number
  >;
  return { n, counts, shares };
}

/**
 * `minimumGroup` (policy surveyMinimumGroup): an appraisal whose period has fewer 360 surveys has no
 * peer view here, since its "most common answer" would be one or two raters' own answers.
 */
export function raterPatterns(
  appraiserId: string,
  year: number,
  period: Period,
  agencyYear: readonly AppraisalView[],
  minimumGroup: number,
): RaterPatterns {
  const rated = agencyYear.filter((v) => v.periods[period]?.rating);
  const predicateOf = (v: AppraisalView): Predicate => v.predicates[period] ?? (v.periods[period]?.rating?.predicate as Predicate);
  const mine = rated.filter((v) => v.appraiserId === appraiserId);
  const unitIds = [...new Set(mine.map((v) => v.unitId))].sort();
  return {
    appraiserId,
    year,
    period,
    appraiser: distribution(mine.map(predicateOf)),
    units: unitIds.map((unitId) => {
      const inUnit = rated.filter((v) => v.unitId === unitId);
      return {
        unitId,
        all: distribution(inUnit.map(predicateOf)),
        others: distribution(inUnit.filter((v) => v.appraiserId !== appraiserId).map(predicateOf)),
      };
    }),
    agency: distribution(rated.map(predicateOf)),
    versusPeers: compare(mine, period, (v) => modalPeerRating(v, period, minimumGroup)),
    versusSelf: compare(mine, period, (v) => v.periods[period]?.selfAssessment?.perilakuKerja ?? null),
  };
}

/** Compares the appraiser's behaviour rating (perilaku kerja) with another view of the same person. */
function compare(views: readonly AppraisalView[], period: Period, other: (v: AppraisalView) => Rating | null): Comparison {
  const result: Comparison = { compared: 0, appraiserHigher: 0, same: 0, appraiserLower: 0 };
  for (const v of views) {
    const theirs = other(v);
    const rating = v.periods[period]?.rating;
    if (theirs === null || !rating) continue;
    result.compared += 1;
    const gap = rank(rating.perilakuKerja) - rank(theirs);
    if (gap > 0) result.appraiserHigher += 1;
    else if (gap < 0) result.appraiserLower += 1;
    else result.same += 1;
  }
  return result;
}

function modalPeerRating(v: AppraisalView, period: Period, minimumGroup: number): Rating | null {
  const surveys = v.periods[period]?.surveys ?? [];
  if (surveys.length === 0 || surveys.length < minimumGroup) return null;
  const answers = surveys.flatMap((s) => Object.values(s.answers));
  const counts = RATINGS.map((r) => answers.filter((a) => a === r).length);
  return RATINGS[counts.indexOf(Math.max(...counts))];
}
