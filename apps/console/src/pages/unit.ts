import { html } from 'htm/preact';
import { getJson } from '../api';
import { DistributionChart, type Bound } from '../components/chart';
import { show, useAsync } from '../components/common';
import { formatDate, t, term } from '../i18n/i18n';
import { PERIODS } from '../types';
import { UnitAnalyticsSection } from './analytics';

interface UnitView {
  unitId: string;
  year: number;
  name: string;
  period: string;
  organisationalPredicate: string | null;
  members: {
    appraisalId: string;
    employeeName: string;
    employeeNip: string;
    predicate: string | null;
    amendedAfterFinalisation: boolean;
  }[];
  counts: Record<string, number>;
  n: number;
  rated: number;
  bounds: Bound[];
  fits: boolean | null;
  finalisation: { at: string } | null;
  exception: { reason: string } | null;
}

/** A unit in one period: its distribution against the SE 3/2023 pattern, the finalisation, any exception and amendment. */
export function UnitPage({ unitId, year, period = 'TAHUNAN' }: { unitId: string; year: string; period?: string }) {
  const [unit] = useAsync(
    () => getJson<UnitView>(`/units/${encodeURIComponent(unitId)}/years/${encodeURIComponent(year)}?period=${encodeURIComponent(period)}`),
    [unitId, year, period],
  );
  return html`<main id="main">
    <h1>${t('unit.title', { unitId, year })}</h1>
    <nav class="tabs" aria-label=${t('audit.period')}>
      ${PERIODS.map((p) => html`<a href=${`#/units/${encodeURIComponent(unitId)}/${year}?period=${p}`} aria-current=${p === period ? 'page' : undefined}>${term('period', p)}</a>`)}
    </nav>
    ${show(
      unit,
      (u) =>
        html` <section class="card" aria-labelledby="unit-h">
            <h2 id="unit-h">${u.name}</h2>
            <p>
              ${u.organisationalPredicate !== null ? t('unit.orgPredicate', { predicate: term('predicate', u.organisationalPredicate) }) : t('unit.noOrgPredicate')}
            </p>
            ${u.fits !== null ? html`<p class=${u.fits ? 'ok' : 'bad'} data-testid="fits">${u.fits ? t('unit.fits') : t('unit.notFits')}</p>` : null}
            <p>${u.finalisation !== null ? t('unit.finalised', { date: formatDate(u.finalisation.at) }) : t('unit.notFinalised')}</p>
            ${u.exception !== null ? html`<p class="warn">${t('unit.exception', { reason: u.exception.reason })}</p>` : null}
            <${DistributionChart} counts=${u.counts} n=${u.n} bounds=${u.bounds} />
          </section>
          <section class="card" aria-labelledby="members-h">
            <h2 id="members-h">${t('unit.members', { rated: u.rated, n: u.n })}</h2>
            <ul>
              ${u.members.map((m) => html`<li><a href=${`#/appraisals/${encodeURIComponent(m.appraisalId)}`}>${m.employeeName} (${m.employeeNip})</a>: ${m.predicate !== null ? term('predicate', m.predicate) : '—'}${m.amendedAfterFinalisation ? html` <span class="badge">${t('unit.amended')}</span>` : null}</li>`)}
            </ul>
          </section>
          <${UnitAnalyticsSection} unitId=${unitId} year=${year} period=${period} />`,
    )}
  </main>`;
}
