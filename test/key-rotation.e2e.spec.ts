import { decodeProtectedHeader } from 'jose';
import request from 'supertest';
import {
  listLocalKeys,
  loadOrCreateLocalKeys,
  retireLocalKey,
  rotateLocalKey,
  signLocalToken,
} from '../apps/ledger-api/src/auth/local-keys';
import { startTestApp, type TestApp } from '../apps/ledger-api/src/testing/test-app';

/** The api notices a rotation or a retirement within a second (token-verifier.ts, KEY_CHECK_MS). */
const afterKeyCheck = () => new Promise((resolve) => setTimeout(resolve, 1100));

describe('rotating the local token key on a running api', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const sign = async (sub: string) => signLocalToken(await loadOrCreateLocalKeys(t.dataDir), { sub, role: 'AUDITOR', ttl: '1h' });
  const disputes = (token: string) => request(t.server).get('/disputes').set('Authorization', `Bearer ${token}`);
  const jwksKids = async () =>
    ((await request(t.server).get('/.well-known/jwks.json').expect(200)).body as { keys: { kid: string }[] }).keys.map((k) => k.kid);

  it('keeps accepting tokens of the old key after a rotation, signs with the new one, and refuses the old one once retired', async () => {
    const before = await sign('auditor-before');
    const oldKid = decodeProtectedHeader(before).kid as string;
    await disputes(before).expect(200);
    expect(await jwksKids()).toEqual([oldKid]);

    const { previousKid, kid } = await rotateLocalKey(t.dataDir);
    expect(previousKid).toBe(oldKid);
    expect(kid).not.toBe(oldKid);
    await afterKeyCheck();
    const after = await sign('auditor-after');
    expect(decodeProtectedHeader(after).kid).toBe(kid);
    await disputes(after).expect(200);
    await disputes(before).expect(200);
    expect((await jwksKids()).sort()).toEqual([kid, oldKid].sort());
    expect(await listLocalKeys(t.dataDir)).toEqual([
      { kid, state: 'active', retiredAt: null },
      { kid: oldKid, state: 'verifying', retiredAt: null },
    ]);

    await expect(retireLocalKey(t.dataDir, kid)).rejects.toThrow(/active key/);
    await retireLocalKey(t.dataDir, oldKid);
    await afterKeyCheck();
    // Refused although it was verified (and cached) before: the stable code tells the client to sign in again.
    const refused = await disputes(before).expect(401);
    expect(refused.body).toMatchObject({ code: 'TOKEN_KEY_RETIRED', status: 401 });
    expect(refused.headers['www-authenticate']).toContain('Bearer');
    await disputes(after).expect(200);
    expect(await jwksKids()).toEqual([kid]);
    expect((await listLocalKeys(t.dataDir))[1]).toMatchObject({ kid: oldKid, state: 'retired' });
  });

  it('answers UNAUTHENTICATED, not TOKEN_KEY_RETIRED, for a key it never had', async () => {
    const res = await disputes(
      (await sign('x')).replace(/^[^.]+/, Buffer.from(JSON.stringify({ alg: 'ES256', kid: 'nope', typ: 'JWT' })).toString('base64url')),
    ).expect(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
  });
});
