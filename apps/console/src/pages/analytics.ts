import { html } from 'htm/preact';
import { ApiError, getJson } from '../api';
import {
  AgreementChart,
  Flags,
  LeniencyChart,
  SharesChart,
  type Agreement,
  type Distribution,
  type Flag,
  type Leniency,
  type NationalReference,
} from '../components/analytics';
import { show, useAsync } from '../components/common';
import { t, term } from '../i18n/i18n';
import { PERIODS } from '../types';

/** The minimum group of the anonymity rule (policy surveyMinimumGroup): a figure withheld is said so with it. */
const MINIMUM_GROUP = 3;

interface AppraisalAgreement {
  appraisalId: string;
  employeeNip: string;
  surveys: number;
  shown: boolean;
  agreement: Agreement;
  raters: { raterId: string; agreesWith: number; others: number; agreesWithNobody: boolean }[];
}

interface UnitAnalytics {
  unitId: string;
  period: string;
  national: NationalReference;
  byPeriod: { period: string; distribution: Distribution; allBaikOrBetter: boolean }[];
  appraisers: { appraiserId: string; distribution: Distribution; leniency: Leniency }[];
  agreement: { shown: boolean; agreement: Agreement; appraisals: AppraisalAgreement[] };
  raterIdsShown: boolean;
  flags: Flag[];
}

interface AgencyAnalytics {
  byPeriod: { period: string; distribution: Distribution }[];
}

interface AppraiserAnalytics {
  appraiserId: string;
  year: number;
  period: string;
  appraiser: Distribution;
  units: { unitId: string; others: Distribution; leniency: Leniency }[];
  agency: Distribution;
  versusAgency: Leniency;
  versusPeers: Comparison;
  versusSelf: Comparison;
  flags: Flag[];
}

interface Comparison {
  compared: number;
  appraiserHigher: number;
  same: number;
  appraiserLower: number;
}

/** The agency's figures when the reader may read them (HR, auditors); anyone else's page goes without. */
async function agencyIfAllowed(year: string, period: string): Promise<AgencyAnalytics | null> {
  try {
    return await getJson<AgencyAnalytics>(`/analytics/agency/${encodeURIComponent(year)}?period=${encodeURIComponent(period)}`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) return null;
    throw error;
  }
}

const periodOf = <T extends { period: string }>(rows: T[], period: string): T | undefined => rows.find((r) => r.period === period);

/** A unit's subjectivity analytics: shares against the agency and the nation, each appraiser's leniency, the 360 agreement, flags. */
export function UnitAnalyticsSection({ unitId, year, period }: { unitId: string; year: string; period: string }) {
  const [data] = useAsync(async () => {
    const [unit, agency] = await Promise.all([
      getJson<UnitAnalytics>(
        `/units/${encodeURIComponent(unitId)}/years/${encodeURIComponent(year)}/analytics?period=${encodeURIComponent(period)}`,
      ),
      agencyIfAllowed(year, period),
    ]);
    return { unit, agency };
  }, [unitId, year, period]);
  return html`<section class="card" aria-labelledby="analytics-h" data-testid="unit-analytics">
    <h2 id="analytics-h">${t('analytics.title')} — ${term('period', period)}</h2>
    ${show(data, ({ unit, agency }) => {
      const own = periodOf(unit.byPeriod, period)?.distribution;
      const agencyD = agency === null ? undefined : periodOf(agency.byPeriod, period)?.distribution;
      const series = [
        ...(own !== undefined ? [{ label: t('analytics.unitShares', { unit: unitId }), d: own }] : []),
        ...(agencyD !== undefined ? [{ label: t('analytics.agency'), d: agencyD }] : []),
      ];
      return html`<h3>${t('analytics.flags')}</h3>
        <${Flags} flags=${unit.flags} />
        <${SharesChart} series=${series} national=${unit.national} testid="shares-chart" />
        ${
          unit.appraisers.length > 0
            ? html`<${LeniencyChart}
                  rows=${unit.appraisers.map((a) => ({ label: a.appraiserId, l: a.leniency }))}
                  testid="leniency-chart"
                />
                <ul class="small">
                  ${unit.appraisers.map(
                    (a) =>
                      html`<li>
                        <a href=${`#/appraisers/${encodeURIComponent(a.appraiserId)}/${year}?period=${period}`}
                          >${t('analytics.openAppraiser', { id: a.appraiserId })}</a
                        >
                      </li>`,
                  )}
                </ul>`
            : null
        }
        <${AgreementFigures} unit=${unit} />`;
    })}
  </section>`;
}

function AgreementFigures({ unit }: { unit: UnitAnalytics }) {
  if (!unit.agreement.shown)
    return html`<p class="muted" data-testid="agreement-withheld">${t('analytics.withheld', { min: MINIMUM_GROUP })}</p>`;
  const rows = [
    { label: t('analytics.unitAlpha'), a: unit.agreement.agreement },
    ...unit.agreement.appraisals.filter((a) => a.shown).map((a) => ({ label: a.employeeNip, a: a.agreement })),
  ];
  return html`<${AgreementChart} rows=${rows} testid="agreement-chart" />`;
}

/** One appraiser against their units' other appraisers and the agency, with the national reference. */
export function AppraiserAnalyticsPage({ appraiserId, year, period = 'TAHUNAN' }: { appraiserId: string; year: string; period?: string }) {
  const [data] = useAsync(async () => {
    const [figures, agency] = await Promise.all([
      getJson<AppraiserAnalytics>(
        `/appraisers/${encodeURIComponent(appraiserId)}/analytics/${encodeURIComponent(year)}?period=${encodeURIComponent(period)}`,
      ),
      agencyIfAllowed(year, period),
    ]);
    // The national reference is the same on every analytics answer; the agency's carries it for readers who may read it.
    const national = await nationalReference(year, period, figures);
    return { figures, agency, national };
  }, [appraiserId, year, period]);
  return html`<main id="main">
    <h1>${t('analytics.appraiserTitle', { id: appraiserId, year })}</h1>
    <nav class="tabs" aria-label=${t('audit.period')}>
      ${PERIODS.map((p) => html`<a href=${`#/appraisers/${encodeURIComponent(appraiserId)}/${year}?period=${p}`} aria-current=${p === period ? 'page' : undefined}>${term('period', p)}</a>`)}
    </nav>
    ${show(data, ({ figures: f, national }) => {
      const series = [
        { label: t('analytics.thisAppraiser'), d: f.appraiser },
        ...f.units.map((u) => ({ label: t('analytics.othersIn', { unit: u.unitId }), d: u.others })),
        { label: t('analytics.agency'), d: f.agency },
      ];
      const leniency = [
        ...f.units.map((u) => ({ label: t('analytics.vsUnit', { unit: u.unitId }), l: u.leniency })),
        { label: t('analytics.vsAgency'), l: f.versusAgency },
      ];
      return html`<section class="card" aria-labelledby="ap-flags-h">
          <h2 id="ap-flags-h">${t('analytics.flags')}</h2>
          <${Flags} flags=${f.flags} />
        </section>
        <section class="card" aria-labelledby="ap-shares-h" data-testid="appraiser-analytics">
          <h2 id="ap-shares-h">${t('analytics.title')} — ${term('period', period)}</h2>
          <${SharesChart} series=${series} national=${national} testid="shares-chart" />
          <${LeniencyChart} rows=${leniency} testid="leniency-chart" />
          <table class="compact" data-testid="comparisons">
            <thead>
              <tr>
                <th scope="col"></th>
                <th scope="col">${t('analytics.higher')}</th>
                <th scope="col">${t('analytics.same')}</th>
                <th scope="col">${t('analytics.lower')}</th>
                <th scope="col">${t('analytics.compared')}</th>
              </tr>
            </thead>
            <tbody>
              ${(
                [
                  ['analytics.versusPeers', f.versusPeers],
                  ['analytics.versusSelf', f.versusSelf],
                ] as const
              ).map(
                ([label, c]) =>
                  html`<tr>
                    <th scope="row">${t(label)}</th>
                    <td>${c.appraiserHigher}</td>
                    <td>${c.same}</td>
                    <td>${c.appraiserLower}</td>
                    <td>${c.compared}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </section>`;
    })}
  </main>`;
}

/** The national reference from a unit's analytics the reader may read (every unit answer carries it), else the published figures. */
async function nationalReference(year: string, period: string, f: AppraiserAnalytics): Promise<NationalReference> {
  const unitId = f.units[0]?.unitId;
  if (unitId !== undefined) {
    try {
      return (
        await getJson<UnitAnalytics>(
          `/units/${encodeURIComponent(unitId)}/years/${encodeURIComponent(year)}/analytics?period=${encodeURIComponent(period)}`,
        )
      ).national;
    } catch {
      // An appraiser may not read their unit's analytics: the reference below is the same figures.
    }
  }
  return { years: '2022–2024', shares: { SANGAT_BAIK: 0.11, BAIK: 0.88, BELOW_BAIK: 0.01 } };
}

/** The agreement among one appraisal's 360 raters: alpha with the raters it rests on; who agrees with whom only when the API names them. */
export function AppraisalAgreementSection({ appraisalId, period }: { appraisalId: string; period: string }) {
  const [data] = useAsync(
    () => getJson<AppraisalAgreement>(`/appraisals/${encodeURIComponent(appraisalId)}/agreement?period=${encodeURIComponent(period)}`),
    [appraisalId, period],
  );
  return html`<section class="card" aria-labelledby="agreement-h" data-testid="appraisal-agreement">
    <h2 id="agreement-h">${t('analytics.agreementOf')} — ${term('period', period)}</h2>
    ${show(data, (a) => {
      if (a.surveys === 0) return html`<p class="muted">${t('analytics.noSurveys')}</p>`;
      if (!a.shown) return html`<p class="muted" data-testid="agreement-withheld">${t('analytics.withheld', { min: MINIMUM_GROUP })}</p>`;
      return html`<p data-testid="agreement-alpha">
          α = ${a.agreement.ordinal === null ? t('analytics.alphaUndefined') : a.agreement.ordinal.toFixed(3)} ·
          ${t('analytics.ratersCount', { raters: a.agreement.raters, values: a.agreement.pairableValues })}
        </p>
        ${
          a.raters.length > 0
            ? html`<ul class="small" data-testid="agreement-raters">
                ${a.raters.map(
                  (r) =>
                    html`<li class=${r.agreesWithNobody ? 'bad' : ''}>
                      ${r.raterId}: ${t('analytics.agreesWith', { n: r.agreesWith, others: r.others })}
                    </li>`,
                )}
              </ul>`
            : null
        }`;
    })}
  </section>`;
}
