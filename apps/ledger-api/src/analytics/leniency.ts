import type { Predicate } from '@ledger/appraisal';

/**
 * The ordinal-to-numeric scale the leniency index reads predicates on: one step per predicate, in the
 * order the credit points rank them (PermenPANRB 6/2022: 150%, 100%, 75%, 50%, 25%). A difference of
 * 1.0 means "one predicate higher on average"; equal steps are a choice, stated, not a law.
 */
export const PREDICATE_SCORE: Record<Predicate, number> = {
  SANGAT_BAIK: 5,
  BAIK: 4,
  BUTUH_PERBAIKAN: 3,
  KURANG: 2,
  SANGAT_KURANG: 1,
};

/** Flag an appraiser at least this many predicate steps from the comparison, with a 95% interval that excludes 0. */
export const LENIENCY_FLAG_STEPS = 0.5;

export type LeniencyFlag = 'LENIENT' | 'SEVERE';

/**
 * How far one appraiser's mean predicate score sits from a comparison group's (the other appraisers of
 * the unit, or of the agency): index = mean(appraiser) − mean(comparison). Its uncertainty is Welch's:
 * SE = √(s²_a/n_a + s²_c/n_c) with sample variances, a 95% interval index ± t(0.975, df) · SE on the
 * Welch–Satterthwaite df (t from a table, df rounded down: never narrower than the exact interval).
 * Figures are rounded to 3 decimals; the counts say what they rest on.
 */
export interface Leniency {
  /** Appraisals the appraiser rated (in force in the period). */
  n: number;
  comparisonN: number;
  mean: number | null;
  comparisonMean: number | null;
  /** null when either side has no appraisal. */
  index: number | null;
  /** null when either side has fewer than 2 appraisals (no variance to estimate). */
  standardError: number | null;
  /** [low, high]; null with the standard error. */
  ci95: number[] | null;
  /** The rule: |index| ≥ LENIENCY_FLAG_STEPS and the 95% interval excludes 0. */
  flag: LeniencyFlag | null;
}

/** t(0.975, df) for df = 1..30, 40, 60, 120 and ∞ (any statistics table). */
const T975: ReadonlyArray<[number, number]> = [
  [1, 12.706],
  [2, 4.303],
  [3, 3.182],
  [4, 2.776],
  [5, 2.571],
  [6, 2.447],
  [7, 2.365],
  [8, 2.306],
  [9, 2.262],
  [10, 2.228],
  [11, 2.201],
  [12, 2.179],
  [13, 2.16],
  [14, 2.145],
  [15, 2.131],
  [16, 2.12],
  [17, 2.11],
  [18, 2.101],
  [19, 2.093],
  [20, 2.086],
  [21, 2.08],
  [22, 2.074],
  [23, 2.069],
  [24, 2.064],
  [25, 2.06],
  [26, 2.056],
  [27, 2.052],
  [28, 2.048],
  [29, 2.045],
  [30, 2.042],
  [40, 2.021],
  [60, 2.0],
  [120, 1.98],
  [Infinity, 1.96],
];

/** The table's t for the largest tabulated df not above `df` (conservative). */
export function t975(df: number): number {
  let t = T975[0][1];
  for (const [d, value] of T975) if (d <= Math.floor(df)) t = value;
  return t;
}

/** Half away from zero, so a gap and its mirror round alike. */
export const round3 = (x: number): number => (Math.sign(x) * Math.round(Math.abs(x) * 1000)) / 1000 + 0;
const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
const variance = (xs: readonly number[]): number => {
  const m = mean(xs);
  return xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1);
};

export function leniency(mine: readonly Predicate[], comparison: readonly Predicate[]): Leniency {
  const a = mine.map((p) => PREDICATE_SCORE[p]);
  const c = comparison.map((p) => PREDICATE_SCORE[p]);
  const base = { n: a.length, comparisonN: c.length };
  if (a.length === 0 || c.length === 0) {
    return {
      ...base,
      mean: a.length === 0 ? null : round3(mean(a)),
      comparisonMean: c.length === 0 ? null : round3(mean(c)),
      index: null,
      standardError: null,
      ci95: null,
      flag: null,
    };
  }
  const index = mean(a) - mean(c);
  const shown = { ...base, mean: round3(mean(a)), comparisonMean: round3(mean(c)), index: round3(index) };
  if (a.length < 2 || c.length < 2) return { ...shown, standardError: null, ci95: null, flag: null };
  const [va, vc] = [variance(a) / a.length, variance(c) / c.length];
  const se = Math.sqrt(va + vc);
  // Welch–Satterthwaite; with no spread on either side the interval is the point itself.
  const df = se === 0 ? Infinity : (va + vc) ** 2 / (va ** 2 / (a.length - 1) + vc ** 2 / (c.length - 1));
  const half = t975(df) * se;
  const [low, high] = [index - half, index + half];
  let flag: LeniencyFlag | null = null;
  if (index >= LENIENCY_FLAG_STEPS && low > 0) flag = 'LENIENT';
  if (index <= -LENIENCY_FLAG_STEPS && high < 0) flag = 'SEVERE';
  return { ...shown, standardError: round3(se), ci95: [round3(low), round3(high)], flag };
}
