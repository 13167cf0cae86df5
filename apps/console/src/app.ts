import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { LANGS, lang, setLang, t, term, type Lang } from './i18n/i18n';
import { AppraiserAnalyticsPage } from './pages/analytics';
import { AppraisalPage } from './pages/appraisal';
import { AuditAppraisal, AuditSearch } from './pages/audit';
import { DisputesPage } from './pages/disputes';
import { AppraiserPage, MinePage } from './pages/mine';
import { SignIn, type AuthSettings } from './pages/sign-in';
import { UnitPage } from './pages/unit';
import { currentSession, onSessionChange, setSession } from './session';

const LANG_KEY = 'ledger-console.lang';

/** What each role sees first, and its menu. Every page reads through the API, which decides what the person may see. */
const MENUS: Record<string, { href: string; label: Parameters<typeof t>[0] }[]> = {
  PENINJAU: [{ href: '#/disputes', label: 'nav.disputes' }],
  AUDITOR: [
    { href: '#/audit', label: 'nav.audit' },
    { href: '#/disputes', label: 'nav.disputes' },
  ],
  PENGELOLA_KINERJA: [
    { href: '#/audit', label: 'nav.audit' },
    { href: '#/disputes', label: 'nav.disputes' },
  ],
  ATASAN_PEJABAT_PENILAI: [{ href: '#/disputes', label: 'nav.disputes' }],
  PEGAWAI: [{ href: '#/mine', label: 'nav.mine' }],
  PEJABAT_PENILAI: [{ href: '#/appraiser', label: 'nav.appraiser' }],
  PIMPINAN_UNIT: [{ href: '#/audit', label: 'nav.units' }],
};

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const update = () => setHash(location.hash);
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return hash;
}

function route(hash: string, role: string) {
  const [pathPart, queryPart = ''] = hash.replace(/^#/, '').split('?');
  const query = new URLSearchParams(queryPart);
  const parts = pathPart
    .split('/')
    .filter((s) => s !== '')
    .map(decodeURIComponent);
  switch (parts[0]) {
    case undefined:
      return route(MENUS[role]?.[0]?.href ?? '#/audit', role);
    case 'disputes':
      return html`<${DisputesPage} />`;
    case 'appraisals':
      return parts[1] !== undefined ? html`<${AppraisalPage} id=${parts[1]} period=${query.get('period') ?? undefined} />` : null;
    case 'audit':
      return parts[1] !== undefined ? html`<${AuditAppraisal} id=${parts[1]} />` : html`<${AuditSearch} />`;
    case 'units':
      return parts[1] !== undefined && parts[2] !== undefined
        ? html`<${UnitPage} unitId=${parts[1]} year=${parts[2]} period=${query.get('period') ?? undefined} />`
        : null;
    case 'mine':
      return html`<${MinePage} year=${parts[1]} />`;
    case 'appraisers':
      return parts[1] !== undefined && parts[2] !== undefined
        ? html`<${AppraiserAnalyticsPage} appraiserId=${parts[1]} year=${parts[2]} period=${query.get('period') ?? undefined} />`
        : null;
    case 'appraiser':
      return html`<${AppraiserPage} />`;
    default:
      return html`<main id="main"><p>${t('app.notFound')}</p></main>`;
  }
}

export function App({ settings, failure }: { settings: AuthSettings; failure: string | null }) {
  const [, rerender] = useState(0);
  const [language, setLanguage] = useState<Lang>(lang());
  useEffect(() => onSessionChange(() => rerender((n) => n + 1)), []);
  const hash = useHash();
  const session = currentSession();
  const chooseLang = (next: Lang) => {
    setLang(next);
    localStorage.setItem(LANG_KEY, next);
    setLanguage(next);
  };
  return html`<div class="app" key=${language}>
    <a
      class="skip"
      href="#main"
      onClick=${(e: Event) => {
        e.preventDefault();
        document.getElementById('main')?.focus();
      }}
      >${t('app.skip')}</a
    >
    <header class="top">
      <p class="brand">${t('app.title')}</p>
      ${
        session !== null
          ? html`<nav aria-label=${t('app.nav')}>
              ${(MENUS[session.actor.role] ?? []).map((m) => html`<a href=${m.href}>${t(m.label)}</a>`)}
            </nav>`
          : null
      }
      <div class="tools">
        <label for="lang">${t('app.language')}</label>
        <select id="lang" value=${language} onChange=${(e: Event) => chooseLang((e.target as HTMLSelectElement).value as Lang)}>
          ${LANGS.map((l) => html`<option value=${l}>${l === 'id' ? 'Bahasa Indonesia' : 'English'}</option>`)}
        </select>
        ${
          session !== null
            ? html`<span class="who" data-testid="who"
                  >${t('app.signedInAs', { id: session.actor.id, role: term('role', session.actor.role) })}${session.mode === 'local' ? ' · local' : ''}</span
                >
                <button type="button" onClick=${() => setSession(null)}>${t('app.signOut')}</button>`
            : null
        }
      </div>
    </header>
    ${session === null ? html`<${SignIn} settings=${settings} failure=${failure} />` : route(hash, session.actor.role)}
  </div>`;
}

export function initialLang(): Lang {
  const saved = localStorage.getItem(LANG_KEY);
  if (saved === 'id' || saved === 'en') return saved;
  return 'id';
}
