import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import request from 'supertest';
import { Ledger, P, appraisalOf, openUnitAndFirstAppraisal } from './support/ledger';
import { buildConsoleForTests } from './support/console';

/**
 * The console as the api serves it: static files at /console with a strict CSP, and the sign-in
 * routes it uses (GET /auth/settings; in local mode, from this machine only, the people of the
 * ledger and a development token). Everything else the console shows comes from the API.
 */
describe('the console at /console and its sign-in routes', () => {
  let l: Ledger;
  beforeAll(() => buildConsoleForTests());
  beforeEach(async () => {
    l = await Ledger.start();
    await openUnitAndFirstAppraisal(l);
  });
  afterEach(() => l.close());

  it('serves the built pages with a CSP that allows no inline script, no eval and no other origin', async () => {
    const redirect = await request(l.t.server).get('/console');
    expect([redirect.status, redirect.headers.location]).toEqual([301, '/console/']);
    const page = await request(l.t.server).get('/console/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const csp = page.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    // No inline script or style in the page itself: every script and stylesheet is a file of this origin.
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page.text).not.toMatch(/<style|style=/);
    const scripts = [...page.text.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts).toHaveLength(1);
    expect(scripts[0]).toMatch(/^\/console\/assets\/[\w-]+\.js$/);
    const asset = await request(l.t.server).get(scripts[0]);
    expect(asset.status).toBe(200);
    expect(asset.headers['content-security-policy']).toBe(csp);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect(asset.text).not.toMatch(/\beval\(|new Function\(/);
    // A file that is not there is the API's 404, never a directory listing or another file.
    const missing = await request(l.t.server).get('/console/assets/nope.js');
    expect([missing.status, missing.body.code]).toEqual([404, 'ROUTE_NOT_FOUND']);
    const dotfile = await request(l.t.server).get('/console/.env');
    expect(dotfile.status).toBe(404);
  });

  it('in local mode lists the people of the ledger and mints a token that the API then authorises by relationship', async () => {
    const settings = await request(l.t.server).get('/auth/settings');
    expect(settings.body).toEqual({ mode: 'local', devSignIn: true });
    const people = await request(l.t.server).get('/auth/dev-people');
    expect(people.status).toBe(200);
    expect(people.body.people).toEqual(
      expect.arrayContaining([
        { id: P.employees[0], name: 'A', roles: ['PEGAWAI'] },
        { id: P.appraiser, roles: ['PEJABAT_PENILAI'] },
        { id: P.superior, roles: ['ATASAN_PEJABAT_PENILAI'] },
        { id: P.manager, roles: ['PENGELOLA_KINERJA'] },
        { id: P.leader, roles: ['PIMPINAN_UNIT'] },
      ]),
    );
    const minted = await request(l.t.server).post('/auth/dev-token').send({ sub: P.employees[0], role: 'PEGAWAI' });
    expect(minted.status).toBe(200);
    expect(Date.parse(minted.body.expiresAt)).toBeGreaterThan(Date.now());
    const own = await request(l.t.server)
      .get(`/appraisals/${appraisalOf(P.employees[0])}`)
      .set('authorization', `Bearer ${minted.body.token}`);
    expect(own.status).toBe(200);
    // The token is the person's, nothing more: another employee's appraisal is still refused.
    const stranger = await request(l.t.server).post('/auth/dev-token').send({ sub: P.employees[1], role: 'PEGAWAI' });
    const refused = await request(l.t.server)
      .get(`/appraisals/${appraisalOf(P.employees[0])}`)
      .set('authorization', `Bearer ${stranger.body.token}`);
    expect(refused.status).toBe(403);
  });

  it('refuses what a token may not carry, and anything but a JSON body of the two fields', async () => {
    for (const body of [
      { sub: 'x', role: 'MASYARAKAT' },
      { sub: 'x', role: 'ROOT' },
      { sub: '', role: 'AUDITOR' },
      { sub: 'x', role: 'AUDITOR', ttl: '999d' },
      { role: 'AUDITOR' },
      [],
    ]) {
      const res = await request(l.t.server).post('/auth/dev-token').send(body);
      expect([JSON.stringify(body), res.status, res.body.code]).toEqual([JSON.stringify(body), 400, 'VALIDATION_FAILED']);
    }
    const text = await request(l.t.server).post('/auth/dev-token').set('content-type', 'text/plain').send('sub=x');
    expect(text.status).toBe(415);
  });

  it('answers the development routes to no caller across the network', async () => {
    const address = Object.values(networkInterfaces())
      .flat()
      .find((i) => i !== undefined && !i.internal && i.family === 'IPv4')?.address;
    if (address === undefined) {
      console.warn('skipped: this machine has no non-loopback IPv4 address to call from');
      return;
    }
    const server = http.createServer(l.t.listener);
    await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const remote = `http://${address}:${port}`;
      const people = await request(remote).get('/auth/dev-people');
      expect([people.status, people.body.code]).toEqual([404, 'ROUTE_NOT_FOUND']);
      const token = await request(remote).post('/auth/dev-token').send({ sub: P.auditor, role: 'AUDITOR' });
      expect([token.status, token.body.code]).toEqual([404, 'ROUTE_NOT_FOUND']);
      expect((await request(remote).get('/auth/settings')).body).toEqual({ mode: 'local', devSignIn: false });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('has no development sign-in in oidc mode, and says where to sign in instead', async () => {
    const oidc = await Ledger.start(undefined, {
      env: {
        AUTH_MODE: 'oidc',
        OIDC_ISSUER: 'https://sso.example.go.id/realms/asn',
        OIDC_JWKS_URI: 'https://sso.example.go.id/realms/asn/certs',
        OIDC_AUDIENCE: 'appraisal-ledger',
        OIDC_CLIENT_ID: 'ledger-console',
      },
    });
    try {
      const settings = await request(oidc.t.server).get('/auth/settings');
      expect(settings.body).toEqual({
        mode: 'oidc',
        issuer: 'https://sso.example.go.id/realms/asn',
        audience: 'appraisal-ledger',
        clientId: 'ledger-console',
        devSignIn: false,
      });
      for (const res of [
        await request(oidc.t.server).get('/auth/dev-people'),
        await request(oidc.t.server).post('/auth/dev-token').send({ sub: 'x', role: 'AUDITOR' }),
      ]) {
        expect([res.status, res.body.code]).toEqual([404, 'ROUTE_NOT_FOUND']);
      }
      // The console may call the issuer's origin (the PKCE token request), and only it besides its own.
      const page = await request(oidc.t.server).get('/console/');
      expect(page.headers['content-security-policy']).toContain("connect-src 'self' https://sso.example.go.id;");
    } finally {
      await oidc.close();
    }
  });
});
