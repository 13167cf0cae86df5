import { en } from './en';
import { id, type MessageKey } from './id';

export type Lang = 'id' | 'en';
export const LANGS: readonly Lang[] = ['id', 'en'];
const CATALOGUES: Record<Lang, Record<MessageKey, string>> = { id, en };

let current: Lang = 'id';
export const lang = (): Lang => current;
export function setLang(next: Lang): void {
  current = next;
  document.documentElement.lang = next;
}

/** The message in the current language, `{name}` filled from `params`. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  return CATALOGUES[current][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** A label of the ledger's vocabulary (role, predicate, rating, period, behaviour, event type), or the raw value when unknown. */
export function term(
  prefix: 'role' | 'predicate' | 'rating' | 'period' | 'behaviour' | 'outcome' | 'party' | 'plan.status' | 'event',
  value: string,
): string {
  const key = `${prefix}.${value}`;
  if (key in CATALOGUES[current]) return CATALOGUES[current][key as MessageKey];
  return prefix === 'event' ? t('event.other', { type: value }) : value;
}

/** An API problem in the user's language: by its stable code, else by its status; the code is always shown beside it. */
export function problemMessage(code: string, status: number, fields: string[] = []): string {
  const byCode = `error.code.${code}`;
  if (byCode in CATALOGUES[current]) return `${t(byCode as MessageKey, { fields: fields.join(', ') })} (${code})`;
  const byStatus = `error.status.${status}`;
  if (byStatus in CATALOGUES[current]) return `${t(byStatus as MessageKey)} (${code})`;
  return t('error.generic', { code });
}

export const formatDate = (iso: string): string =>
  new Intl.DateTimeFormat(current === 'id' ? 'id-ID' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Asia/Jakarta',
  }).format(new Date(iso));

export const formatDay = (iso: string): string =>
  new Intl.DateTimeFormat(current === 'id' ? 'id-ID' : 'en-GB', { dateStyle: 'long', timeZone: 'Asia/Jakarta' }).format(new Date(iso));

export const catalogue = (which: Lang): Readonly<Record<MessageKey, string>> => CATALOGUES[which];
export type { MessageKey };
