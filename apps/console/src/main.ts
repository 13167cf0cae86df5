import { html, render } from 'htm/preact';
import { ApiError, getJson } from './api';
import { App, initialLang } from './app';
import { setLang } from './i18n/i18n';
import { completeSignIn } from './oidc';
import type { AuthSettings } from './pages/sign-in';
import { claimsOf, setSession } from './session';

/** Boot: the language, how to sign in (GET /auth/settings), and the OIDC callback when this load is one. */
async function boot(): Promise<void> {
  setLang(initialLang());
  const root = document.getElementById('app');
  if (root === null) return;
  const settings = await getJson<AuthSettings>('/auth/settings');
  let failure: string | null = null;
  if (settings.mode === 'oidc' && settings.issuer !== undefined && settings.clientId !== undefined && settings.audience !== undefined) {
    try {
      const token = await completeSignIn({ issuer: settings.issuer, clientId: settings.clientId, audience: settings.audience });
      if (token !== null) {
        const claims = claimsOf(token);
        const exp = typeof claims.exp === 'number' ? new Date(claims.exp * 1000).toISOString() : null;
        setSession({ token, actor: { id: String(claims.sub), role: String(claims.role) }, mode: 'oidc', expiresAt: exp });
        // The API is the judge of the token (audience, expiry, key): one read before any page trusts it. A 401
        // ends the session with the API's reason on the sign-in page; any other answer (a 403 too) means accepted.
        await getJson('/disputes').catch((error: unknown) => {
          if (!(error instanceof ApiError) || error.status !== 403) throw error;
        });
      }
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) {
        setSession(null);
        failure = error instanceof Error ? error.message : String(error);
      }
    }
  }
  root.textContent = '';
  render(html`<${App} settings=${settings} failure=${failure} />`, root);
}

boot().catch((error: unknown) => {
  const root = document.getElementById('app');
  if (root !== null) root.textContent = `Error: ${error instanceof Error ? error.message : String(error)}`;
});
