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

export const keyDir = (dataDir: string) => path.join(dataDir, 'keys');
const privatePath = (dataDir: string) => path.join(keyDir(dataDir), 'local-es256.private.jwk.json');
const publicPath = (dataDir: string) => path.join(keyDir(dataDir), 'local-es256.public.jwk.json');
/** The earlier keys: public halves only, each still verifying until it is retired (created by the first rotation). */
export const keyringPath = (dataDir: string) => path.join(keyDir(dataDir), 'local-es256.keyring.json');

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

/**
 * Key rotation (AUTH_MODE=local). The active key signs; rotate() makes a new one active and keeps
 * the old one's public half in the keyring, where it still verifies the tokens it signed until
 * retire() marks it retired: from then on those tokens are refused (401 TOKEN_KEY_RETIRED). The
 * api notices both within a second (token-verifier.ts). The JWKS served at /.well-known/jwks.json
 * lists the keys that verify: the active one and the earlier ones not retired.
 */
export interface KeyringEntry {
  jwk: JWK & { kid: string };
  addedAt: string;
  retiredAt: string | null;
}

export interface VerificationKeys {
  activeKid: string;
  /** kid → public key and whether it is retired. */
  keys: Map<string, { key: CryptoKey; jwk: JWK; retired: boolean }>;
}

function readKeyring(dataDir: string): KeyringEntry[] {
  const file = keyringPath(dataDir);
  if (!fs.existsSync(file)) return [];
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { keys: KeyringEntry[] }).keys;
}

function writeAtomically(file: string, text: string, mode: number): void {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(tmp, text, { mode });
  fs.renameSync(tmp, file);
}

export async function loadVerificationKeys(dataDir: string): Promise<VerificationKeys> {
  const active = await loadOrCreateLocalKeys(dataDir);
  const keys: VerificationKeys['keys'] = new Map();
  keys.set(active.kid, { key: active.publicKey, jwk: await publicJwkOf(active), retired: false });
  for (const entry of readKeyring(dataDir)) {
    if (entry.jwk.kid === active.kid) continue;
    keys.set(entry.jwk.kid, {
      key: (await importJWK(entry.jwk, LOCAL_ALGORITHM)) as CryptoKey,
      jwk: entry.jwk,
      retired: entry.retiredAt !== null,
    });
  }
  return { activeKid: active.kid, keys };
}

async function publicJwkOf(keys: LocalKeys): Promise<JWK> {
  return { ...(await exportJWK(keys.publicKey)), kid: keys.kid, alg: LOCAL_ALGORITHM, use: 'sig' };
}

/** The JWKS of the keys that verify (RFC 7517): the active key and the earlier ones not retired. */
export async function localJwks(dataDir: string): Promise<{ keys: JWK[] }> {
  const { keys } = await loadVerificationKeys(dataDir);
  return { keys: [...keys.values()].filter((k) => !k.retired).map((k) => k.jwk) };
}

/** A new active key; the previous one keeps verifying (it moves to the keyring). Not safe against a concurrent rotate. */
export async function rotateLocalKey(dataDir: string, now: Date = new Date()): Promise<{ previousKid: string; kid: string }> {
  const previous = await loadOrCreateLocalKeys(dataDir);
  const keyring = readKeyring(dataDir).filter((e) => e.jwk.kid !== previous.kid);
  keyring.push({ jwk: (await publicJwkOf(previous)) as KeyringEntry['jwk'], addedAt: now.toISOString(), retiredAt: null });
  // The keyring first: a crash between the two writes leaves the old key active and also listed, which verifies the same.
  writeAtomically(keyringPath(dataDir), JSON.stringify({ keys: keyring }, null, 2), 0o644);
  const { privateKey, publicKey } = await generateKeyPair(LOCAL_ALGORITHM, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  writeAtomically(
    privatePath(dataDir),
    JSON.stringify({ ...(await exportJWK(privateKey)), kid, alg: LOCAL_ALGORITHM, use: 'sig' }, null, 2),
    0o600,
  );
  writeAtomically(publicPath(dataDir), JSON.stringify({ ...publicJwk, kid, alg: LOCAL_ALGORITHM, use: 'sig' }, null, 2), 0o644);
  return { previousKid: previous.kid, kid };
}

/** Retires an earlier key: tokens it signed are refused from then on. The active key cannot be retired (rotate first). */
export async function retireLocalKey(dataDir: string, kid: string, now: Date = new Date()): Promise<void> {
  const active = await loadOrCreateLocalKeys(dataDir);
  if (kid === active.kid) throw new Error(`key ${kid} is the active key: rotate first, then retire it`);
  const keyring = readKeyring(dataDir);
  const entry = keyring.find((e) => e.jwk.kid === kid);
  if (entry === undefined) throw new Error(`no earlier key ${kid} (see: token-keys list)`);
  entry.retiredAt ??= now.toISOString();
  writeAtomically(keyringPath(dataDir), JSON.stringify({ keys: keyring }, null, 2), 0o644);
}

/** Every key with its state, for `token-keys list`. */
export async function listLocalKeys(
  dataDir: string,
): Promise<{ kid: string; state: 'active' | 'verifying' | 'retired'; retiredAt: string | null }[]> {
  const active = await loadOrCreateLocalKeys(dataDir);
  return [
    { kid: active.kid, state: 'active' as const, retiredAt: null },
    ...readKeyring(dataDir)
      .filter((e) => e.jwk.kid !== active.kid)
      .map((e) => ({
        kid: e.jwk.kid,
        state: e.retiredAt === null ? ('verifying' as const) : ('retired' as const),
        retiredAt: e.retiredAt,
      })),
  ];
}
