import type { BoundCheck } from '../events';
import { fail } from '../error-codes';
import { unreachable } from '../exhaustive';
import { PREDICATES, type OrgPredicate, type Predicate } from '../vocabulary';

type Comparison = BoundCheck['comparison'];
interface Bound {
  rule: string;
  description: string;
  predicates: Predicate[];
  comparison: Comparison;
  /** Whole percent; comparisons multiply instead of dividing, so no float ever decides. */
  percent: number;
}

const bound = (rule: string, description: string, comparison: Comparison, percent: number, ...predicates: Predicate[]): Bound => ({
  rule,
  description,
  comparison,
  percent,
  predicates,
});

/** SE MenPANRB 3/2023: the pattern of employee predicates each organisational predicate allows. */
const PATTERNS: Record<OrgPredicate, Bound[]> = {
  ISTIMEWA: [bound('ISTIMEWA_MAX_70_PCT_SANGAT_BAIK', 'at most 70% SANGAT_BAIK', 'AT_MOST', 70, 'SANGAT_BAIK')],
  BAIK: [
    bound('BAIK_MAX_70_PCT_BAIK', 'at most 70% BAIK', 'AT_MOST', 70, 'BAIK'),
    bound(
      'BAIK_MIN_ONE_BUTUH_PERBAIKAN_OR_KURANG',
      'at least one BUTUH_PERBAIKAN or KURANG',
      'AT_LEAST_ONE',
      0,
      'BUTUH_PERBAIKAN',
      'KURANG',
    ),
  ],
  BUTUH_PERBAIKAN: [
    bound('BUTUH_PERBAIKAN_MIN_60_PCT_BUTUH_PERBAIKAN', 'at least 60% BUTUH_PERBAIKAN', 'AT_LEAST', 60, 'BUTUH_PERBAIKAN'),
    bound('BUTUH_PERBAIKAN_MAX_10_PCT_SANGAT_BAIK', 'at most 10% SANGAT_BAIK', 'AT_MOST', 10, 'SANGAT_BAIK'),
  ],
  KURANG: [
    bound('KURANG_MIN_60_PCT_KURANG', 'at least 60% KURANG', 'AT_LEAST', 60, 'KURANG'),
    bound('KURANG_MIN_10_PCT_BUTUH_PERBAIKAN', 'at least 10% BUTUH_PERBAIKAN', 'AT_LEAST', 10, 'BUTUH_PERBAIKAN'),
    bound('KURANG_MAX_10_PCT_SANGAT_BAIK', 'at most 10% SANGAT_BAIK', 'AT_MOST', 10, 'SANGAT_BAIK'),
  ],
  SANGAT_KURANG: [
    bound('SANGAT_KURANG_MIN_60_PCT_SANGAT_KURANG', 'at least 60% SANGAT_KURANG', 'AT_LEAST', 60, 'SANGAT_KURANG'),
    bound(
      'SANGAT_KURANG_MIN_10_PCT_KURANG_OR_BUTUH_PERBAIKAN',
      'at least 10% KURANG or BUTUH_PERBAIKAN',
      'AT_LEAST',
      10,
      'KURANG',
      'BUTUH_PERBAIKAN',
    ),
    bound('SANGAT_KURANG_NO_SANGAT_BAIK', 'no SANGAT_BAIK', 'NONE', 0, 'SANGAT_BAIK'),
  ],
};

function holds(comparison: Comparison, count: number, n: number, percent: number): boolean {
  switch (comparison) {
    case 'AT_MOST':
      return count * 100 <= percent * n;
    case 'AT_LEAST':
      return count * 100 >= percent * n;
    case 'AT_LEAST_ONE':
      return count >= 1;
    case 'NONE':
      return count === 0;
    default:
      return unreachable(comparison, 'comparison');
  }
}

export function countPredicates(predicates: Predicate[]): Record<Predicate, number> {
  const counts = Object.fromEntries(PREDICATES.map((p) => [p, 0])) as Record<Predicate, number>;
  for (const p of predicates) {
    if (!PREDICATES.includes(p)) throw fail('INVALID_VALUE', { field: 'predicate', value: p, allowed: PREDICATES });
    counts[p] += 1;
  }
  return counts;
}

/** Every bound of the pattern, each with its count, n and outcome; the caller decides what a failure means. */
export function checkDistribution(org: OrgPredicate, counts: Record<Predicate, number>, n: number): BoundCheck[] {
  const pattern = PATTERNS[org];
  if (!pattern) throw fail('INVALID_VALUE', { field: 'organisationalPredicate', value: org });
  if (!Number.isInteger(n) || n < 0) throw fail('INVALID_NUMBER', { field: 'n', value: n, min: 0 });
  return pattern.map((b) => {
    const count = b.predicates.reduce((sum, p) => sum + (counts[p] ?? 0), 0);
    return {
      rule: b.rule,
      description: b.description,
      predicates: [...b.predicates],
      comparison: b.comparison,
      threshold: b.percent / 100,
      count,
      n,
      ok: holds(b.comparison, count, n, b.percent),
    };
  });
}
