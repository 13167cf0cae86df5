import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { problemMessage, t } from '../i18n/i18n';

export type Async<T> = { state: 'loading' } | { state: 'done'; value: T } | { state: 'failed'; error: unknown };

/** Runs `load` whenever a dependency changes; a stale answer (the dependencies moved on) is dropped. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): [Async<T>, () => void] {
  const [result, setResult] = useState<Async<T>>({ state: 'loading' });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setResult({ state: 'loading' });
    load().then(
      (value) => live && setResult({ state: 'done', value }),
      (error: unknown) => live && setResult({ state: 'failed', error }),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return [result, () => setTick((n) => n + 1)];
}

export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.status === 0 ? t('error.network') : problemMessage(error.code, error.status, error.fields);
  return t('error.generic', { code: error instanceof Error ? error.message : String(error) });
}

export const ErrorBox = ({ error }: { error: unknown }) => html`<p class="error" role="alert" data-testid="error">${errorText(error)}</p>`;

export const Loading = () => html`<p class="muted" aria-busy="true">${t('app.loading')}</p>`;

export function show<T>(result: Async<T>, render: (value: T) => unknown) {
  if (result.state === 'loading') return html`<${Loading} />`;
  if (result.state === 'failed') return html`<${ErrorBox} error=${result.error} />`;
  return render(result.value);
}
