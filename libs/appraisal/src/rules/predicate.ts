import { requireOneOf } from '../guards';
import { RATINGS, type Predicate, type Rating } from '../vocabulary';

/**
 * The predicate matrix of PermenPANRB 6/2022 (rows: rating hasil kerja, columns: rating perilaku).
 * Behaviour below expectation is misconduct: it caps the predicate at KURANG whatever the results.
 */
const MATRIX: Record<Rating, Record<Rating, Predicate>> = {
  DI_ATAS_EKSPEKTASI: {
    DI_BAWAH_EKSPEKTASI: 'KURANG',
    SESUAI_EKSPEKTASI: 'BAIK',
    DI_ATAS_EKSPEKTASI: 'SANGAT_BAIK',
  },
  SESUAI_EKSPEKTASI: {
    DI_BAWAH_EKSPEKTASI: 'KURANG',
    SESUAI_EKSPEKTASI: 'BAIK',
    DI_ATAS_EKSPEKTASI: 'BAIK',
  },
  DI_BAWAH_EKSPEKTASI: {
    DI_BAWAH_EKSPEKTASI: 'SANGAT_KURANG',
    SESUAI_EKSPEKTASI: 'BUTUH_PERBAIKAN',
    DI_ATAS_EKSPEKTASI: 'BUTUH_PERBAIKAN',
  },
};

export function predicateFor(hasilKerja: Rating, perilakuKerja: Rating): Predicate {
  const hasil = requireOneOf(hasilKerja, RATINGS, 'hasilKerja');
  const perilaku = requireOneOf(perilakuKerja, RATINGS, 'perilakuKerja');
  return MATRIX[hasil][perilaku];
}
