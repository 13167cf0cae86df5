import type { Predicate } from '@ledger/appraisal';
import { leniency, t975 } from './leniency';

const times = (p: Predicate, k: number): Predicate[] => Array.from({ length: k }, () => p);

describe('leniency index', () => {
  it('is the gap of the means on the 5..1 scale, with a Welch standard error and a t interval', () => {
    // Scores 5,5,5,4 (mean 4.75, s² 0.25) against 4,4,4,3,4,4 (mean 23/6, s² 1/6):
    // SE = √(0.25/4 + (1/6)/6) = 0.30046; Welch df = 5.60 → t(5) = 2.571; 0.91667 ± 0.77249.
    const result = leniency([...times('SANGAT_BAIK', 3), 'BAIK'], [...times('BAIK', 3), 'BUTUH_PERBAIKAN', ...times('BAIK', 2)]);
    expect(result).toEqual({
      n: 4,
      comparisonN: 6,
      mean: 4.75,
      comparisonMean: 3.833,
      index: 0.917,
      standardError: 0.3,
      ci95: [0.144, 1.689],
      flag: 'LENIENT',
    });
  });

  it('flags a severe appraiser the same way, and not one whose interval reaches 0', () => {
    expect(leniency(times('BUTUH_PERBAIKAN', 3), times('BAIK', 3)).flag).toBe('SEVERE');
    // A gap of 0.75 steps on 2 and 2 appraisals: the interval is wide and includes 0.
    const wide = leniency(['SANGAT_BAIK', 'BAIK'], ['BAIK', 'BUTUH_PERBAIKAN']);
    expect(wide).toMatchObject({ index: 1, flag: null });
    expect(wide.ci95?.[0]).toBeLessThan(0);
    // Far apart in the interval's sense but under half a step: not flagged.
    expect(leniency([...times('SANGAT_BAIK', 4), ...times('BAIK', 16)], times('BAIK', 20)).flag).toBeNull();
  });

  it('has no interval on fewer than 2 appraisals a side, and no index on none', () => {
    expect(leniency(['SANGAT_BAIK'], times('BAIK', 5))).toEqual({
      n: 1,
      comparisonN: 5,
      mean: 5,
      comparisonMean: 4,
      index: 1,
      standardError: null,
      ci95: null,
      flag: null,
    });
    expect(leniency(times('BAIK', 2), [])).toMatchObject({ index: null, comparisonMean: null, ci95: null });
  });

  it('reads t from the table, rounding df down', () => {
    expect([t975(1), t975(5.6), t975(30), t975(59.9), t975(1e9), t975(Infinity)]).toEqual([12.706, 2.571, 2.042, 2.021, 1.98, 1.96]);
  });
});
