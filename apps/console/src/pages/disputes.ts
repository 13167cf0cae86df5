import { html } from 'htm/preact';
import { getJson } from '../api';
import { show, useAsync } from '../components/common';
import { formatDay, t, term } from '../i18n/i18n';
import { currentSession } from '../session';
import type { Dispute } from '../types';

/** The queue: a reviewer's assigned disputes (the API scopes the list), with decision deadline and overdue flag. */
export function DisputesPage() {
  const [disputes] = useAsync(() => getJson<{ disputes: Dispute[] }>('/disputes'), []);
  const mine = currentSession()?.actor.role === 'PENINJAU';
  return html`<main id="main">
    <h1>${mine ? t('disputes.title') : t('disputes.titleAll')}</h1>
    ${show(disputes, ({ disputes: list }) =>
      list.length === 0
        ? html`<p data-testid="disputes-empty">${t('disputes.empty')}</p>`
        : html`<div class="table-scroll">
            <table data-testid="disputes">
              <thead>
                <tr>
                  <th scope="col">${t('disputes.employee')}</th>
                  <th scope="col">${t('disputes.unit')}</th>
                  <th scope="col">${t('disputes.period')}</th>
                  <th scope="col">${t('disputes.filed')}</th>
                  <th scope="col">${t('disputes.deadline')}</th>
                  <th scope="col">${t('disputes.status')}</th>
                </tr>
              </thead>
              <tbody>
                ${list.map(
                  (d) =>
                    html`<tr class=${d.overdue ? 'overdue' : ''}>
                      <td>
                        <a href=${`#/appraisals/${encodeURIComponent(d.appraisalId)}?period=${d.period}`}
                          >${d.employeeName ?? d.employeeNip ?? d.appraisalId}</a
                        >
                      </td>
                      <td>${d.unitId ?? '—'}</td>
                      <td>${term('period', d.period)}</td>
                      <td>${formatDay(d.filedAt)}</td>
                      <td>${d.decisionDeadline}</td>
                      <td>
                        ${t(d.status === 'OPEN' ? 'disputes.OPEN' : 'disputes.DECIDED')}
                        ${d.status === 'OPEN' ? html` · <span class=${d.overdue ? 'badge bad' : 'badge'}>${d.overdue ? t('disputes.overdue') : t('disputes.onTime')}</span>` : null}
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`,
    )}
  </main>`;
}
