import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { getJson } from '../api';
import { show, useAsync } from '../components/common';
import { PredicateMatrix } from '../components/matrix';
import { Timeline } from '../components/timeline';
import { Verification } from '../components/verification';
import { formatDate, t, term } from '../i18n/i18n';
import { PERIODS, PREDICATES, type AuditEntry, type Period, type Rating } from '../types';
import type { LedgerEvent } from '../verify/ledger-check';

const NIP = /^\d{18}$/;
const thisYear = () => new Date().getFullYear();

/** Find an appraisal by NIP and year (its id is <year>-<NIP>), or a unit by id and year. */
export function AuditSearch() {
  const [nip, setNip] = useState('');
  const [year, setYear] = useState(String(thisYear()));
  const [unit, setUnit] = useState('');
  const [invalid, setInvalid] = useState(false);
  const [period, setPeriod] = useState<string>('TAHUNAN');
  const [predicate, setPredicate] = useState('');
  const [asked, setAsked] = useState<{ year: string; period: string; predicate: string; unit: string } | null>(null);
  const openAppraisal = (e: Event) => {
    e.preventDefault();
    const valid = NIP.test(nip.trim());
    setInvalid(!valid);
    if (!valid) return;
    location.hash = `#/audit/${year}-${nip.trim()}`;
  };
  const openUnit = (e: Event) => {
    e.preventDefault();
    if (unit.trim() !== '') location.hash = `#/units/${encodeURIComponent(unit.trim())}/${year}`;
  };
  const input = (set: (v: string) => void) => (e: Event) => set((e.target as HTMLInputElement).value);
  return html`<main id="main">
    <h1>${t('audit.title')}</h1>
    <section class="card" aria-labelledby="find-h">
      <h2 id="find-h">${t('audit.find')}</h2>
      <div class="row">
        <form class="stack" onSubmit=${openAppraisal} data-testid="find-appraisal">
          <label for="find-year">${t('audit.year')}</label>
          <input id="find-year" type="number" min="2000" max="2100" value=${year} onInput=${input(setYear)} />
          <label for="find-nip">${t('audit.nip')}</label>
          <input
            id="find-nip"
            inputmode="numeric"
            value=${nip}
            aria-invalid=${invalid ? 'true' : undefined}
            aria-describedby=${invalid ? 'nip-error' : undefined}
            onInput=${input(setNip)}
          />
          ${invalid ? html`<p id="nip-error" class="error">${t('audit.nipInvalid')}</p>` : null}
          <button type="submit" class="primary">${t('audit.open')}</button>
        </form>
        <form class="stack" onSubmit=${openUnit} data-testid="find-unit">
          <label for="find-unit">${t('audit.unit')}</label>
          <input id="find-unit" value=${unit} onInput=${input(setUnit)} />
          <button type="submit">${t('audit.openUnit')}</button>
        </form>
        <form
          class="stack"
          data-testid="find-predicate"
          onSubmit=${(e: Event) => {
            e.preventDefault();
            setAsked({ year, period, predicate, unit: unit.trim() });
          }}
        >
          <label for="find-period">${t('audit.period')}</label>
          <select id="find-period" value=${period} onChange=${input(setPeriod)}>
            ${PERIODS.map((p) => html`<option value=${p}>${term('period', p)}</option>`)}
          </select>
          <label for="find-predicate">${t('appraisal.predicate')}</label>
          <select id="find-predicate" value=${predicate} onChange=${input(setPredicate)}>
            <option value="">${t('audit.anyPredicate')}</option>
            ${PREDICATES.map((p) => html`<option value=${p}>${term('predicate', p)}</option>`)}
          </select>
          <button type="submit">${t('audit.search')}</button>
        </form>
      </div>
    </section>
    ${asked !== null ? html`<${SearchResults} ...${asked} />` : null}
  </main>`;
}

interface SearchAnswer {
  units: string[];
  appraisals: {
    appraisalId: string;
    unitId: string;
    employeeNip: string;
    employeeName: string;
    predicate: string | null;
    amendedAfterFinalisation: boolean;
  }[];
}

/** GET /appraisals?year=&period=&predicate=&unitId=: the API answers with the units the reader may search, no more. */
function SearchResults({ year, period, predicate, unit }: { year: string; period: string; predicate: string; unit: string }) {
  const [found] = useAsync(() => {
    const q = new URLSearchParams({ year, period, ...(predicate !== '' && { predicate }), ...(unit !== '' && { unitId: unit }) });
    return getJson<SearchAnswer>(`/appraisals?${q.toString()}`);
  }, [year, period, predicate, unit]);
  return html`<section class="card" aria-labelledby="found-h" data-testid="search-results">
    <h2 id="found-h">${t('audit.found')}</h2>
    ${show(found, (f) =>
      f.appraisals.length === 0
        ? html`<p data-testid="search-empty">${t('audit.noneFound', { units: f.units.length })}</p>`
        : html`<table class="compact">
            <thead>
              <tr>
                <th scope="col">${t('appraisal.name')}</th>
                <th scope="col">${t('appraisal.unit')}</th>
                <th scope="col">${t('appraisal.predicate')}</th>
              </tr>
            </thead>
            <tbody>
              ${f.appraisals.map(
                (a) =>
                  html`<tr>
                    <td><a href=${`#/audit/${encodeURIComponent(a.appraisalId)}`}>${a.employeeName} (${a.employeeNip})</a></td>
                    <td><a href=${`#/units/${encodeURIComponent(a.unitId)}/${year}?period=${period}`}>${a.unitId}</a></td>
                    <td>
                      ${a.predicate !== null ? term('predicate', a.predicate) : '—'}${a.amendedAfterFinalisation ? html` <span class="badge">${t('unit.amended')}</span>` : null}
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>`,
    )}
  </section>`;
}

interface HistoryState {
  revision: number;
  asOf: string | null;
  events: LedgerEvent[];
  state: { periods: Record<Period, { rating: { hasilKerja: Rating; perilakuKerja: Rating; predicate: string; version: number } | null }> };
}

/**
 * An appraisal for an auditor: the timeline, and an as-of control (a date, or a slider over the
 * appraisal's own events) that replays the stream as it stood then, straight from the event
 * store (/history?asOf=), verified in the browser at that point.
 */
export function AuditAppraisal({ id }: { id: string }) {
  const base = `/appraisals/${encodeURIComponent(id)}`;
  const [data] = useAsync(async () => {
    const [history, trail] = await Promise.all([
      getJson<HistoryState>(`${base}/history`),
      getJson<{ entries: AuditEntry[] }>(`${base}/audit-trail`),
    ]);
    return { events: [...history.events].sort((a, b) => a.streamRevision - b.streamRevision), trail: trail.entries };
  }, [id]);
  return html`<main id="main">
    <h1>${t('appraisal.title', { id })}</h1>
    <p><a href=${`#/appraisals/${encodeURIComponent(id)}`}>${t('appraisal.ratings')} →</a></p>
    ${show(data, ({ events, trail }) => html`<${AsOf} id=${id} events=${events} trail=${trail} />`)}
  </main>`;
}

function AsOf({ id, events, trail }: { id: string; events: LedgerEvent[]; trail: AuditEntry[] }) {
  const [step, setStep] = useState(events.length);
  const [typed, setTyped] = useState('');
  const total = events.length;
  // The slider names an event: as of its instant. A typed date wins until the slider moves again.
  const asOf = typed !== '' ? new Date(typed).toISOString() : step >= total ? undefined : String(events[step - 1].metadata.occurredAt);
  const [replay] = useAsync(
    () =>
      getJson<HistoryState>(
        `/appraisals/${encodeURIComponent(id)}/history${asOf === undefined ? '' : `?asOf=${encodeURIComponent(asOf)}`}`,
      ),
    [id, asOf],
  );
  const shownUpTo = (at: string | undefined) => (at === undefined ? trail.length : trail.filter((e) => e.occurredAt <= at).length);
  return html` <section class="card" aria-labelledby="asof-h" data-testid="as-of">
      <h2 id="asof-h">${t('audit.asOf')}</h2>
      <div class="row">
        <div class="stack grow">
          <label for="asof-slider">${t('audit.asOfSliderLabel')}</label>
          <input
            id="asof-slider"
            type="range"
            min="1"
            max=${total}
            step="1"
            value=${step}
            aria-valuetext=${t('audit.asOfSlider', { n: step, total })}
            onInput=${(e: Event) => {
              setTyped('');
              setStep(Number((e.target as HTMLInputElement).value));
            }}
          />
          <output for="asof-slider" data-testid="asof-step"
            >${t('audit.asOfSlider', { n: step, total })}:
            ${step >= 1 && step <= total ? `${term('event', events[step - 1].type)} — ${formatDate(String(events[step - 1].metadata.occurredAt))}` : ''}</output
          >
        </div>
        <div class="stack">
          <label for="asof-date">${t('audit.asOfDate')}</label>
          <input
            id="asof-date"
            type="datetime-local"
            value=${typed}
            onChange=${(e: Event) => setTyped((e.target as HTMLInputElement).value)}
          />
          <button
            type="button"
            onClick=${() => {
              setTyped('');
              setStep(total);
            }}
          >
            ${t('audit.asOfNow')}
          </button>
        </div>
      </div>
      ${show(
        replay,
        (h) =>
          html`<div data-testid="replay">
            <p>${t('audit.asOfState', { date: h.asOf === null ? t('audit.asOfNow') : formatDate(h.asOf), revision: h.revision })}</p>
            ${PERIODS.filter((p) => h.state.periods[p].rating !== null).map((p) => {
              const rating = h.state.periods[p].rating;
              if (rating === null) return null;
              return html`<div data-testid=${`replay-${p}`}>
                <h3>${t('audit.replayRating', { period: term('period', p) })}</h3>
                <p>
                  ${t('appraisal.predicate')}:
                  <strong data-testid="replay-predicate">${term('predicate', rating.predicate)}</strong>
                  (${t('appraisal.version', { version: rating.version })})
                </p>
                <${PredicateMatrix} hasilKerja=${rating.hasilKerja} perilakuKerja=${rating.perilakuKerja} />
              </div>`;
            })}
          </div>`,
      )}
    </section>
    <${Verification} appraisalId=${id} asOf=${asOf} />
    <section class="card" aria-labelledby="timeline-h">
      <h2 id="timeline-h">${t('timeline.title')}</h2>
      <${Timeline} entries=${trail} upTo=${shownUpTo(asOf)} />
    </section>`;
}
