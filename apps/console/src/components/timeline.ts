import { html } from 'htm/preact';
import { formatDate, t, term } from '../i18n/i18n';
import type { AuditEntry } from '../types';

/** Who, in which role, what, why, when: one row per event, oldest first. */
export function Timeline({ entries, upTo }: { entries: AuditEntry[]; upTo?: number }) {
  return html`<div class="table-scroll">
    <table class="timeline" data-testid="timeline">
      <caption class="sr-only">
        ${t('timeline.title')}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t('timeline.when')}</th>
          <th scope="col">${t('timeline.who')}</th>
          <th scope="col">${t('timeline.role')}</th>
          <th scope="col">${t('timeline.what')}</th>
          <th scope="col">${t('timeline.why')}</th>
          <th scope="col">${t('timeline.detail')}</th>
        </tr>
      </thead>
      <tbody>
        ${entries.map(
          (e, i) =>
            html`<tr class=${upTo !== undefined && i >= upTo ? 'later' : ''}>
              <td><time datetime=${e.occurredAt}>${formatDate(e.occurredAt)}</time></td>
              <td>${e.actorId ?? '—'}</td>
              <td>${term('role', e.actorRole)}</td>
              <td>${term('event', e.type)}</td>
              <td>${e.reason ?? ''}</td>
              <td class="summary">${e.summary}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}
