import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { t } from '../i18n/i18n';
import { currentSession } from '../session';
import { AppraisalPage } from './appraisal';

/** The employee's own appraisal of a year (its id is <year>-<own NIP>). */
export function MinePage({ year }: { year?: string }) {
  const nip = currentSession()?.actor.id ?? '';
  const shown = year ?? String(new Date().getFullYear());
  return html`<div>
    <${YearPicker} year=${shown} route="#/mine/" label=${t('mine.title')} />
    <${AppraisalPage} id=${`${shown}-${nip}`} />
  </div>`;
}

/** The appraiser opens an appraisal they rate by the employee's NIP: the API refuses anyone else's. */
export function AppraiserPage() {
  const [nip, setNip] = useState('');
  const [year, setYear] = useState(String(new Date().getFullYear()));
  return html`<main id="main">
    <h1>${t('appraiser.title')}</h1>
    <form
      class="stack narrow"
      onSubmit=${(e: Event) => {
        e.preventDefault();
        location.hash = `#/appraisals/${year}-${nip.trim()}`;
      }}
    >
      <p>${t('appraiser.hint')}</p>
      <label for="ap-year">${t('audit.year')}</label>
      <input id="ap-year" type="number" value=${year} onInput=${(e: Event) => setYear((e.target as HTMLInputElement).value)} />
      <label for="ap-nip">${t('audit.nip')}</label>
      <input id="ap-nip" inputmode="numeric" value=${nip} onInput=${(e: Event) => setNip((e.target as HTMLInputElement).value)} />
      <button type="submit" class="primary">${t('audit.open')}</button>
    </form>
    <p><a href=${`#/appraisers/${encodeURIComponent(currentSession()?.actor.id ?? '')}/${year}`}>${t('analytics.mine')}</a></p>
  </main>`;
}

function YearPicker({ year, route, label }: { year: string; route: string; label: string }) {
  return html`<form class="row year-picker" onSubmit=${(e: Event) => e.preventDefault()}>
    <label for="year-pick">${label} — ${t('audit.year')}</label>
    <input
      id="year-pick"
      type="number"
      min="2000"
      max="2100"
      value=${year}
      onChange=${(e: Event) => (location.hash = `${route}${(e.target as HTMLInputElement).value}`)}
    />
  </form>`;
}
