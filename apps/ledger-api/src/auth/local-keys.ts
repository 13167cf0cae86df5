import * as fs from 'node:fs';
import * as path from 'node:path';
import { type CryptoKey, type JWK, SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK } from 'jose';
import { ROLES, type Role } from '@ledger/appraisal';

/**
 * The local signing key (AUTH_MODE=local): one ES256 key pair per data directory, created on
 * first use and reused. Shared by the API's token verifier, scripts/mint-token.ts and the tests,
 * so a token minted by the CLI is accepted by a server on the same data directory.
 */
export const LOCAL_ISSUER = 'appraisal-ledger-local';
export const LEDGER_AUDIENCE = 'appraisal-ledger';
export const LOCAL_ALGORITHM = 'ES256';

export interface LocalKeys {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

export interface TokenClaims {
  sub: string;
  role: Role;
  /** Lifetime: '30m', '8h' (default), '7d'. */
  ttl?: string;
}

const keyDir = (dataDir: string) => path.join(dataDir, 'keys');
const privatePath = (dataDir: string) => path.join(keyDir(dataDir), 'local-es256.private.jwk.json');
const publicPath = (dataDir: string) => path.join(keyDir(dataDir), 'local-es256.public.jwk.json');

/** Loads the key pair of `dataDir`, creating it when missing. Safe when two processes race. */
export async function loadOrCreateLocalKeys(dataDir: string): Promise<LocalKeys> {
  const file = privatePath(dataDir);
  if (!fs.existsSync(file)) await createKeyFiles(dataDir);
  const jwk = JSON.parse(fs.readFileSync(file, 'utf8')) as JWK;
  const { d: _d, ...publicJwk } = jwk;
  return {
    kid: jwk.kid ?? (await calculateJwkThumbprint(publicJwk)),
    privateKey: (await importJWK(jwk, LOCAL_ALGORITHM)) as CryptoKey,
    publicKey: (await importJWK(publicJwk, LOCAL_ALGORITHM)) as CryptoKey,
  };
}

async function createKeyFiles(dataDir: string): Promise<void> {
  fs.mkdirSync(keyDir(dataDir), { recursive: true, mode: 0o700 });
  const { privateKey, publicKey } = await generateKeyPair(LOCAL_ALGORITHM, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: LOCAL_ALGORITHM, use: 'sig' };
  // Written to a temporary file and then hard-linked into place: link() fails if the target
  // exists, so when two processes start at once exactly one key wins and both then read it.
  const tmp = `${privatePath(dataDir)}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(privateJwk, null, 2), { mode: 0o600 });
  try {
    fs.linkSync(tmp, privatePath(dataDir));
    fs.writeFileSync(publicPath(dataDir), JSON.stringify({ ...publicJwk, kid, alg: LOCAL_ALGORITHM, use: 'sig' }, null, 2));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

export async function signLocalToken(keys: LocalKeys, claims: TokenClaims, now: Date = new Date()): Promise<string> {
  if (!(ROLES as readonly string[]).includes(claims.role)) throw new Error(`unknown role ${claims.role}; one of ${ROLES.join(', ')}`);
  if (claims.sub.trim() === '') throw new Error('sub must not be empty');
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({ role: claims.role })
    .setProtectedHeader({ alg: LOCAL_ALGORITHM, kid: keys.kid, typ: 'JWT' })
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LEDGER_AUDIENCE)
    .setSubject(claims.sub)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds(claims.ttl ?? '8h'))
    .sign(keys.privateKey);
}

const SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** '90s', '30m', '8h', '7d' → seconds. */
export function ttlSeconds(ttl: string): number {
  const match = /^(\d+)(s|m|h|d)$/.exec(ttl.trim());
  if (match === null || Number(match[1]) === 0) throw new Error(`ttl must look like 30m, 8h or 7d, got "${ttl}"`);
  return Number(match[1]) * SECONDS[match[2]];
}
