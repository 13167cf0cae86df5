import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SignJWT, generateKeyPair } from 'jose';
import { LEDGER_AUDIENCE, LOCAL_ISSUER, loadOrCreateLocalKeys, signLocalToken, ttlSeconds } from './local-keys';
import { createTokenVerifier, InvalidTokenError } from './token-verifier';

describe('local signing key and token verification', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-auth-'));
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('creates the key pair on first use with a private file only the owner can read, then reuses it', async () => {
    const first = await loadOrCreateLocalKeys(dataDir);
    const file = path.join(dataDir, 'keys', 'local-es256.private.jwk.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ kty: 'EC', crv: 'P-256', kid: first.kid });
    const second = await loadOrCreateLocalKeys(dataDir);
    expect(second.kid).toBe(first.kid);
  });

  it('lets two concurrent starts end with one key', async () => {
    const [a, b] = await Promise.all([loadOrCreateLocalKeys(dataDir), loadOrCreateLocalKeys(dataDir)]);
    expect(a.kid).toBe(b.kid);
    expect(fs.readdirSync(path.join(dataDir, 'keys')).sort()).toEqual(['local-es256.private.jwk.json', 'local-es256.public.jwk.json']);
  });

  it('turns a token it signed into the actor {id: sub, role}', async () => {
    const keys = await loadOrCreateLocalKeys(dataDir);
    const verifier = await createTokenVerifier({ mode: 'local' }, dataDir);
    const token = await signLocalToken(keys, { sub: '199001012020121001', role: 'PEGAWAI' });
    await expect(verifier.verify(token)).resolves.toEqual({ id: '199001012020121001', role: 'PEGAWAI' });
  });

  it('remembers a verified token only until it expires', async () => {
    const keys = await loadOrCreateLocalKeys(dataDir);
    const verifier = await createTokenVerifier({ mode: 'local' }, dataDir);
    const token = await signLocalToken(keys, { sub: '199001012020121001', role: 'PEGAWAI', ttl: '60s' });
    await expect(verifier.verify(token)).resolves.toEqual({ id: '199001012020121001', role: 'PEGAWAI' });
    // Only Date is faked: the signature check itself stays real and asynchronous.
    jest.useFakeTimers({
      doNotFake: [
        'nextTick',
        'setImmediate',
        'clearImmediate',
        'setTimeout',
        'clearTimeout',
        'setInterval',
        'clearInterval',
        'queueMicrotask',
        'hrtime',
        'performance',
      ],
    });
    try {
      jest.setSystemTime(Date.now() + 61_000);
      await expect(verifier.verify(token)).rejects.toThrow('the token has expired');
    } finally {
      jest.useRealTimers();
    }
  });

  it('refuses expired tokens, other keys, other issuers or audiences and unknown roles', async () => {
    const keys = await loadOrCreateLocalKeys(dataDir);
    const verifier = await createTokenVerifier({ mode: 'local' }, dataDir);
    const other = await generateKeyPair('ES256');
    const now = Math.floor(Date.now() / 1000);
    const token = (claims: Record<string, unknown>, key = keys.privateKey, iss = LOCAL_ISSUER, aud = LEDGER_AUDIENCE) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256' })
        .setIssuer(iss)
        .setAudience(aud)
        .setSubject('x')
        .setExpirationTime(now + 60)
        .sign(key);

    const refusals = [
      await signLocalToken(keys, { sub: 'x', role: 'AUDITOR', ttl: '1s' }, new Date(Date.now() - 3600_000)),
      await token({ role: 'AUDITOR' }, other.privateKey),
      await token({ role: 'AUDITOR' }, keys.privateKey, 'someone-else'),
      await token({ role: 'AUDITOR' }, keys.privateKey, LOCAL_ISSUER, 'other-api'),
      await token({ role: 'ADMIN' }),
      await token({}),
      'not-a-jwt',
    ];
    for (const t of refusals) await expect(verifier.verify(t)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('parses token lifetimes', () => {
    expect(ttlSeconds('90s')).toBe(90);
    expect(ttlSeconds('8h')).toBe(28800);
    expect(() => ttlSeconds('8 hours')).toThrow();
  });
});
