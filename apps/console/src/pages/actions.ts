import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { postJson } from '../api';
import { ErrorBox } from '../components/common';
import { t, term } from '../i18n/i18n';
import { RATINGS, type AppraisalView, type Period } from '../types';

interface CommandResult {
  revision: number;
  position: number;
}

/** One command through the same API as every client: the API checks who may do it and answers a problem otherwise. */
function useCommand(done: () => void) {
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<CommandResult | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (path: string, body: unknown, revision?: number) => {
    setBusy(true);
    setError(null);
    try {
      setResult(await postJson<CommandResult>(path, body, revision === undefined ? {} : { 'if-match': `"${revision}"` }));
      done();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return { error, result, busy, run };
}

const value = (e: Event) => (e.target as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement).value;
const base = (id: string) => `/appraisals/${encodeURIComponent(id)}`;

export function FindingsForm({ appraisalId, period, done }: { appraisalId: string; period: Period; done: () => void }) {
  const [findings, setFindings] = useState('');
  const [recommendation, setRecommendation] = useState('UPHELD');
  const command = useCommand(() => undefined);
  if (command.result !== null) {
    return html`<p class="ok" role="status" data-testid="findings-done">
      ${t('findings.done', { position: command.result.position })} <button type="button" onClick=${done}>${t('app.refresh')}</button>
    </p>`;
  }
  const submit = (e: Event) => {
    e.preventDefault();
    void command.run(`${base(appraisalId)}/periods/${period}/objection/findings`, { findings, recommendation });
  };
  return html`<form class="stack" onSubmit=${submit} data-testid="findings-form">
    <h3>${t('findings.title')}</h3>
    <label for="findings">${t('findings.text')}</label>
    <textarea id="findings" rows="4" required value=${findings} onInput=${(e: Event) => setFindings(value(e))}></textarea>
    <label for="recommendation">${t('findings.recommendation')}</label>
    <select id="recommendation" value=${recommendation} onChange=${(e: Event) => setRecommendation(value(e))}>
      <option value="UPHELD">${term('outcome', 'UPHELD')}</option>
      <option value="AMENDED">${term('outcome', 'AMENDED')}</option>
    </select>
    <button type="submit" class="primary" disabled=${command.busy}>${t('findings.submit')}</button>
    ${command.error !== null ? html`<${ErrorBox} error=${command.error} />` : null}
  </form>`;
}

export function AppraiserActions({ view, period, reload }: { view: AppraisalView; period?: Period; reload: () => void }) {
  const [text, setText] = useState('');
  const [hasil, setHasil] = useState('SESUAI_EKSPEKTASI');
  const [perilaku, setPerilaku] = useState('SESUAI_EKSPEKTASI');
  const [hasilWhy, setHasilWhy] = useState('');
  const [perilakuWhy, setPerilakuWhy] = useState('');
  const command = useCommand(reload);
  const ratePeriod: Period = period ?? 'TAHUNAN';
  const unrated = view.periods[ratePeriod]?.rating == null;
  return html`<section class="card" aria-labelledby="actions-h" data-testid="appraiser-actions">
    <h2 id="actions-h">${t('action.title')}</h2>
    ${
      view.plan.status === 'SUBMITTED'
        ? html`<p>
            <button type="button" onClick=${() => void command.run(`${base(view.appraisalId)}/plan/approve`, {}, view.revision)}>
              ${t('action.approvePlan')}
            </button>
          </p>`
        : null
    }
    <form
      class="stack"
      onSubmit=${(e: Event) => {
        e.preventDefault();
        void command.run(`${base(view.appraisalId)}/feedback`, { text });
      }}
    >
      <label for="feedback-text">${t('action.feedbackText')}</label>
      <textarea id="feedback-text" rows="2" value=${text} onInput=${(e: Event) => setText(value(e))}></textarea>
      <button type="submit" disabled=${command.busy}>${t('action.feedback')}</button>
    </form>
    ${
      unrated && view.plan.status === 'APPROVED'
        ? html`<form
            class="stack"
            onSubmit=${(e: Event) => {
              e.preventDefault();
              void command.run(
                `${base(view.appraisalId)}/periods/${ratePeriod}/rating`,
                { hasilKerja: hasil, hasilKerjaJustification: hasilWhy, perilakuKerja: perilaku, perilakuKerjaJustification: perilakuWhy },
                view.revision,
              );
            }}
          >
            <h3>${t('action.rate', { period: term('period', ratePeriod) })}</h3>
            <label for="rate-hasil">${t('appraisal.hasilKerja')}</label>
            <select id="rate-hasil" value=${hasil} onChange=${(e: Event) => setHasil(value(e))}>
              ${RATINGS.map((r) => html`<option value=${r}>${term('rating', r)}</option>`)}
            </select>
            <label for="rate-hasil-why">${t('appraisal.justification')}</label>
            <textarea id="rate-hasil-why" rows="2" value=${hasilWhy} onInput=${(e: Event) => setHasilWhy(value(e))}></textarea>
            <label for="rate-perilaku">${t('appraisal.perilakuKerja')}</label>
            <select id="rate-perilaku" value=${perilaku} onChange=${(e: Event) => setPerilaku(value(e))}>
              ${RATINGS.map((r) => html`<option value=${r}>${term('rating', r)}</option>`)}
            </select>
            <label for="rate-perilaku-why">${t('appraisal.justification')}</label>
            <textarea id="rate-perilaku-why" rows="2" value=${perilakuWhy} onInput=${(e: Event) => setPerilakuWhy(value(e))}></textarea>
            <button type="submit" class="primary" disabled=${command.busy}>${t('action.send')}</button>
          </form>`
        : null
    }
    ${command.result !== null ? html`<p class="ok" role="status">${t('action.done')}</p>` : null}
    ${command.error !== null ? html`<${ErrorBox} error=${command.error} />` : null}
  </section>`;
}

export function EmployeeActions({ view, period, reload }: { view: AppraisalView; period?: Period; reload: () => void }) {
  const [reasons, setReasons] = useState('');
  const command = useCommand(reload);
  const open =
    period !== undefined && view.outlook?.periods[period]?.objection?.filingOpen === true && view.periods[period]?.objection == null;
  if (!open) return null;
  return html`<section class="card" aria-labelledby="employee-actions-h" data-testid="employee-actions">
    <h2 id="employee-actions-h">${t('action.title')}</h2>
    <form
      class="stack"
      onSubmit=${(e: Event) => {
        e.preventDefault();
        void command.run(`${base(view.appraisalId)}/periods/${period}/objection`, { reasons }, view.revision);
      }}
    >
      <label for="objection-reasons">${t('action.objectReasons')}</label>
      <textarea id="objection-reasons" rows="3" value=${reasons} onInput=${(e: Event) => setReasons(value(e))}></textarea>
      <button type="submit" disabled=${command.busy}>${t('action.object')}</button>
    </form>
    ${command.error !== null ? html`<${ErrorBox} error=${command.error} />` : null}
  </section>`;
}
