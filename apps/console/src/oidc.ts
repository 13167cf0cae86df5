import { toBase64 } from './verify/bytes';

/**
 * The OIDC authorization-code flow with PKCE (RFC 7636, S256) for a public client. Only the PKCE
 * verifier and the state cross the redirect, in sessionStorage; the access token stays in memory.
 */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  audience: string;
}

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
}

const PENDING = 'ledger-console.oidc';
const redirectUri = (): string => `${location.origin}/console/`;
const base64url = (bytes: Uint8Array): string => toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const random = (n: number): string => base64url(crypto.getRandomValues(new Uint8Array(n)));

async function discover(issuer: string): Promise<Discovery> {
  const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, { credentials: 'omit' });
  if (!response.ok) throw new Error(`discovery answered ${response.status}`);
  return (await response.json()) as Discovery;
}

export async function startSignIn(settings: OidcSettings): Promise<void> {
  const { authorization_endpoint: endpoint } = await discover(settings.issuer);
  const verifier = random(32);
  const state = random(16);
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state }));
  const url = new URL(endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: settings.clientId,
    redirect_uri: redirectUri(),
    scope: 'openid',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    resource: settings.audience,
  }).toString();
  location.assign(url.toString());
}

/** On return from the issuer (?code=&state=): the access token, or null when this is no callback. */
export async function completeSignIn(settings: OidcSettings): Promise<string | null> {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  const error = params.get('error');
  if (code === null && error === null) return null;
  const pending = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, '', `${location.pathname}${location.hash}`);
  if (error !== null) throw new Error(error);
  const { verifier, state } = JSON.parse(pending ?? '{}') as { verifier?: string; state?: string };
  if (verifier === undefined || state === undefined || params.get('state') !== state) throw new Error('state mismatch');
  const { token_endpoint: endpoint } = await discover(settings.issuer);
  const response = await fetch(endpoint, {
    method: 'POST',
    credentials: 'omit',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: code ?? '',
      redirect_uri: redirectUri(),
      client_id: settings.clientId,
      code_verifier: verifier,
      resource: settings.audience,
    }).toString(),
  });
  if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
  const { access_token: token } = (await response.json()) as { access_token?: unknown };
  if (typeof token !== 'string') throw new Error('no access token');
  return token;
}
