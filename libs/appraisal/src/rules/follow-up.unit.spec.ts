import type { Predicate } from '../vocabulary';
import { creditPoints, followUpFlags } from './follow-up';

describe('creditPoints: annual coefficient times the predicate percentage', () => {
  it.each<[Predicate, number]>([
    ['SANGAT_BAIK', 18.75],
    ['BAIK', 12.5],
    ['BUTUH_PERBAIKAN', 9.375],
    ['KURANG', 6.25],
    ['SANGAT_KURANG', 3.125],
  ])('coefficient 12.5 with %s gives %d', (predicate, points) => {
    expect(creditPoints(12.5, predicate)).toBe(points);
  });

  it('rounds away float noise to three decimals', () => {
    // 0.1 * 1.5 is 0.15000000000000002 in floating point.
    expect(creditPoints(0.1, 'SANGAT_BAIK')).toBe(0.15);
    expect(creditPoints(37.5, 'BUTUH_PERBAIKAN')).toBe(28.125);
  });

  it('refuses a negative or non-finite coefficient', () => {
    expect(() => creditPoints(-1, 'BAIK')).toThrow(expect.objectContaining({ code: 'INVALID_NUMBER' }));
    expect(() => creditPoints(Number.NaN, 'BAIK')).toThrow(expect.objectContaining({ code: 'INVALID_NUMBER' }));
  });
});

describe('followUpFlags', () => {
  const years = (...list: [number, Predicate][]) => list.map(([year, predicate]) => ({ year, predicate }));

  it('flags talent-pool priority for SANGAT_BAIK two years in a row', () => {
    expect(followUpFlags(years([2024, 'SANGAT_BAIK'], [2025, 'SANGAT_BAIK']), 2025)).toEqual(['TALENT_POOL_PRIORITY']);
  });

  it('flags development priority for BAIK two years in a row', () => {
    expect(followUpFlags(years([2024, 'BAIK'], [2025, 'BAIK']), 2025)).toEqual(['DEVELOPMENT_PRIORITY']);
  });

  it('flags nothing for one SANGAT_BAIK year or for non-consecutive years', () => {
    expect(followUpFlags(years([2024, 'BAIK'], [2025, 'SANGAT_BAIK']), 2025)).toEqual([]);
    expect(followUpFlags(years([2023, 'SANGAT_BAIK'], [2025, 'SANGAT_BAIK']), 2025)).toEqual([]);
    expect(followUpFlags(years([2025, 'BAIK']), 2025)).toEqual([]);
  });

  it.each<Predicate>(['BUTUH_PERBAIKAN', 'KURANG', 'SANGAT_KURANG'])('flags the non-performance path for %s this year', (predicate) => {
    expect(followUpFlags(years([2024, 'SANGAT_BAIK'], [2025, predicate]), 2025)).toEqual(['NON_PERFORMANCE']);
  });

  it('looks at the asked year only, and the latest entry of a year', () => {
    expect(followUpFlags(years([2024, 'KURANG'], [2025, 'BAIK']), 2025)).toEqual([]);
    expect(followUpFlags(years([2024, 'BAIK'], [2025, 'KURANG'], [2025, 'BAIK']), 2025)).toEqual(['DEVELOPMENT_PRIORITY']);
    expect(followUpFlags([], 2025)).toEqual([]);
  });
});
