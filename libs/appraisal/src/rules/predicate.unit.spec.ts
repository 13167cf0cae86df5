import { DomainError } from '../errors';
import type { Predicate, Rating } from '../vocabulary';
import { predicateFor } from './predicate';

describe('predicateFor: the 3x3 matrix of PermenPANRB 6/2022', () => {
  const cells: [hasil: Rating, perilaku: Rating, predicate: Predicate][] = [
    ['DI_ATAS_EKSPEKTASI', 'DI_ATAS_EKSPEKTASI', 'SANGAT_BAIK'],
    ['DI_ATAS_EKSPEKTASI', 'SESUAI_EKSPEKTASI', 'BAIK'],
    ['DI_ATAS_EKSPEKTASI', 'DI_BAWAH_EKSPEKTASI', 'KURANG'],
    ['SESUAI_EKSPEKTASI', 'DI_ATAS_EKSPEKTASI', 'BAIK'],
    ['SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI', 'BAIK'],
    ['SESUAI_EKSPEKTASI', 'DI_BAWAH_EKSPEKTASI', 'KURANG'],
    ['DI_BAWAH_EKSPEKTASI', 'DI_ATAS_EKSPEKTASI', 'BUTUH_PERBAIKAN'],
    ['DI_BAWAH_EKSPEKTASI', 'SESUAI_EKSPEKTASI', 'BUTUH_PERBAIKAN'],
    ['DI_BAWAH_EKSPEKTASI', 'DI_BAWAH_EKSPEKTASI', 'SANGAT_KURANG'],
  ];

  it.each(cells)('hasil %s, perilaku %s gives %s', (hasil, perilaku, predicate) => {
    expect(predicateFor(hasil, perilaku)).toBe(predicate);
  });

  it('covers all nine cells exactly once', () => {
    expect(new Set(cells.map(([h, p]) => `${h}/${p}`)).size).toBe(9);
  });

  it('refuses a value outside the rating scale', () => {
    expect(() => predicateFor('LUAR_BIASA' as Rating, 'SESUAI_EKSPEKTASI')).toThrow(DomainError);
  });
});
