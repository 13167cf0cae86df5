import type { Predicate } from '@ledger/appraisal';
import type { Distribution } from '../appraisers/rater-patterns';
import { round3 } from './leniency';

/**
 * The national picture a unit's or the agency's predicates are set against: of the appraisal reports of
 * 2022–2024, about 88% BAIK and 11% SANGAT_BAIK. Source: the figures as issue 9 ("The console…", part 4)
 * and DOMAIN.md ("Transparency") state them; they give no finer breakdown, so the remaining 1% stands for
 * every predicate below BAIK together. Shares, not counts: the reference has no n.
 */
export const NATIONAL_REFERENCE = {
  years: '2022–2024',
  source: 'Issue 9 and DOMAIN.md: "in 2022–2024 about 88% BAIK and 11% SANGAT_BAIK" (national appraisal reports)',
  shares: { SANGAT_BAIK: 0.11, BAIK: 0.88, BELOW_BAIK: 0.01 },
} as const;

export interface VersusNational {
  /** The group's share minus the national one, in shares (0.05 = five percentage points more). */
  SANGAT_BAIK: number;
  BAIK: number;
  /** BUTUH_PERBAIKAN, KURANG and SANGAT_KURANG together. */
  BELOW_BAIK: number;
}

const BELOW: readonly Predicate[] = ['BUTUH_PERBAIKAN', 'KURANG', 'SANGAT_KURANG'];

/** null for an empty group: no share to compare. Computed from the counts, rounded once. */
export function versusNational(d: Distribution): VersusNational | null {
  if (d.n === 0) return null;
  const below = BELOW.reduce((s, p) => s + d.counts[p], 0);
  return {
    SANGAT_BAIK: round3(d.counts.SANGAT_BAIK / d.n - NATIONAL_REFERENCE.shares.SANGAT_BAIK),
    BAIK: round3(d.counts.BAIK / d.n - NATIONAL_REFERENCE.shares.BAIK),
    BELOW_BAIK: round3(below / d.n - NATIONAL_REFERENCE.shares.BELOW_BAIK),
  };
}

/** The unit flag: every rated result of the group is BAIK or SANGAT_BAIK (at least one rated). */
export const allBaikOrBetter = (d: Distribution): boolean => d.n > 0 && d.counts.SANGAT_BAIK + d.counts.BAIK === d.n;
