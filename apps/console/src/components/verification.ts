import { html } from 'htm/preact';
import { getJson, getText } from '../api';
import { t, type MessageKey } from '../i18n/i18n';
import { checkLedgerRead, type LedgerCheck, type LedgerEvent, type ReadProof } from '../verify/ledger-check';
import { errorText, useAsync } from './common';

/**
 * The verification status of what is on screen, computed here: /history?proof=true gives the
 * events, the signed checkpoint and each inclusion proof; /log/key the log's key. Nothing the
 * server says about integrity is taken on trust.
 */
export function Verification({ appraisalId, asOf }: { appraisalId: string; asOf?: string }) {
  const [result] = useAsync(async (): Promise<{ check: LedgerCheck; key: string }> => {
    const query = new URLSearchParams({ proof: 'true', ...(asOf !== undefined && { asOf }) });
    const [history, key] = await Promise.all([
      getJson<{ events: LedgerEvent[]; proof: ReadProof }>(`/appraisals/${encodeURIComponent(appraisalId)}/history?${query.toString()}`),
      getText('/log/key'),
    ]);
    return { check: await checkLedgerRead(history.events, history.proof, key), key: key.trim() };
  }, [appraisalId, asOf]);

  let body;
  if (result.state === 'loading') body = html`<p aria-busy="true">${t('verify.checking')}</p>`;
  else if (result.state === 'failed') body = html`<p class="warn">${t('verify.unavailable', { reason: errorText(result.error) })}</p>`;
  else {
    const { check, key } = result.value;
    body = check.ok
      ? html`<p class="ok" data-verification="intact">
            <strong>✔ ${t('verify.intact', { events: check.eventsChecked, size: check.treeSize ?? 0 })}</strong>
          </p>
          <p>${check.cosigners.length > 0 ? t('verify.cosigned', { names: check.cosigners.join(', ') }) : t('verify.noCosigners')}</p>`
      : html`<div class="failed" data-verification="failed" role="alert">
          <p><strong>✘ ${t('verify.failed')}</strong></p>
          <ul>
            ${check.problems.map((p) => html`<li data-problem=${p.kind}>${t(problemKey(p.kind), { revision: p.revision ?? '' })}</li>`)}
          </ul>
        </div>`;
    body = html`${body}
      <p class="muted small">${t('verify.key', { key })}</p>`;
  }
  return html`<section class="card verification" aria-labelledby="verify-h" data-testid="verification">
    <h3 id="verify-h">${t('verify.title')}</h3>
    ${body}
    <p class="muted small">${t('verify.how')}</p>
  </section>`;
}

const problemKey = (kind: LedgerCheck['problems'][number]['kind']): MessageKey => `verify.problem.${kind}`;
