import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { getJson, postJson } from '../api';
import { ErrorBox, show, useAsync } from '../components/common';
import { problemMessage, t, term } from '../i18n/i18n';
import { startSignIn } from '../oidc';
import { claimsOf, sessionEnd, setSession } from '../session';

export interface AuthSettings {
  mode: 'local' | 'oidc';
  issuer?: string;
  audience?: string;
  clientId?: string;
  devSignIn: boolean;
}

interface Person {
  id: string;
  name?: string;
  roles: string[];
}

const ALL_ROLES = [
  'PEGAWAI',
  'PEJABAT_PENILAI',
  'ATASAN_PEJABAT_PENILAI',
  'REKAN_KERJA',
  'PENGELOLA_KINERJA',
  'PIMPINAN_UNIT',
  'PENINJAU',
  'AUDITOR',
];

export function SignIn({ settings, failure }: { settings: AuthSettings; failure: string | null }) {
  // A token the API refused (wrong audience, expired, unknown key) ends the session: said here, with the API's reason.
  const ended = sessionEnd();
  return html`<main id="main" class="narrow">
    <h1>${t('signin.title')}</h1>
    ${failure !== null ? html`<p class="error" role="alert" data-testid="sign-in-failed">${t('signin.failed', { reason: failure })}</p>` : null}
    ${
      ended !== null
        ? html`<p class="error" role="alert" data-testid="session-ended">
            ${t('signin.refused', { reason: problemMessage(ended.code, 401) })}${ended.detail !== '' ? html` <span lang="en">${ended.detail}</span>` : null}
          </p>`
        : null
    }
    ${settings.mode === 'local' ? html`<${DevSignIn} available=${settings.devSignIn} />` : html`<${OidcSignIn} settings=${settings} />`}
    <p class="muted small">${t('signin.tokenInMemory')}</p>
  </main>`;
}

function OidcSignIn({ settings }: { settings: AuthSettings }) {
  const [error, setError] = useState<unknown>(null);
  const { issuer, clientId, audience } = settings;
  if (issuer === undefined || clientId === undefined || audience === undefined)
    return html`<p class="warn">${t('signin.oidcNoClient')}</p>`;
  const go = () => startSignIn({ issuer, clientId, audience }).catch(setError);
  return html`<p>${t('signin.oidcIssuer', { issuer })}</p>
    <button type="button" class="primary" data-testid="oidc-sign-in" onClick=${go}>${t('signin.oidc')}</button>
    ${error !== null ? html`<${ErrorBox} error=${error} />` : null}`;
}

function DevSignIn({ available }: { available: boolean }) {
  const [people] = useAsync(
    () => (available ? getJson<{ people: Person[] }>('/auth/dev-people') : Promise.resolve({ people: [] })),
    [available],
  );
  const [personId, setPersonId] = useState('');
  const [otherId, setOtherId] = useState('');
  const [role, setRole] = useState('');
  const [error, setError] = useState<unknown>(null);
  const banner = html`<p class="banner" role="note" data-testid="local-mode">${t('signin.localMode')}</p>`;
  if (!available)
    return html`${banner}
      <p class="warn">${t('signin.devUnavailable')}</p>`;

  return html`${banner}${show(people, ({ people: list }) => {
    const chosen = list.find((p) => p.id === personId);
    const sub = otherId.trim() !== '' ? otherId.trim() : personId;
    const roles = otherId.trim() !== '' || chosen === undefined ? ALL_ROLES : chosen.roles;
    const effectiveRole = roles.includes(role) ? role : (roles[0] ?? '');
    const submit = async (event: Event) => {
      event.preventDefault();
      setError(null);
      try {
        const { token, expiresAt } = await postJson<{ token: string; expiresAt: string }>('/auth/dev-token', { sub, role: effectiveRole });
        const claims = claimsOf(token);
        setSession({ token, actor: { id: String(claims.sub), role: String(claims.role) }, mode: 'local', expiresAt });
      } catch (caught) {
        setError(caught);
      }
    };
    return html`<form class="stack" onSubmit=${submit} data-testid="dev-sign-in">
      <p>${t('signin.devIntro')}</p>
      <label for="person">${t('signin.person')}</label>
      <select id="person" value=${personId} onChange=${(e: Event) => setPersonId((e.target as HTMLSelectElement).value)}>
        <option value="">—</option>
        ${list.map((p) => html`<option value=${p.id}>${p.id}${p.name !== undefined ? ` — ${p.name}` : ''}</option>`)}
      </select>
      <label for="other-id">${t('signin.otherId')}</label>
      <input id="other-id" value=${otherId} autocomplete="off" onInput=${(e: Event) => setOtherId((e.target as HTMLInputElement).value)} />
      <label for="role">${t('signin.role')}</label>
      <select id="role" value=${effectiveRole} onChange=${(e: Event) => setRole((e.target as HTMLSelectElement).value)}>
        ${roles.map((r) => html`<option value=${r}>${term('role', r)}</option>`)}
      </select>
      <button type="submit" class="primary" disabled=${sub === '' || effectiveRole === ''}>${t('signin.submit')}</button>
      ${error !== null ? html`<${ErrorBox} error=${error} />` : null}
    </form>`;
  })}`;
}
