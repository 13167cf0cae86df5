import request from 'supertest';
import { decodeJwt } from 'jose';
import { Ledger, P } from './support/ledger';
import { TestProvider, freePort, signingKey } from './support/oidc';

/**
 * AUTH_MODE=oidc against a real OpenID Provider (oidc-provider on loopback), not a JWKS stub:
 * its access tokens (JWT, audience = the resource the API is) are accepted; an expired one, one
 * for another audience and one after the provider rotated to an unseen key are judged right.
 */
describe('the api against a real OpenID Provider', () => {
  jest.setTimeout(60_000);
  const audience = 'https://ledger.example.go.id/api';
  let provider: TestProvider;
  let port: number;
  let l: Ledger;
  const roles = { 'auditor-01': 'AUDITOR', 'auditor-short': 'AUDITOR' };

  beforeAll(async () => {
    port = await freePort();
    provider = await TestProvider.start({ port, keys: [await signingKey('k1')], audience, redirect: 'http://127.0.0.1:1/console/', roles });
    l = await Ledger.start(undefined, {
      env: { AUTH_MODE: 'oidc', OIDC_ISSUER: provider.issuer, OIDC_JWKS_URI: `${provider.issuer}/jwks`, OIDC_AUDIENCE: audience },
    });
  });
  afterAll(async () => {
    await l?.close();
    await provider?.stop();
  });

  const get = (token: string) => request(l.t.server).get('/disputes').set('authorization', `Bearer ${token}`);

  it("accepts the provider's access token for this audience and takes the actor from sub and role", async () => {
    const token = await provider.clientToken('auditor-01', audience);
    expect(decodeJwt(token)).toMatchObject({ iss: provider.issuer, aud: audience, sub: 'auditor-01', role: 'AUDITOR' });
    const res = await get(token);
    expect([res.status, res.body]).toEqual([200, { disputes: [] }]);
  });

  it('refuses a token of the provider for another audience, an expired one, and a local token', async () => {
    const other = await provider.clientToken('auditor-01', 'https://other.example.go.id/api');
    expect(decodeJwt(other).aud).toBe('https://other.example.go.id/api');
    const refusedAudience = await get(other);
    expect([refusedAudience.status, refusedAudience.body.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect(refusedAudience.body.detail).toContain('aud');

    const short = await provider.clientToken('auditor-short', audience);
    expect((await get(short)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const expired = await get(short);
    expect([expired.status, expired.body.detail]).toEqual([401, 'Invalid token: the token has expired']);

    const local = await l.token({ sub: P.auditor, role: 'AUDITOR' });
    expect((await get(local)).status).toBe(401);
  });

  it('follows a key rotation at the provider: a token signed with the new key is accepted within a second', async () => {
    const before = await provider.clientToken('auditor-01', audience);
    expect((await get(before)).status).toBe(200);
    await provider.stop();
    provider = await TestProvider.start({
      port,
      keys: [await signingKey('k2'), await signingKey('k1-unused')],
      audience,
      redirect: 'http://127.0.0.1:1/console/',
      roles,
    });
    const after = await provider.clientToken('auditor-01', audience);
    expect(JSON.parse(Buffer.from(after.split('.')[0], 'base64url').toString())).toMatchObject({ kid: 'k2' });
    // Accepted within the api's 1 s refetch cooldown (jose's default of 30 s refused the new key for that long).
    const started = Date.now();
    let res = await get(after);
    while (res.status !== 200 && Date.now() - started < 1500) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      res = await get(after);
    }
    expect([res.status, res.body.detail]).toEqual([200, undefined]);
    expect(Date.now() - started).toBeLessThan(1500);
  });
});
