import { addToTally, emptyTally, ikmOf, mergeTallies, quarterOf, SKM_ELEMENTS, type SkmScores, type SkmTally } from './skm';

const scores = (...values: number[]): SkmScores => Object.fromEntries(SKM_ELEMENTS.map((e, i) => [e, values[i]])) as SkmScores;
const tallyOf = (...responses: SkmScores[]): SkmTally => responses.reduce(addToTally, emptyTally());

/**
 * The worked example of the README (four respondents, the annex's method step by step):
 * per-element means 3.50 3.25 2.75 4.00 3.25 3.75 4.00 3.00 2.75, sum 30.25; weighted by 1/9 → 3.3611;
 * × 25 → 84.03, grade B (76.61-88.30). With the annex's rounded weight 0,111 it would read 83.94, also B.
 */
const WORKED = [
  scores(4, 4, 3, 4, 3, 4, 4, 3, 3),
  scores(3, 3, 3, 4, 3, 3, 4, 3, 3),
  scores(4, 3, 2, 4, 3, 4, 4, 3, 2),
  scores(3, 3, 3, 4, 4, 4, 4, 3, 3),
];

describe('IKM (PermenPANRB 14/2017 annex)', () => {
  it('computes the worked example exactly: element means, index, IKM 84.03, grade B', () => {
    expect(ikmOf(tallyOf(...WORKED))).toEqual({
      responses: 4,
      elementMeans: scores(3.5, 3.25, 2.75, 4, 3.25, 3.75, 4, 3, 2.75),
      index: 3.3611,
      ikm: 84.03,
      grade: 'B',
      gradeLabel: 'Baik',
    });
  });

  it('is 100 (A) for all 4s and 25 (D) for all 1s: the weight is 1/9, not the printed 0,111', () => {
    expect(ikmOf(tallyOf(scores(4, 4, 4, 4, 4, 4, 4, 4, 4)))).toMatchObject({ ikm: 100, grade: 'A', index: 4 });
    expect(ikmOf(tallyOf(scores(1, 1, 1, 1, 1, 1, 1, 1, 1)))).toMatchObject({ ikm: 25, grade: 'D', index: 1 });
  });

  it('grades on the two-decimal value at each band edge (A 88.31, B 76.61, C 65.00)', () => {
    // IKM = 2500 × total / (9 × n) / 100; with n responses the totals below land on or beside each edge.
    const ikmWithTotal = (total: number, n: number): SkmTally => ({
      responses: n,
      sums: { ...emptyTally().sums, PERSYARATAN: total },
    });
    // 88.30 vs 88.31: total/n × 25/9; n = 100 → total 3179 gives 88.305… → 88.31 (half up), 3178 → 88.28.
    expect(ikmOf(ikmWithTotal(3179, 100))).toMatchObject({ ikm: 88.31, grade: 'A' });
    expect(ikmOf(ikmWithTotal(3178, 100))).toMatchObject({ ikm: 88.28, grade: 'B' });
    expect(ikmOf(ikmWithTotal(2758, 100))).toMatchObject({ ikm: 76.61, grade: 'B' });
    expect(ikmOf(ikmWithTotal(2757, 100))).toMatchObject({ ikm: 76.58, grade: 'C' });
    expect(ikmOf(ikmWithTotal(2340, 100))).toMatchObject({ ikm: 65, grade: 'C' });
    expect(ikmOf(ikmWithTotal(2339, 100))).toMatchObject({ ikm: 64.97, grade: 'D' });
  });

  it('has no figure without responses, and merges groups by their sums (a unit is its services together)', () => {
    expect(ikmOf(emptyTally())).toBeNull();
    const [a, b] = [tallyOf(WORKED[0], WORKED[1]), tallyOf(WORKED[2], WORKED[3])];
    expect(ikmOf(mergeTallies([a, b]))).toEqual(ikmOf(tallyOf(...WORKED)));
  });

  it('places a date in its quarter', () => {
    expect(['2026-01-01', '2026-03-31', '2026-04-01', '2026-09-30', '2026-12-31'].map(quarterOf)).toEqual([
      'TRIWULAN_I',
      'TRIWULAN_I',
      'TRIWULAN_II',
      'TRIWULAN_III',
      'TRIWULAN_IV',
    ]);
  });
});
