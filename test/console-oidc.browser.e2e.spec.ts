/// <reference lib="dom" />
import { mkdtempSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildConsoleForTests } from './support/console';
import { browserRequired, chromiumPresent, CHROMIUM, launchChromium, screenshot, seriousAxeViolations, watchCsp } from './support/browser';
import { Ledger, P, UNIT, YEAR, openUnitWithApprovedPlans } from './support/ledger';
import { TestProvider, freePort, signingKey } from './support/oidc';
import { decodeJwt, type JWK } from 'jose';
import { randomIds } from '../apps/ledger-api/src/platform/ports';

/**
 * The console's OIDC sign-in in Chromium: the authorization-code flow with PKCE against a real
 * OpenID Provider (oidc-provider on loopback, test only), the api in AUTH_MODE=oidc on a real
 * port. The person signs in at the provider, lands back on the console with a JWT access token
 * the api accepts, and nothing of it is left in localStorage; a token the api refuses (issued
 * for another audience) is said on screen, not swallowed.
 */
const describeBrowser = chromiumPresent() || browserRequired() ? describe : describe.skip;

describeBrowser(`the console's OIDC sign-in in Chromium${chromiumPresent() ? '' : ` (skipped: no Chromium at ${CHROMIUM})`}`, () => {
  jest.setTimeout(120_000);
  const audience = 'https://ledger.example.go.id/api';
  const roles = { 'auditor-01': 'AUDITOR', [P.leader]: 'PIMPINAN_UNIT' };
  let providerPort: number;
  let key: JWK;
  let provider: TestProvider;
  let l: Ledger;
  let dataDir: string | undefined;
  let server: http.Server;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let cspViolations: () => Promise<string[]>;

  const startProvider = (tokenAudience?: string) =>
    TestProvider.start({ port: providerPort, keys: [key], audience, redirect: `${base}/console/`, roles, tokenAudience });

  beforeAll(async () => {
    if (!chromiumPresent()) throw new Error(`Chromium is required here (CI=true) but missing at ${CHROMIUM}`);
    buildConsoleForTests();
    const apiPort = await freePort();
    providerPort = await freePort();
    base = `http://127.0.0.1:${apiPort}`;
    key = await signingKey('k1');
    provider = await startProvider();
    // The unit is written in local mode (the test's own tokens), then the api restarts on the same store in oidc mode.
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-console-oidc-'));
    const seed = await Ledger.start(undefined, { dataDir, ids: randomIds });
    await openUnitWithApprovedPlans(seed);
    await seed.close();
    l = await Ledger.start(undefined, {
      dataDir,
      ids: randomIds,
      env: {
        AUTH_MODE: 'oidc',
        OIDC_ISSUER: provider.issuer,
        OIDC_JWKS_URI: `${provider.issuer}/jwks`,
        OIDC_AUDIENCE: audience,
        OIDC_CLIENT_ID: 'ledger-console',
      },
    });
    server = http.createServer(l.t.listener);
    await new Promise<void>((resolve) => server.listen(apiPort, '127.0.0.1', resolve));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
    await l?.close();
    await provider?.stop();
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'id-ID' });
    page = await context.newPage();
    cspViolations = await watchCsp(page);
  });
  afterEach(async () => {
    // The console's own document (the provider's pages have their own policy).
    expect(new URL(page.url()).origin).toBe(base);
    expect(await cspViolations()).toEqual([]);
    await context.close();
  });

  /** At the provider: its login form (any login name is an account), then its consent. */
  async function signInAtProvider(login: string): Promise<void> {
    await page.goto(`${base}/console/`);
    await page.getByTestId('oidc-sign-in').click();
    await page.waitForURL((url) => url.origin === provider.issuer);
    await page.fill('input[name=login]', login);
    await page.fill('input[name=password]', 'any');
    await page.click('button[type=submit]');
    await page.waitForSelector('button[type=submit]:has-text("Continue"), #app', { timeout: 10_000 });
    if (new URL(page.url()).origin === provider.issuer) await page.click('button[type=submit]');
    await page.waitForURL((url) => url.origin === base && url.pathname === '/console/');
    await page.waitForFunction(() => document.querySelector('[aria-busy=true]') === null && document.querySelector('#main') !== null);
  }

  it('signs in with the authorization code and PKCE, lands on a page with the api’s data, and keeps the token out of storage', async () => {
    const tokenRequests: URLSearchParams[] = [];
    const issued: string[] = [];
    page.on('request', (r) => {
      if (r.url() === `${provider.issuer}/token` && r.method() === 'POST') tokenRequests.push(new URLSearchParams(r.postData() ?? ''));
    });
    page.on('response', async (r) => {
      if (r.url() === `${provider.issuer}/token` && r.request().method() === 'POST')
        issued.push(((await r.json()) as { access_token: string }).access_token);
    });
    await page.goto(`${base}/console/`);
    await page.getByTestId('oidc-sign-in').waitFor();
    expect(await page.locator('[data-testid=local-mode]').count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await signInAtProvider(P.leader);

    expect(await page.getByTestId('who').innerText()).toContain(P.leader);
    // The code was exchanged with its PKCE verifier; no callback parameters are left in the address.
    expect(tokenRequests).toHaveLength(1);
    expect(tokenRequests[0].get('grant_type')).toBe('authorization_code');
    expect(tokenRequests[0].get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new URL(page.url()).search).toBe('');
    // What the provider issued for the API's resource: a JWT for its audience, with the person's sub and role.
    expect(issued).toHaveLength(1);
    expect(decodeJwt(issued[0])).toMatchObject({
      iss: provider.issuer,
      aud: audience,
      sub: P.leader,
      role: 'PIMPINAN_UNIT',
      client_id: 'ledger-console',
    });

    // The unit leader's first page reads the api with the provider's token: the unit and its members.
    await page.evaluate((h) => (location.hash = h), `#/units/${UNIT}/${YEAR}`);
    await page.getByTestId('distribution-chart').waitFor();
    expect(await page.locator('#main').innerText()).toContain(P.employees[0]);
    expect(await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length }))).toEqual({ local: 0, session: 0 });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, '11-oidc-signed-in');
  });

  it('shows a refused sign-in on screen: the provider issued the token for another audience', async () => {
    await provider.stop();
    provider = await startProvider('https://other.example.go.id/api');
    try {
      await signInAtProvider('auditor-01');
      // The console took the token (its first read is refused), and says why on the sign-in page, in the reader's language.
      await page.getByTestId('session-ended').waitFor();
      const text = await page.getByTestId('session-ended').innerText();
      expect(text).toContain('API menolak token sesi masuk Anda: Silakan masuk terlebih dahulu. (UNAUTHENTICATED)');
      expect(text).toContain('"aud"');
      expect(await page.getByRole('alert').count()).toBe(1);
      expect(await page.locator('[data-testid=who]').count()).toBe(0);
      await page.getByTestId('oidc-sign-in').waitFor();
      expect(await page.evaluate(() => localStorage.length)).toBe(0);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, '12-oidc-refused');
    } finally {
      await provider.stop();
      provider = await startProvider();
    }
  });
});
