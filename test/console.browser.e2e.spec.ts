/// <reference lib="dom" />
import Database from 'better-sqlite3';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildConsoleForTests } from './support/console';
import { browserRequired, chromiumPresent, CHROMIUM, launchChromium, screenshot, seriousAxeViolations, watchCsp } from './support/browser';
import { BASIS, Ledger, P, UNIT, YEAR, appraisalOf, as, openUnitWithApprovedPlans, rating, surveyAnswers } from './support/ledger';

/**
 * The console in a real Chromium, against the real api on a real port: a reviewer, an
 * unassigned reviewer, an auditor and an employee sign in through the development sign-in and
 * use the pages as people would. Each page is checked by axe-core, photographed at 1366×768, and
 * watched for CSP violations.
 */
const THIRD_RATER = '199401012020121009';
const RATERS = [P.rater, P.rater2, THIRD_RATER];
const ID = appraisalOf(P.employees[0]);
const TAMPERED_ID = appraisalOf(P.employees[1]);

/** A unit of four, rated and finalised; employee 0 rated BAIK, revised to SANGAT_BAIK, objected, a reviewer assigned. */
async function disputedYear(l: Ledger): Promise<void> {
  await openUnitWithApprovedPlans(l);
  const A = `/appraisals/${ID}`;
  await l.ok(as.employee(0), `${A}/evidence`, {
    resultId: 'rhk-1',
    indicatorId: 'iki-1',
    period: 'TAHUNAN',
    value: 5,
    document: { uri: 'https://dms.example.go.id/kebijakan-arsip.pdf', sha256: 'ab'.repeat(32) },
  });
  await l.ok(as.appraiser, `${A}/feedback`, { text: 'Dokumen kebijakan lengkap' });
  l.clock.set('2026-12-02T02:00:00.000Z');
  await l.ok(as.leader, `/units/${UNIT}/years/${YEAR}/periods/TAHUNAN/organisational-predicate`, { predicate: 'BAIK', basis: BASIS });
  await l.ok(as.employee(0), `${A}/periods/TAHUNAN/self-assessment`, {
    hasilKerja: 'DI_ATAS_EKSPEKTASI',
    perilakuKerja: 'DI_ATAS_EKSPEKTASI',
  });
  for (const rater of RATERS) {
    await l.ok(as.appraiser, `${A}/periods/TAHUNAN/raters`, { raterId: rater, relation: 'REKAN_KERJA' });
    // The third rater answers above expectations throughout: they agree with neither of the others (a flag).
    await l.ok({ sub: rater, role: 'REKAN_KERJA' }, `${A}/periods/TAHUNAN/surveys`, {
      answers: surveyAnswers(rater === THIRD_RATER ? 'DI_ATAS_EKSPEKTASI' : 'SESUAI_EKSPEKTASI'),
      comment: `dari ${rater}`,
    });
  }
  await l.ok(as.appraiser, `${A}/periods/TAHUNAN/rating`, rating('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI'));
  l.clock.set('2026-12-03T02:00:00.000Z');
  await l.ok(as.appraiser, `${A}/periods/TAHUNAN/rating/revisions`, {
    ...rating('DI_ATAS_EKSPEKTASI', 'DI_ATAS_EKSPEKTASI'),
    reason: 'Bukti Desember masuk',
  });
  const others: [number, string, string][] = [
    [1, 'SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI'],
    [2, 'DI_BAWAH_EKSPEKTASI', 'SESUAI_EKSPEKTASI'],
    [3, 'DI_ATAS_EKSPEKTASI', 'DI_ATAS_EKSPEKTASI'],
  ];
  for (const [i, hasil, perilaku] of others)
    await l.ok(as.appraiser, `/appraisals/${appraisalOf(P.employees[i])}/periods/TAHUNAN/rating`, rating(hasil, perilaku));
  l.clock.set('2026-12-04T02:00:00.000Z');
  await l.ok(as.leader, `/units/${UNIT}/years/${YEAR}/periods/TAHUNAN/finalisation`, {});
  l.clock.set('2026-12-05T02:00:00.000Z');
  const q = `${A}/periods/TAHUNAN/objection`;
  await l.ok(as.employee(0), q, { reasons: 'Penilaian perilaku tidak mempertimbangkan survei' });
  await l.ok(as.superior, `${q}/statements`, { party: 'PEJABAT_PENILAI', statement: 'Revisi sudah mempertimbangkan bukti' });
  await l.ok(as.superior, `${q}/statements`, { party: 'PEGAWAI', statement: 'Survei 360 menunjukkan sesuai ekspektasi' });
  await l.ok(as.superior, `${q}/reviewer`, { reviewerId: P.reviewer });
  await l.read(as.auditor, `${A}/audit-trail`);
}

const describeBrowser = chromiumPresent() || browserRequired() ? describe : describe.skip;
if (!chromiumPresent()) {
  console.warn(
    `console browser tests ${browserRequired() ? 'REQUIRED but' : 'skipped:'} no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`,
  );
}

describeBrowser(
  `the console in Chromium${chromiumPresent() ? '' : ` (skipped: no Chromium at ${CHROMIUM}; apt-get install chromium)`}`,
  () => {
    jest.setTimeout(120_000);
    let l: Ledger;
    let server: http.Server;
    let base: string;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let cspViolations: () => Promise<string[]>;

    beforeAll(async () => {
      if (!chromiumPresent()) throw new Error(`Chromium is required here (CI=true) but missing at ${CHROMIUM}`);
      buildConsoleForTests();
      l = await Ledger.start();
      await disputedYear(l);
      server = http.createServer(l.t.listener);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
      if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
      await l?.close();
    });
    beforeEach(async () => {
      context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'id-ID' });
      page = await context.newPage();
      cspViolations = await watchCsp(page);
    });
    afterEach(async () => {
      expect(await cspViolations()).toEqual([]);
      await context.close();
    });

    /** The development sign-in, as a person would use it: a listed person, or another id, and a role. */
    async function signIn(who: { sub: string; role: string }, listed = true): Promise<void> {
      await page.goto(`${base}/console/`);
      await page.getByTestId('local-mode').waitFor();
      await page.getByTestId('dev-sign-in').waitFor();
      if (listed) await page.selectOption('#person', who.sub);
      else await page.fill('#other-id', who.sub);
      await page.selectOption('#role', who.role);
      await page.click('button[type=submit]');
      await page.getByTestId('who').waitFor();
    }
    const go = async (hash: string) => {
      await page.evaluate((h) => (location.hash = h), hash);
      await page.waitForFunction(() => document.querySelector('[aria-busy=true]') === null);
    };
    const checkPage = async (name: string) => {
      await page.waitForFunction(() => document.querySelector('[aria-busy=true]') === null);
      expect([name, await seriousAxeViolations(page)]).toEqual([name, []]);
      await screenshot(page, name);
    };

    it('a reviewer signs in, opens the assigned dispute, sees the highlighted cell and the verification status, and submits findings', async () => {
      await page.goto(`${base}/console/`);
      await page.getByTestId('dev-sign-in').waitFor();
      await checkPage('01-sign-in');
      await signIn(as.reviewer);
      await page.getByTestId('disputes').waitFor();
      const row = page.locator('[data-testid=disputes] tbody tr');
      expect(await row.count()).toBe(1);
      expect(await row.innerText()).toContain('Pegawai 1');
      expect(await row.innerText()).toContain('Dalam batas waktu');
      await checkPage('02-reviewer-queue');

      await row.locator('a').click();
      await page.getByTestId('objection').waitFor();
      const objection = await page.getByTestId('objection').innerText();
      expect(objection).toContain('Penilaian perilaku tidak mempertimbangkan survei');
      expect(objection).toContain('Revisi sudah mempertimbangkan bukti');
      expect(objection).toContain('Survei 360 menunjukkan sesuai ekspektasi');
      // The revised rating is in force: above expectations on both axes, SANGAT_BAIK, with its justifications beside the matrix.
      const cell = page.locator('[data-testid=predicate-matrix] td[data-current=true]');
      expect(await cell.count()).toBe(1);
      expect(await cell.innerText()).toContain('Sangat Baik');
      expect(await page.getByTestId('justification').innerText()).toContain('hasil kerja DI_ATAS_EKSPEKTASI');
      expect(await page.getByTestId('evidence').innerText()).toContain('ab'.repeat(32));
      await page.locator('[data-verification=intact]').waitFor();
      expect(await page.getByTestId('verification').innerText()).toMatch(
        /Rantai utuh, \d+ peristiwa tercakup dalam checkpoint bertanda tangan \d+/,
      );
      await checkPage('03-reviewer-dispute');
      // What the README shows (docs/console-dispute.png): the matrix and the verification, at 1366×768.
      await page.getByTestId('predicate-matrix').scrollIntoViewIfNeeded();
      await page.evaluate(() => window.scrollBy(0, -120));
      await screenshot(page, 'readme-dispute', false);

      await page.fill('#findings', 'Survei 360 mendukung keberatan');
      await page.selectOption('#recommendation', 'AMENDED');
      await page.click('[data-testid=findings-form] button[type=submit]');
      await page.getByTestId('findings-done').waitFor();
      const stored = await l.streamOf(`appraisal-${ID}`);
      expect(stored.at(-1)).toMatchObject({
        type: 'ReviewFindingsSubmitted',
        data: { findings: 'Survei 360 mendukung keberatan', recommendation: 'AMENDED' },
      });
      expect(stored.at(-1)?.metadata).toMatchObject({ actorId: P.reviewer, actorRole: 'PENINJAU' });
    });

    it('turns away a reviewer the dispute is not assigned to, in the reader’s language by the problem’s code', async () => {
      await signIn({ sub: 'inspektorat-02', role: 'PENINJAU' }, false);
      await page.getByTestId('disputes-empty').waitFor();
      await go(`#/appraisals/${ID}`);
      const error = await page.getByTestId('error').first().innerText();
      expect(error).toContain('(NOT_ENTITLED)');
      expect(error).toContain('Anda tidak berhak membaca ini.');
      expect(await page.locator('[data-testid=predicate-matrix]').count()).toBe(0);
      // The same refusal in English once the reader switches language.
      await page.selectOption('#lang', 'en');
      await page.waitForFunction(() => document.querySelector('[aria-busy=true]') === null);
      expect(await page.getByTestId('error').first().innerText()).toBe('You may not read this. (NOT_ENTITLED)');
      await checkPage('04-unassigned-reviewer');
    });

    it('an auditor moves the as-of control back before the rating revision and sees the earlier rating, then the unit’s distribution chart', async () => {
      await signIn(as.auditor, false);
      // Search by predicate (GET /appraisals): of the four, only employee 1 is BAIK; none is KURANG.
      await page.fill('#find-year', String(YEAR));
      await page.selectOption('#find-predicate', 'BAIK');
      await page.click('[data-testid=find-predicate] button[type=submit]');
      await page.locator('[data-testid=search-results] tbody tr').first().waitFor();
      const found = page.locator('[data-testid=search-results] tbody tr');
      expect(await found.count()).toBe(1);
      expect(await found.innerText()).toContain(`Pegawai 2 (${P.employees[1]})`);
      expect(await found.innerText()).toContain('Baik');
      await checkPage('05a-auditor-search');
      await page.selectOption('#find-predicate', 'KURANG');
      await page.click('[data-testid=find-predicate] button[type=submit]');
      await page.getByTestId('search-empty').waitFor();
      await page.fill('#find-nip', P.employees[0]);
      await page.fill('#find-year', String(YEAR));
      await page.click('[data-testid=find-appraisal] button[type=submit]');
      await page.getByTestId('replay').waitFor();
      expect(await page.getByTestId('replay-predicate').first().innerText()).toBe('Sangat Baik');
      await page.locator('[data-verification=intact]').waitFor();
      await checkPage('05-auditor-appraisal');

      const events = await l.streamOf(`appraisal-${ID}`);
      const rated = events.findIndex((e) => e.type === 'PerformanceRated');
      expect(events[rated + 1].type).toBe('RatingRevised');
      await page.fill('#asof-slider', String(rated + 1));
      await page.waitForFunction(() => document.querySelector('[data-testid=replay-predicate]')?.textContent === 'Baik');
      expect(await page.getByTestId('asof-step').innerText()).toContain('Kinerja dinilai');
      expect(await page.locator('[data-testid=replay-TAHUNAN] td[data-current=true]').innerText()).toContain('Baik');
      // The verification follows the as-of point: the events up to then, proved into the current checkpoint.
      await page.locator('[data-verification=intact]').waitFor();
      expect(await page.getByTestId('verification').innerText()).toContain(`Rantai utuh, ${rated + 1} peristiwa`);
      await checkPage('06-auditor-as-of');

      await go(`#/units/${UNIT}/${YEAR}`);
      await page.getByTestId('distribution-chart').waitFor();
      expect(await page.locator('[data-testid=distribution-chart] canvas').count()).toBeGreaterThan(0);
      const bounds = await page.getByTestId('bounds').innerText();
      expect(bounds).toContain('at most 70% BAIK');
      expect(bounds).toContain('terpenuhi');
      expect(await page.getByTestId('fits').innerText()).toBe('Distribusi sesuai pola.');
      await checkPage('07-unit-distribution');

      // The unit's analytics: shares against the agency and the national reference, leniency, 360 agreement, flags.
      const analytics = page.getByTestId('unit-analytics');
      // uPlot draws in an effect after the render: wait for the last chart's canvas.
      await analytics.locator('[data-testid=agreement-chart] canvas').waitFor();
      for (const chart of ['shares-chart', 'leniency-chart', 'agreement-chart'])
        expect([chart, await analytics.locator(`[data-testid=${chart}] canvas`).count()]).toEqual([chart, 1]);
      const shares = await analytics.getByTestId('shares-chart').innerText();
      expect(shares).toContain('Nasional 2022–2024');
      expect(shares).toMatch(/Nasional 2022–2024\s+11\.0%\s+88\.0%\s+1\.0%/);
      expect(shares).toMatch(/Unit .* \(n = 4\)\s+50\.0%\s+25\.0%\s+25\.0%/);
      expect(shares).toMatch(/Instansi \(n = 4\)/);
      const alpha = await analytics.getByTestId('agreement-chart').innerText();
      expect(alpha).toContain('3 penilai');
      const flag = analytics.locator('[data-testid=flags] li[data-flag=RATER_AGREES_WITH_NOBODY]');
      expect(await flag.innerText()).toContain(`Penilai 360 ${THIRD_RATER} tidak sepakat dengan penilai lain mana pun`);
      await checkPage('07b-unit-analytics');
      await analytics.scrollIntoViewIfNeeded();
      await analytics.evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await screenshot(page, 'readme-unit-analytics', false);

      // The appraiser's page: their predicates against the agency's and the nation's, the leniency interval.
      await analytics.locator(`a[href^="#/appraisers/${P.appraiser}/"]`).click();
      await page.locator('[data-testid=appraiser-analytics] [data-testid=leniency-chart] canvas').waitFor();
      expect(await page.locator('[data-testid=appraiser-analytics] canvas').count()).toBe(2);
      expect(await page.getByTestId('leniency-chart').innerText()).toContain('tidak ada (kurang dari 2 penilaian per sisi)');
      expect(await page.getByTestId('comparisons').innerText()).toContain('Penilaian perilaku dibandingkan rekan 360');
      await checkPage('07c-appraiser-analytics');

      // An auditor may know who agrees with whom on the appraisal's own page (the employee test shows the opposite).
      await go(`#/appraisals/${ID}`);
      await page.getByTestId('agreement-raters').waitFor();
      expect(await page.getByTestId('agreement-raters').innerText()).toContain(THIRD_RATER);
    });

    it('shows an employee no rater’s identity on any page (the DOM is read), the pooled 360 and the objection they filed', async () => {
      await signIn(as.employee(0));
      await go(`#/mine/${YEAR}`);
      await page.getByTestId('survey-pooled').waitFor();
      // Pooled per behaviour: one rater above expectations, two as expected, never who.
      expect(await page.getByTestId('survey-pooled').innerText()).toContain('Berorientasi Pelayanan\t1\t2\t0');
      // Their 360's agreement, with how many raters it rests on, and no rater named.
      expect(await page.getByTestId('agreement-alpha').innerText()).toContain('3 penilai');
      expect(await page.locator('[data-testid=agreement-raters]').count()).toBe(0);
      await checkPage('08-employee');
      const pages = [
        `#/mine/${YEAR}`,
        `#/appraisals/${ID}?period=TAHUNAN`,
        `#/audit/${ID}`,
        `#/units/${UNIT}/${YEAR}`,
        `#/appraisers/${P.appraiser}/${YEAR}`,
        '#/disputes',
        '#/audit',
      ];
      for (const hash of pages) {
        await go(hash);
        const dom = await page.evaluate(() => document.documentElement.outerHTML);
        for (const rater of RATERS) expect([hash, dom.includes(rater)]).toEqual([hash, false]);
        expect([hash, dom.includes('dari 1992')]).toEqual([hash, false]);
      }
      // The page the employee cannot check is said so, not faked: their view has no hashes to prove.
      await go(`#/appraisals/${ID}`);
      expect(await page.locator('[data-testid=verification]').count()).toBe(0);
    });

    it('is usable on a phone: no sideways scrolling on the dispute page', async () => {
      await context.close();
      context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
      page = await context.newPage();
      cspViolations = await watchCsp(page);
      await signIn(as.auditor, false);
      await go(`#/appraisals/${ID}`);
      await page.getByTestId('ratings').waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await screenshot(page, '09-phone-appraisal');
    });

    it('shows the verification failure on screen when the store was tampered with', async () => {
      const db = new Database(join(l.t.dataDir, 'events.sqlite'));
      try {
        db.exec('DROP TRIGGER events_refuse_update');
        db.prepare(
          "UPDATE events SET data = json_set(data, '$.hasilKerjaJustification', 'diubah diam-diam') WHERE stream_id = ? AND type = 'PerformanceRated'",
        ).run(`appraisal-${TAMPERED_ID}`);
      } finally {
        db.close();
      }
      await signIn(as.auditor, false);
      await go(`#/audit/${TAMPERED_ID}`);
      await page.locator('[data-verification=failed]').waitFor();
      const text = await page.getByTestId('verification').innerText();
      expect(text).toContain('Verifikasi GAGAL');
      expect(await page.locator('[data-verification=failed] li[data-problem=HASH_MISMATCH]').count()).toBe(1);
      await checkPage('10-tampered');
    });
  },
);
