/**
 * Who is signed in, held in this module's memory only (never localStorage or a cookie): a reload
 * or a closed tab ends the session. Subscribers re-render on a change.
 */
export interface Session {
  token: string;
  actor: { id: string; role: string };
  mode: 'local' | 'oidc';
  expiresAt: string | null;
}

/** Why the API ended the last session (it refused the token), to say on the sign-in page; null after a sign-out. */
export interface SessionEnd {
  code: string;
  detail: string;
}

let session: Session | null = null;
let ended: SessionEnd | null = null;
const listeners = new Set<() => void>();

export const currentSession = (): Session | null => session;
export const sessionEnd = (): SessionEnd | null => ended;

export function setSession(next: Session | null, why: SessionEnd | null = null): void {
  session = next;
  ended = next === null ? why : null;
  for (const listener of listeners) listener();
}

export function onSessionChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The claims of a JWT, read (not verified: the API verifies every request) to show who is signed in. */
export function claimsOf(token: string): { sub?: unknown; role?: unknown; exp?: unknown } {
  const part = token.split('.')[1] ?? '';
  try {
    const json = atob(
      part
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(part.length / 4) * 4, '='),
    );
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0)))) as {
      sub?: unknown;
      role?: unknown;
      exp?: unknown;
    };
  } catch {
    return {};
  }
}
