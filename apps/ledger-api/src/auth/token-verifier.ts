import * as fs from 'node:fs';
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { ROLES, type Actor, type Role } from '@ledger/appraisal';
import type { AuthConfig } from '../config/config';
import { LEDGER_AUDIENCE, LOCAL_ALGORITHM, LOCAL_ISSUER, keyDir, loadVerificationKeys, type VerificationKeys } from './local-keys';

/** Turns a bearer token into the actor. The actor comes from the token only, never from a body. */
export interface TokenVerifier {
  /** Throws InvalidTokenError with a reason that is safe to show. */
  verify(token: string): Promise<Actor>;
}

export class InvalidTokenError extends Error {
  constructor(
    reason: string,
    /** TOKEN_KEY_RETIRED: signed by a key the operator retired (a stable code, so clients know to sign in again). */
    readonly code: 'UNAUTHENTICATED' | 'TOKEN_KEY_RETIRED' = 'UNAUTHENTICATED',
  ) {
    super(reason);
    this.name = 'InvalidTokenError';
  }
}

/** How often the key files are looked at for a rotation or a retirement done by `token-keys`. */
const KEY_CHECK_MS = 1000;

const MAX_SUB_LENGTH = 128;

export async function createTokenVerifier(auth: AuthConfig, dataDir: string): Promise<TokenVerifier> {
  if (auth.mode === 'local') {
    let keys: VerificationKeys = await loadVerificationKeys(dataDir);
    let seen = keyFilesStamp(dataDir);
    let checkedAt = Date.now();
    // true when the key files changed since last looked at (then the keys are reloaded).
    const refresh = async (): Promise<boolean> => {
      if (Date.now() - checkedAt < KEY_CHECK_MS) return false;
      checkedAt = Date.now();
      const stamp = keyFilesStamp(dataDir);
      if (stamp === seen) return false;
      keys = await loadVerificationKeys(dataDir);
      seen = stamp;
      return true;
    };
    const getKey: JWTVerifyGetKey = async (header) => {
      const entry = keys.keys.get(header.kid ?? keys.activeKid);
      if (entry === undefined) throw new InvalidTokenError('the token is not signed by a trusted key');
      if (entry.retired)
        throw new InvalidTokenError(`the token is signed by key ${String(header.kid)}, which is retired`, 'TOKEN_KEY_RETIRED');
      return entry.key;
    };
    return verifierFor(getKey, { issuer: LOCAL_ISSUER, audience: LEDGER_AUDIENCE, algorithms: [LOCAL_ALGORITHM] }, refresh);
  }
  // The key set is fetched lazily and cached by jose; a rotated key is picked up on a miss. jose's
  // default cooldown (30 s without refetching after a fetch) refused every token of a freshly rotated
  // key for up to 30 s (test/oidc-provider.e2e.spec.ts); one refetch per second at most still keeps
  // tokens with made-up key ids from hammering the identity provider.
  const jwks = createRemoteJWKSet(new URL(auth.jwksUri), { cooldownDuration: 1000 });
  return verifierFor(jwks, { issuer: auth.issuer, audience: auth.audience });
}

const CACHED_TOKENS = 10_000;

/**
 * Verified tokens are remembered by their exact text until they expire: the same bytes carry the
 * same signature, so a client's repeated requests cost one signature check, not one each.
 */
function verifierFor(
  getKey: JWTVerifyGetKey,
  options: { issuer: string; audience: string; algorithms?: string[] },
  keysChanged: () => Promise<boolean> = async () => false,
): TokenVerifier {
  const verified = new Map<string, { actor: Actor; expiresAtMs: number }>();
  return {
    async verify(token) {
      // A retired key's tokens must not stay accepted from the cache.
      if (await keysChanged()) verified.clear();
      const hit = verified.get(token);
      if (hit !== undefined && Date.now() < hit.expiresAtMs) return hit.actor;
      verified.delete(token);
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, getKey, { ...options, requiredClaims: ['sub', 'exp'] }));
      } catch (error) {
        if (error instanceof InvalidTokenError) throw error;
        throw new InvalidTokenError(reasonOf(error));
      }
      const actor = actorOf(payload);
      if (verified.size >= CACHED_TOKENS) verified.clear();
      verified.set(token, { actor, expiresAtMs: (payload.exp ?? 0) * 1000 });
      return actor;
    },
  };
}

function actorOf(payload: JWTPayload): Actor {
  const { sub, role } = payload;
  if (typeof sub !== 'string' || sub.trim() === '' || sub.length > MAX_SUB_LENGTH) {
    throw new InvalidTokenError('the token subject is missing or too long');
  }
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
    throw new InvalidTokenError(`the token role claim must be one of ${ROLES.join(', ')}`);
  }
  // The public has no account: nobody signs in as MASYARAKAT, whatever an identity provider issues.
  if (role === 'MASYARAKAT') throw new InvalidTokenError('the role MASYARAKAT is not given to accounts');
  return { id: sub, role: role as Role };
}

/** jose's error codes are stable and say nothing secret; anything else stays generic. */
function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'the token has expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return `the token claim check failed: ${(error as Error).message}`;
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'the token signature does not verify';
    default:
      return 'the token is malformed or not signed by a trusted key';
  }
}

/** Changes when a rotation or a retirement rewrote a key file. */
function keyFilesStamp(dataDir: string): string {
  return ['local-es256.public.jwk.json', 'local-es256.keyring.json']
    .map((name) => {
      try {
        const stat = fs.statSync(`${keyDir(dataDir)}/${name}`);
        return `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
      } catch {
        return '-';
      }
    })
    .join('|');
}
