import { html } from 'htm/preact';
import { t, term } from '../i18n/i18n';
import { RATINGS, type Rating } from '../types';

/** The predicate matrix of PermenPANRB 6/2022 (libs/appraisal/src/rules/predicate.ts): rows hasil kerja, columns perilaku. */
export const MATRIX: Record<Rating, Record<Rating, string>> = {
  DI_ATAS_EKSPEKTASI: { DI_BAWAH_EKSPEKTASI: 'KURANG', SESUAI_EKSPEKTASI: 'BAIK', DI_ATAS_EKSPEKTASI: 'SANGAT_BAIK' },
  SESUAI_EKSPEKTASI: { DI_BAWAH_EKSPEKTASI: 'KURANG', SESUAI_EKSPEKTASI: 'BAIK', DI_ATAS_EKSPEKTASI: 'BAIK' },
  DI_BAWAH_EKSPEKTASI: {
    DI_BAWAH_EKSPEKTASI: 'SANGAT_KURANG',
    SESUAI_EKSPEKTASI: 'BUTUH_PERBAIKAN',
    DI_ATAS_EKSPEKTASI: 'BUTUH_PERBAIKAN',
  },
};
const COLUMNS: readonly Rating[] = ['DI_BAWAH_EKSPEKTASI', 'SESUAI_EKSPEKTASI', 'DI_ATAS_EKSPEKTASI'];

interface Props {
  hasilKerja: Rating;
  perilakuKerja: Rating;
  /** Absent in a replay of the bare state: the matrix alone. */
  justifications?: { hasilKerja: string; perilakuKerja: string };
}

/** The matrix with the cell in force highlighted (and marked for screen readers), the justifications beside it. */
export function PredicateMatrix({ hasilKerja, perilakuKerja, justifications }: Props) {
  return html`<div class="matrix-wrap">
    <table class="matrix" data-testid="predicate-matrix">
      <caption>
        ${t('appraisal.matrixCaption')}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t('appraisal.hasilKerja')} \\ ${t('appraisal.perilakuKerja')}</th>
          ${COLUMNS.map((c) => html`<th scope="col">${term('rating', c)}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${RATINGS.map(
          (row) =>
            html`<tr>
              <th scope="row">${term('rating', row)}</th>
              ${COLUMNS.map((col) => {
                const current = row === hasilKerja && col === perilakuKerja;
                return html`<td
                  class=${current ? 'current' : ''}
                  data-current=${current ? 'true' : undefined}
                  aria-current=${current ? 'true' : undefined}
                >
                  ${term('predicate', MATRIX[row][col])}${current ? html`<span class="sr-only"> (${t('appraisal.matrixCell')})</span>` : null}
                </td>`;
              })}
            </tr>`,
        )}
      </tbody>
    </table>
    ${
      justifications === undefined
        ? null
        : html`<dl class="justification" data-testid="justification">
            <dt>${t('appraisal.hasilKerja')}: ${term('rating', hasilKerja)}</dt>
            <dd>${justifications.hasilKerja}</dd>
            <dt>${t('appraisal.perilakuKerja')}: ${term('rating', perilakuKerja)}</dt>
            <dd>${justifications.perilakuKerja}</dd>
          </dl>`
    }
  </div>`;
}
