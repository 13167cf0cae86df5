import { html } from 'htm/preact';
import { getJson } from '../api';
import { show, useAsync } from '../components/common';
import { PredicateMatrix } from '../components/matrix';
import { Timeline } from '../components/timeline';
import { Verification } from '../components/verification';
import { formatDate, formatDay, t, term } from '../i18n/i18n';
import { currentSession } from '../session';
import { BEHAVIOURS, PERIODS, RATINGS, type AppraisalView, type AuditEntry, type Period, type PeriodView, type Rating } from '../types';
import { AppraiserActions, EmployeeActions, FindingsForm } from './actions';
import { AppraisalAgreementSection } from './analytics';

const path = (id: string) => `/appraisals/${encodeURIComponent(id)}`;

/**
 * One appraisal, for whoever may read it (the API decides and records reviewers' and auditors'
 * reads): the objection and both statements, the plan version rated and how versions differ,
 * evidence with its hashes, ratings by source (360 pooled, never who), the predicate matrix, the
 * timeline, the verification status checked in the browser, and the reader's own actions.
 */
export function AppraisalPage({ id, period: wanted }: { id: string; period?: string }) {
  const [data, reload] = useAsync(async () => {
    const [view, trail] = await Promise.all([
      getJson<AppraisalView>(path(id)),
      getJson<{ entries: AuditEntry[] }>(`${path(id)}/audit-trail`),
    ]);
    return { view, trail: trail.entries };
  }, [id]);
  return html`<main id="main">
    <h1>${t('appraisal.title', { id })}</h1>
    ${show(data, ({ view, trail }) => html`<${AppraisalBody} view=${view} trail=${trail} wanted=${wanted} reload=${reload} />`)}
  </main>`;
}

function AppraisalBody({ view, trail, wanted, reload }: { view: AppraisalView; trail: AuditEntry[]; wanted?: string; reload: () => void }) {
  const session = currentSession();
  const isEmployee = session?.actor.role === 'PEGAWAI' && session.actor.id === view.employeeNip;
  const present = PERIODS.filter((p) => view.periods[p] !== undefined);
  const period: Period | undefined =
    PERIODS.find((p) => p === wanted) ?? (present.includes('TAHUNAN') ? 'TAHUNAN' : present[present.length - 1]);
  const p = period === undefined ? undefined : view.periods[period];
  return html`
    <section class="card" aria-labelledby="identity-h">
      <h2 id="identity-h">${t('appraisal.identity')}</h2>
      <dl class="grid">
        <dt>${t('appraisal.name')}</dt>
        <dd>${view.employeeName}</dd>
        <dt>${t('appraisal.nip')}</dt>
        <dd>${view.employeeNip}</dd>
        <dt>${t('appraisal.year')}</dt>
        <dd>${view.year}</dd>
        <dt>${t('appraisal.unit')}</dt>
        <dd><a href=${`#/units/${encodeURIComponent(view.unitId)}/${view.year}`}>${view.unitId}</a></dd>
        <dt>${t('appraisal.appraiser')}</dt>
        <dd>
          ${
            isEmployee
              ? view.appraiserId
              : html`<a href=${`#/appraisers/${encodeURIComponent(view.appraiserId)}/${view.year}`}>${view.appraiserId}</a>`
          }
        </dd>
        <dt>${t('appraisal.superior')}</dt>
        <dd>${view.superiorId}</dd>
      </dl>
      ${view.integrity !== undefined ? html`<p class="muted small">${t('appraisal.integrity', { status: view.integrity.status })}</p>` : null}
    </section>
    <${Due} view=${view} />
    ${
      present.length > 1
        ? html`<nav class="tabs" aria-label=${t('appraisal.period')}>
            ${present.map((q) => html`<a href=${`#/appraisals/${encodeURIComponent(view.appraisalId)}?period=${q}`} aria-current=${q === period ? 'page' : undefined}>${term('period', q)}</a>`)}
          </nav>`
        : null
    }
    ${p !== undefined && period !== undefined ? html`<${PeriodSection} view=${view} period=${period} p=${p} reload=${reload} />` : html`<p>${t('appraisal.notRated')}</p>`}
    ${period !== undefined ? html`<${AppraisalAgreementSection} appraisalId=${view.appraisalId} period=${period} />` : null}
    <${PlanSection} view=${view} ratedVersion=${p?.rating?.planVersion} />
    <${EvidenceSection} view=${view} />
    <${FeedbackSection} view=${view} />
    ${session?.actor.role === 'PEJABAT_PENILAI' && session.actor.id === view.appraiserId ? html`<${AppraiserActions} view=${view} period=${period} reload=${reload} />` : null}
    ${isEmployee ? html`<${EmployeeActions} view=${view} period=${period} reload=${reload} />` : null}
    <section class="card" aria-labelledby="timeline-h">
      <h2 id="timeline-h">${t('timeline.title')}</h2>
      <${Timeline} entries=${trail} />
    </section>
    ${isEmployee ? null : html`<${Verification} appraisalId=${view.appraisalId} />`}
  `;
}

function Due({ view }: { view: AppraisalView }) {
  const outlook = view.outlook;
  if (outlook === undefined) return null;
  const items = [];
  if (view.plan.status !== 'APPROVED')
    items.push(
      html`<li class=${outlook.planOverdue ? 'bad' : ''}>
        ${t('appraisal.planStatus', { status: term('plan.status', view.plan.status) })} —
        ${formatDay(outlook.planDeadline)}${outlook.planOverdue ? ` (${t('appraisal.overdue')})` : ''}
      </li>`,
    );
  for (const period of PERIODS) {
    const o = outlook.periods[period];
    if (o?.objection?.filingOpen)
      items.push(
        html`<li data-testid="objection-deadline">
          ${term('period', period)}: ${t('appraisal.objectionDeadline', { date: o.objection.lastDayToFile })}
        </li>`,
      );
    if (o?.decision !== null && o?.decision !== undefined)
      items.push(
        html`<li class=${o.decision.overdue ? 'bad' : ''}>
          ${term('period', period)}: ${t('disputes.deadline')}:
          ${o.decision.deadline}${o.decision.overdue ? ` (${t('appraisal.overdue')})` : ''}
        </li>`,
      );
  }
  if (items.length === 0) return null;
  return html`<section class="card" aria-labelledby="due-h">
    <h2 id="due-h">${t('appraisal.deadlines')}</h2>
    <ul>
      ${items}
    </ul>
  </section>`;
}

function PeriodSection({ view, period, p, reload }: { view: AppraisalView; period: Period; p: PeriodView; reload: () => void }) {
  const session = currentSession();
  const objection = p.objection;
  const mayFind =
    session?.actor.role === 'PENINJAU' &&
    objection?.reviewerId === session.actor.id &&
    objection.findings === null &&
    objection.decision === null;
  return html` ${
      objection !== null
        ? html`<section class="card" aria-labelledby="objection-h" data-testid="objection">
            <h2 id="objection-h">${t('appraisal.objection')} — ${term('period', period)}</h2>
            <h3>${t('appraisal.objectionReasons')}</h3>
            <p>${objection.reasons} <span class="muted">(${formatDate(objection.filedAt)})</span></p>
            <h3>${t('appraisal.statements')}</h3>
            ${(['PEJABAT_PENILAI', 'PEGAWAI'] as const).map((party) => {
              const s = objection.statements.find((x) => x.party === party);
              return html`<p>
                <strong>${term('party', party)}:</strong>
                ${s !== undefined ? s.statement : html`<span class="muted">${t('appraisal.noStatement')}</span>`}
              </p>`;
            })}
            ${
              objection.findings !== null
                ? html`<h3>${t('appraisal.findings')}</h3>
                    <p data-testid="findings">${objection.findings.findings} — ${term('outcome', objection.findings.recommendation)}</p>`
                : null
            }
            ${
              objection.decision !== null
                ? html`<h3>${t('appraisal.decision')}</h3>
                    <p>
                      ${term('outcome', objection.decision.outcome)}: ${objection.decision.reasons} →
                      ${term('predicate', objection.decision.predicate)}
                    </p>`
                : null
            }
            ${mayFind ? html`<${FindingsForm} appraisalId=${view.appraisalId} period=${period} done=${reload} />` : null}
          </section>`
        : null
    }
    <section class="card" aria-labelledby="ratings-h" data-testid="ratings">
      <h2 id="ratings-h">${t('appraisal.ratings')} — ${term('period', period)}</h2>
      <${Sources} p=${p} />
      ${
        p.rating !== null
          ? html`<h3>${t('appraisal.matrix')}</h3>
              <p>
                ${t('appraisal.predicate')}: <strong data-testid="predicate">${term('predicate', p.rating.predicate)}</strong> ·
                ${t('appraisal.planVersionRated', { version: p.rating.planVersion })}
              </p>
              <${PredicateMatrix}
                hasilKerja=${p.rating.hasilKerja}
                perilakuKerja=${p.rating.perilakuKerja}
                justifications=${p.rating.justifications}
              />
              <h3>${t('appraisal.ratingHistory')}</h3>
              <ol class="history">
                ${p.rating.history.map(
                  (v) =>
                    html`<li>
                      ${t('appraisal.version', { version: v.version })} (${formatDate(v.at)}): ${term('rating', v.hasilKerja)} /
                      ${term('rating', v.perilakuKerja)} →
                      ${term('predicate', v.predicate)}${v.reason !== null ? ` — ${t('appraisal.reason')}: ${v.reason}` : ''}
                    </li>`,
                )}
              </ol>`
          : html`<p>${t('appraisal.notRated')}</p>`
      }
    </section>`;
}

/** Self, 360 and appraiser side by side. The 360 is pooled per behaviour: how many raters gave each rating, never who. */
function Sources({ p }: { p: PeriodView }) {
  const pooled: Record<string, Record<Rating, number>> | null = p.survey360 !== undefined ? p.survey360.answers : poolSurveys(p);
  const submitted = p.survey360?.submitted ?? p.surveys.length;
  const assigned = p.survey360?.ratersAssigned ?? p.raters.length;
  return html`<div class="table-scroll">
      <table class="compact">
        <thead>
          <tr>
            <th scope="col">${t('appraisal.source')}</th>
            <th scope="col">${t('appraisal.hasilKerja')}</th>
            <th scope="col">${t('appraisal.perilakuKerja')}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">${t('appraisal.self')}</th>
            <td>${p.selfAssessment ? term('rating', p.selfAssessment.hasilKerja) : '—'}</td>
            <td>${p.selfAssessment ? term('rating', p.selfAssessment.perilakuKerja) : '—'}</td>
          </tr>
          <tr>
            <th scope="row">${t('appraisal.appraiserRating')}</th>
            <td>${p.rating ? term('rating', p.rating.hasilKerja) : '—'}</td>
            <td>${p.rating ? term('rating', p.rating.perilakuKerja) : '—'}</td>
          </tr>
        </tbody>
      </table>
    </div>
    <h3>${t('appraisal.peers')}</h3>
    <p>${t('appraisal.survey', { submitted, assigned })}</p>
    ${
      pooled === null
        ? html`<p class="muted">${t('appraisal.surveyHidden', { min: p.survey360?.minimumGroup ?? 3 })}</p>`
        : html`<div class="table-scroll">
            <table class="compact" data-testid="survey-pooled">
              <caption>
                ${t('appraisal.surveyCounts')}
              </caption>
              <thead>
                <tr>
                  <th scope="col">BerAKHLAK</th>
                  ${RATINGS.map((r) => html`<th scope="col">${term('rating', r)}</th>`)}
                </tr>
              </thead>
              <tbody>
                ${BEHAVIOURS.map(
                  (b) =>
                    html`<tr>
                      <th scope="row">${term('behaviour', b)}</th>
                      ${RATINGS.map((r) => html`<td>${pooled[b]?.[r] ?? 0}</td>`)}
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`
    }`;
}

function poolSurveys(p: PeriodView): Record<string, Record<Rating, number>> | null {
  if (p.surveys.length === 0) return null;
  const pooled: Record<string, Record<Rating, number>> = {};
  for (const b of BEHAVIOURS) pooled[b] = { DI_ATAS_EKSPEKTASI: 0, SESUAI_EKSPEKTASI: 0, DI_BAWAH_EKSPEKTASI: 0 };
  for (const s of p.surveys) for (const b of BEHAVIOURS) if (s.answers[b] !== undefined) pooled[b][s.answers[b]] += 1;
  return pooled;
}

function PlanSection({ view, ratedVersion }: { view: AppraisalView; ratedVersion?: number }) {
  const versions = view.plan.versions;
  const shown = versions.find((v) => v.version === ratedVersion)?.content ?? view.plan.content;
  return html`<section class="card" aria-labelledby="plan-h" data-testid="plan">
    <h2 id="plan-h">${t('appraisal.plan')}</h2>
    <p>
      ${t('appraisal.planStatus', { status: term('plan.status', view.plan.status) })}${ratedVersion !== undefined ? ` · ${t('appraisal.planVersionRated', { version: ratedVersion })}` : ''}
    </p>
    ${
      versions.length > 0
        ? html`<ul>
            ${versions.map((v, i) => {
              const changed = i > 0 && JSON.stringify(v.content) !== JSON.stringify(versions[i - 1].content);
              return html`<li>
                ${t('appraisal.planVersion', { version: v.version })} —
                ${formatDate(v.approved.at)}${v.reason !== null ? ` — ${v.reason}` : ''}${changed ? html` <span class="badge">${t('appraisal.planChanged')}</span>` : null}${v.version === ratedVersion ? html` <strong>★</strong>` : null}
              </li>`;
            })}
          </ul>`
        : null
    }
    ${
      shown !== null
        ? html`<div class="table-scroll">
            <table class="compact">
              <thead>
                <tr>
                  <th scope="col">${t('appraisal.result')}</th>
                  <th scope="col">${t('appraisal.indicator')}</th>
                  <th scope="col">${t('appraisal.target')}</th>
                </tr>
              </thead>
              <tbody>
                ${shown.results.flatMap((r) =>
                  r.indicators.map(
                    (i) =>
                      html`<tr>
                        <td>${r.kind}: ${r.description}</td>
                        <td>${i.description} (${i.aspect})</td>
                        <td>${i.target.value} ${i.target.unit}</td>
                      </tr>`,
                  ),
                )}
              </tbody>
            </table>
          </div>`
        : null
    }
  </section>`;
}

function EvidenceSection({ view }: { view: AppraisalView }) {
  return html`<section class="card" aria-labelledby="evidence-h" data-testid="evidence">
    <h2 id="evidence-h">${t('appraisal.evidence')}</h2>
    ${
      view.evidence.length === 0
        ? html`<p class="muted">${t('app.none')}</p>`
        : html`<div class="table-scroll">
            <table class="compact">
              <thead>
                <tr>
                  <th scope="col">${t('appraisal.indicator')}</th>
                  <th scope="col">${t('appraisal.period')}</th>
                  <th scope="col">${t('appraisal.value')}</th>
                  <th scope="col">${t('appraisal.document')}</th>
                  <th scope="col">${t('appraisal.hash')}</th>
                </tr>
              </thead>
              <tbody>
                ${view.evidence.map(
                  (e) =>
                    html`<tr>
                      <td>${e.resultId} / ${e.indicatorId}</td>
                      <td>${term('period', e.period)}</td>
                      <td>${e.value}</td>
                      <td class="wrap">${e.document.uri}</td>
                      <td><code class="hash">${e.document.sha256}</code></td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`
    }
  </section>`;
}

function FeedbackSection({ view }: { view: AppraisalView }) {
  return html`<section class="card" aria-labelledby="feedback-h">
    <h2 id="feedback-h">${t('appraisal.feedback')}</h2>
    ${
      view.feedback.length === 0
        ? html`<p class="muted">${t('app.none')}</p>`
        : html`<ul>
            ${view.feedback.map(
              (f) =>
                html`<li>
                  <p>${f.text} <span class="muted">(${formatDate(f.at)})</span></p>
                  ${f.responses.map((r) => html`<p class="indent">${t('appraisal.response')}: ${r.text}</p>`)}
                </li>`,
            )}
          </ul>`
    }
  </section>`;
}
