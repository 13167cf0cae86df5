/**
 * Krippendorff's alpha, computed exactly as K. Krippendorff, "Computing Krippendorff's Alpha-Reliability"
 * (2011, https://repository.upenn.edu/asc_papers/43) defines it: the coincidence matrix of the pairable
 * values, the metric's squared difference δ², and α = 1 − D_o / D_e = 1 − (n − 1) · Σ o_ck δ²_ck / Σ n_c n_k δ²_ck.
 * Missing data is allowed: a unit contributes only when it has at least two values (its pairable values).
 * Every step is in exact rational arithmetic (BigInt fractions), so the result is the exact fraction, and
 * the number given is that fraction's nearest double.
 */
export const METRICS = ['nominal', 'ordinal', 'interval', 'ratio'] as const;
export type Metric = (typeof METRICS)[number];

export interface AlphaResult {
  /** null when no pairable value varies (D_e = 0) or nothing is pairable: alpha is undefined then, not 1. */
  alpha: number | null;
  /** The exact value as "numerator/denominator" (null when alpha is). */
  exact: string | null;
  /** n: the values in units with at least two values (what the coincidence matrix holds). */
  pairableValues: number;
  /** Units with at least two values. */
  pairableUnits: number;
}

/** A non-negative-denominator fraction in lowest terms. */
class Fraction {
  private constructor(
    readonly num: bigint,
    readonly den: bigint,
  ) {}

  static of(num: bigint, den = 1n): Fraction {
    if (den === 0n) throw new Error('division by zero');
    const sign = den < 0n ? -1n : 1n;
    const g = gcd(num < 0n ? -num : num, den < 0n ? -den : den);
    return new Fraction((sign * num) / g, (sign * den) / g);
  }

  static readonly ZERO = Fraction.of(0n);

  plus(o: Fraction): Fraction {
    return Fraction.of(this.num * o.den + o.num * this.den, this.den * o.den);
  }
  minus(o: Fraction): Fraction {
    return Fraction.of(this.num * o.den - o.num * this.den, this.den * o.den);
  }
  times(o: Fraction): Fraction {
    return Fraction.of(this.num * o.num, this.den * o.den);
  }
  over(o: Fraction): Fraction {
    return Fraction.of(this.num * o.den, this.den * o.num);
  }
  isZero(): boolean {
    return this.num === 0n;
  }
  toNumber(): number {
    return Number(this.num) / Number(this.den);
  }
  toString(): string {
    return `${this.num.toString()}/${this.den.toString()}`;
  }
}

function gcd(a: bigint, b: bigint): bigint {
  let [x, y] = [a, b];
  while (y !== 0n) [x, y] = [y, x % y];
  return x === 0n ? 1n : x;
}

const whole = (value: number): Fraction => {
  if (!Number.isSafeInteger(value)) throw new Error(`alpha takes integer values, got ${String(value)}`);
  return Fraction.of(BigInt(value));
};

/** δ²(c, k) per metric (Krippendorff 2011, section C). `values` are the distinct values, ascending; `n` their marginals. */
function differenceFunction(metric: Metric, values: readonly number[], n: readonly Fraction[]): (i: number, j: number) => Fraction {
  switch (metric) {
    case 'nominal':
      return (i, j) => Fraction.of(i === j ? 0n : 1n);
    case 'ordinal':
      // (Σ_{g=c..k} n_g − (n_c + n_k) / 2)², over the ranks between c and k inclusive.
      return (i, j) => {
        const [lo, hi] = i <= j ? [i, j] : [j, i];
        let sum = Fraction.ZERO;
        for (let g = lo; g <= hi; g++) sum = sum.plus(n[g]);
        const d = sum.minus(n[lo].plus(n[hi]).over(Fraction.of(2n)));
        return d.times(d);
      };
    case 'interval':
      return (i, j) => {
        const d = whole(values[i]).minus(whole(values[j]));
        return d.times(d);
      };
    case 'ratio':
      return (i, j) => {
        const total = whole(values[i]).plus(whole(values[j]));
        if (total.isZero()) return Fraction.ZERO;
        const d = whole(values[i]).minus(whole(values[j])).over(total);
        return d.times(d);
      };
    default:
      return unreachable(metric);
  }
}

/**
 * `units`: per unit of analysis, the values the coders gave it (a missing value is simply absent).
 * Values are integers: categories for nominal, ranks for ordinal, magnitudes for interval and ratio.
 */
export function krippendorffAlpha(units: ReadonlyArray<readonly number[]>, metric: Metric): AlphaResult {
  const pairable = units.filter((u) => u.length >= 2);
  const values = [...new Set(pairable.flat())].sort((a, b) => a - b);
  const index = new Map(values.map((v, i) => [v, i]));
  const size = values.length;
  // Coincidence matrix: each ordered pair of values within a unit, weighted 1 / (m_u − 1).
  const o: Fraction[][] = values.map(() => values.map(() => Fraction.ZERO));
  for (const unit of pairable) {
    const weight = Fraction.of(1n, BigInt(unit.length - 1));
    for (const [a, x] of unit.entries()) {
      for (const [b, y] of unit.entries()) {
        if (a === b) continue;
        const [i, j] = [index.get(x) ?? 0, index.get(y) ?? 0];
        o[i][j] = o[i][j].plus(weight);
      }
    }
  }
  const marginals = o.map((row) => row.reduce((s, x) => s.plus(x), Fraction.ZERO));
  const n = marginals.reduce((s, x) => s.plus(x), Fraction.ZERO);
  const pairableValues = pairable.reduce((s, u) => s + u.length, 0);
  const result = { pairableValues, pairableUnits: pairable.length };
  if (pairable.length === 0) return { alpha: null, exact: null, ...result };
  const delta = differenceFunction(metric, values, marginals);
  let observed = Fraction.ZERO;
  let expected = Fraction.ZERO;
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const d = delta(i, j);
      observed = observed.plus(o[i][j].times(d));
      expected = expected.plus(marginals[i].times(marginals[j]).times(d));
    }
  }
  if (expected.isZero()) return { alpha: null, exact: null, ...result };
  const alpha = Fraction.of(1n).minus(n.minus(Fraction.of(1n)).times(observed).over(expected));
  return { alpha: alpha.toNumber(), exact: alpha.toString(), ...result };
}

function unreachable(value: never): never {
  throw new Error(`unhandled metric ${String(value)}`);
}
