import { fail } from '../error-codes';
import { PREDICATES, type Predicate } from '../vocabulary';

/** Share of the annual coefficient credited per predicate, in whole percent (PermenPANRB 1/2023). */
const CREDIT_PERCENT: Record<Predicate, number> = {
  SANGAT_BAIK: 150,
  BAIK: 100,
  BUTUH_PERBAIKAN: 75,
  KURANG: 50,
  SANGAT_KURANG: 25,
};

/** Credit points, rounded to 3 decimals so that e.g. 12.5 × 75% never shows float noise. */
export function creditPoints(annualCoefficient: number, predicate: Predicate): number {
  if (typeof annualCoefficient !== 'number' || !Number.isFinite(annualCoefficient) || annualCoefficient < 0) {
    throw fail('INVALID_NUMBER', { field: 'annualCoefficient', value: annualCoefficient, min: 0 });
  }
  const percent = CREDIT_PERCENT[predicate];
  if (percent === undefined) throw fail('INVALID_VALUE', { field: 'predicate', value: predicate, allowed: PREDICATES });
  return Math.round(annualCoefficient * percent * 10) / 1000;
}

export type FollowUpFlag = 'TALENT_POOL_PRIORITY' | 'DEVELOPMENT_PRIORITY' | 'NON_PERFORMANCE';

const NON_PERFORMING: Predicate[] = ['BUTUH_PERBAIKAN', 'KURANG', 'SANGAT_KURANG'];

/**
 * The flags the ledger raises for people to act on (it decides nothing). When a year appears
 * more than once, the last entry counts: it is the latest (e.g. amended) annual result.
 */
export function followUpFlags(annual: { year: number; predicate: Predicate }[], year: number): FollowUpFlag[] {
  const of = (y: number): Predicate | undefined => [...annual].reverse().find((a) => a.year === y)?.predicate;
  const current = of(year);
  if (current === undefined) return [];
  const previous = of(year - 1);
  const flags: FollowUpFlag[] = [];
  if (current === 'SANGAT_BAIK' && previous === 'SANGAT_BAIK') flags.push('TALENT_POOL_PRIORITY');
  if (current === 'BAIK' && previous === 'BAIK') flags.push('DEVELOPMENT_PRIORITY');
  if (NON_PERFORMING.includes(current)) flags.push('NON_PERFORMANCE');
  return flags;
}
