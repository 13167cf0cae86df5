import { krippendorffAlpha, METRICS, type Metric } from './krippendorff';

/** Reliability data as coders × units (null = missing), turned into each unit's values. */
const byUnit = (coders: ReadonlyArray<ReadonlyArray<number | null>>): number[][] =>
  coders[0].map((_, u) => coders.flatMap((row) => (row[u] === null ? [] : [row[u]])));

const alpha3 = (units: number[][], metric: Metric) => Number(krippendorffAlpha(units, metric).alpha?.toFixed(3));

describe("Krippendorff's alpha", () => {
  // Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section E: 4 observers, 12 units,
  // values 1-5, missing data; the paper gives α nominal .743, ordinal .815, interval .849, ratio .797.
  const paper = byUnit([
    [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
    [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
  ]);

  it('matches the 2011 paper for every metric, to its 3 decimals', () => {
    expect(METRICS.map((m) => [m, alpha3(paper, m)])).toEqual([
      ['nominal', 0.743],
      ['ordinal', 0.815],
      ['interval', 0.849],
      ['ratio', 0.797],
    ]);
  });

  it('counts only pairable values: unit 12 has one value and drops out (n = 40 of 41 values)', () => {
    expect(krippendorffAlpha(paper, 'ordinal')).toMatchObject({ pairableValues: 40, pairableUnits: 11 });
    // By hand, as the paper does it: n_c = 9, 13, 10, 5, 3; off-diagonal coincidences 2 + 4 + 2 (units 2, 6, 8);
    // α = 1 − (40 − 1) · 8 / (40² − Σ n_c²) = 1 − 312 / 1216 = 113/152 = .7434.
    expect(krippendorffAlpha(paper, 'nominal').exact).toBe('113/152');
  });

  // Wikipedia, "Krippendorff's alpha", section "A computational example": 3 coders, 15 units, nominal α = 0.691.
  // The same data is the test case of the `krippendorff` Python package (pln-fing-udelar/fast-krippendorff,
  // tests/test_krippendorff.py), which also gives interval α = 0.810845 for it.
  const wikipedia = byUnit([
    [null, null, null, null, null, 3, 4, 1, 2, 1, 1, 3, 3, null, 3],
    [1, null, 2, 1, 3, 3, 4, 3, null, null, null, null, null, null, null],
    [null, null, 2, 1, 3, 4, 4, null, 2, 1, 1, 3, 3, null, 4],
  ]);

  it('matches the computational example of Wikipedia (nominal) and an independent implementation (interval)', () => {
    expect(krippendorffAlpha(wikipedia, 'nominal')).toEqual({ alpha: 56 / 81, exact: '56/81', pairableValues: 26, pairableUnits: 12 });
    expect(alpha3(wikipedia, 'nominal')).toBe(0.691);
    expect(Number(krippendorffAlpha(wikipedia, 'interval').alpha?.toFixed(6))).toBe(0.810845);
  });

  it('is 1 for perfect agreement and undefined (null) when nothing varies or nothing is pairable', () => {
    expect(
      krippendorffAlpha(
        [
          [1, 1],
          [2, 2, 2],
          [3, 3],
        ],
        'ordinal',
      ).alpha,
    ).toBe(1);
    expect(
      krippendorffAlpha(
        [
          [2, 2],
          [2, 2, 2],
        ],
        'ordinal',
      ),
    ).toEqual({ alpha: null, exact: null, pairableValues: 5, pairableUnits: 2 });
    expect(krippendorffAlpha([[1], [3], []], 'nominal')).toEqual({ alpha: null, exact: null, pairableValues: 0, pairableUnits: 0 });
  });

  it('tells ordinal from nominal: a near miss costs less than a far one', () => {
    const near = [
      [1, 2],
      [2, 2],
      [3, 3],
      [1, 1],
      [2, 2],
    ];
    const far = [
      [1, 3],
      [2, 2],
      [3, 3],
      [1, 1],
      [2, 2],
    ];
    expect(krippendorffAlpha(near, 'ordinal').alpha).toBeGreaterThan(krippendorffAlpha(far, 'ordinal').alpha ?? 1);
  });
});
