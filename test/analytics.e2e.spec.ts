import { BEHAVIOURS } from '@ledger/appraisal';
import {
  appraisalOf,
  as,
  Ledger,
  openUnitWithApprovedPlans,
  orgPredicate,
  P,
  planBody,
  rating,
  UNIT,
  YEAR,
  type Caller,
} from './support/ledger';

// The subjectivity analytics over HTTP on a scripted year: one unit, two appraisers of different leniency,
// two 360 surveys (one of three raters, one of two), a final result. Every figure below is worked out by
// hand in the comments; the pure modules' unit specs check the formulas on published examples.

const SECOND = '198601012011011001';
const second: Caller = { sub: SECOND, role: 'PEJABAT_PENILAI' };
const MORE = ['199001012020121005', '199001012020121006', '199001012020121007'];
const RATERS = ['199201012020121009', '199301012020121009', '199401012020121009'];
const PAIR = ['199501012020121009', '199601012020121009'];
const answers = (code: string) =>
  Object.fromEntries(BEHAVIOURS.map((b, i) => [b, code[i] === 'A' ? 'DI_ATAS_EKSPEKTASI' : 'SESUAI_EKSPEKTASI']));
const q = `?period=TAHUNAN`;

describe('subjectivity analytics over HTTP', () => {
  let l: Ledger;
  beforeAll(async () => {
    l = await Ledger.start();
    await openUnitWithApprovedPlans(l);
    for (const [i, nip] of MORE.entries()) {
      await l.ok(as.manager, '/appraisals', {
        employeeNip: nip,
        employeeName: `Pegawai ${i + 5}`,
        year: YEAR,
        unitId: UNIT,
        appraiserId: SECOND,
        superiorId: P.superior,
      });
      const base = `/appraisals/${appraisalOf(nip)}`;
      const employee: Caller = { sub: nip, role: 'PEGAWAI' };
      await l.ok(employee, `${base}/plan/draft`, { plan: planBody(), dialogue: { heldOn: '2026-01-05' } });
      await l.ok(employee, `${base}/plan/submit`);
      await l.ok(second, `${base}/plan/approve`);
    }
    l.clock.set('2026-12-02T02:00:00.000Z');
    await l.ok(as.leader, `/units/${UNIT}/years/${YEAR}/periods/TAHUNAN/organisational-predicate`, orgPredicate('ISTIMEWA'));
    const e0 = `/appraisals/${appraisalOf(P.employees[0])}/periods/TAHUNAN`;
    const e1 = `/appraisals/${appraisalOf(P.employees[1])}/periods/TAHUNAN`;
    await l.ok(as.employee(0), `${e0}/self-assessment`, { hasilKerja: 'SESUAI_EKSPEKTASI', perilakuKerja: 'SESUAI_EKSPEKTASI' });
    for (const [period, raters, codes] of [
      [e0, RATERS, ['SSSSSSS', 'SSSSSSA', 'AAAAAAA']],
      [e1, PAIR, ['SSSSSSS', 'SSSSSSS']],
    ] as const) {
      for (const [i, raterId] of raters.entries()) {
        await l.ok(as.appraiser, `${period}/raters`, { raterId, relation: 'REKAN_KERJA' });
        await l.ok({ sub: raterId, role: 'REKAN_KERJA' }, `${period}/surveys`, { answers: answers(codes[i]) });
      }
    }
    // The first appraiser: four SANGAT_BAIK; the second: three BAIK.
    for (const nip of P.employees) {
      await l.ok(
        as.appraiser,
        `/appraisals/${appraisalOf(nip)}/periods/TAHUNAN/rating`,
        rating('DI_ATAS_EKSPEKTASI', 'DI_ATAS_EKSPEKTASI'),
      );
    }
    for (const nip of MORE) {
      await l.ok(second, `/appraisals/${appraisalOf(nip)}/periods/TAHUNAN/rating`, rating('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI'));
    }
    // ISTIMEWA allows at most 70% SANGAT_BAIK: 4 of 7 fit.
    await l.ok(as.leader, `/units/${UNIT}/years/${YEAR}/periods/TAHUNAN/finalisation`);
  });
  afterAll(() => l.close());

  it('per unit: shares against the national picture, each appraiser against the other, pooled alpha, flags', async () => {
    const res = await l.read(as.leader, `/units/${UNIT}/years/${YEAR}/analytics${q}`);
    expect(res.status).toBe(200);
    const tahunan = res.body.byPeriod.find((p: { period: string }) => p.period === 'TAHUNAN');
    // 4/7 − 0.11, 3/7 − 0.88, 0 − 0.01.
    expect(tahunan).toMatchObject({
      distribution: { n: 7, counts: { SANGAT_BAIK: 4, BAIK: 3 } },
      versusNational: { SANGAT_BAIK: 0.461, BAIK: -0.451, BELOW_BAIK: -0.01 },
      allBaikOrBetter: true,
    });
    expect(res.body.byPeriod.map((p: { period: string }) => p.period)).toEqual([
      'TRIWULAN_I',
      'TRIWULAN_II',
      'TRIWULAN_III',
      'TRIWULAN_IV',
      'TAHUNAN',
    ]);
    expect(res.body.national.shares).toEqual({ SANGAT_BAIK: 0.11, BAIK: 0.88, BELOW_BAIK: 0.01 });
    // 5,5,5,5 against 4,4,4: no spread on either side, so the interval is the point; a full step either way.
    expect(res.body.appraisers.map((a: { appraiserId: string; leniency: unknown }) => [a.appraiserId, a.leniency])).toEqual([
      [P.appraiser, { n: 4, comparisonN: 3, mean: 5, comparisonMean: 4, index: 1, standardError: 0, ci95: [1, 1], flag: 'LENIENT' }],
      [SECOND, { n: 3, comparisonN: 4, mean: 4, comparisonMean: 5, index: -1, standardError: 0, ci95: [-1, -1], flag: 'SEVERE' }],
    ]);
    // Pooled: 35 values, n_S = 27, n_A = 8, o_SA = o_AS = 7; α = 1 − 34 · 14 / (2 · 27 · 8) = −11/108.
    expect(res.body.agreement).toMatchObject({
      shown: true,
      agreement: { ordinal: -0.102, ordinalExact: '-11/108', nominal: -0.102, raters: 5, pairableValues: 35, appraisals: 2 },
    });
    // Employee 0's own: 21 values, n_S = 13, n_A = 8; α = 1 − 20 · 14 / 208 = −9/26. Employee 1's: all SESUAI, undefined.
    expect(
      res.body.agreement.appraisals.map((a: { employeeNip: string; agreement: { ordinalExact: string | null } }) => [
        a.employeeNip,
        a.agreement.ordinalExact,
      ]),
    ).toEqual([
      [P.employees[0], '-9/26'],
      [P.employees[1], null],
    ]);
    expect(res.body.ratersAgreeingWithNobody).toEqual([{ raterId: RATERS[2], appraisalsJudged: 1, agreedWithNobody: 1 }]);
    expect(res.body.flags.map((f: { kind: string; subjectId: string | null }) => [f.kind, f.subjectId])).toEqual([
      ['ALL_BAIK_OR_BETTER', null],
      ['LENIENT_APPRAISER', P.appraiser],
      ['SEVERE_APPRAISER', SECOND],
      ['RATER_AGREES_WITH_NOBODY', RATERS[2]],
    ]);
  });

  it('per appraiser: extends the patterns with leniency, scoped for a unit leader, refused to others', async () => {
    const res = await l.read(as.auditor, `/appraisers/${P.appraiser}/analytics/${YEAR}${q}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      scope: null,
      appraiser: { n: 4, counts: { SANGAT_BAIK: 4 } },
      agency: { n: 7 },
      // Employee 0's 360: most common answer SESUAI (13 of 21) below the appraiser's DI_ATAS; so is the self-assessment.
      versusPeers: { compared: 1, appraiserHigher: 1, same: 0, appraiserLower: 0 },
      versusSelf: { compared: 1, appraiserHigher: 1, same: 0, appraiserLower: 0 },
      versusAgency: { index: 1, flag: 'LENIENT' },
    });
    expect(res.body.units).toEqual([
      expect.objectContaining({ unitId: UNIT, leniency: expect.objectContaining({ index: 1, flag: 'LENIENT' }) }),
    ]);
    expect(res.body.flags.map((f: { kind: string; unitId: string | null }) => [f.kind, f.unitId])).toEqual([
      ['LENIENT_APPRAISER', UNIT],
      ['LENIENT_APPRAISER', null],
    ]);
    const led = await l.read(as.leader, `/appraisers/${P.appraiser}/analytics/${YEAR}${q}`);
    expect({ status: led.status, scope: led.body.scope }).toEqual({ status: 200, scope: [UNIT] });
    expect((await l.read(second, `/appraisers/${P.appraiser}/analytics/${YEAR}${q}`)).status).toBe(403);
    expect((await l.read(as.employee(0), `/appraisers/${P.appraiser}/analytics/${YEAR}${q}`)).status).toBe(403);
    expect(
      (await l.read({ sub: '196001011985011001', role: 'PIMPINAN_UNIT' }, `/appraisers/${P.appraiser}/analytics/${YEAR}${q}`)).status,
    ).toBe(403);
  });

  it('per agency: units against the national picture and flags, for HR and auditors only', async () => {
    const res = await l.read(as.manager, `/analytics/agency/${YEAR}${q}`);
    expect(res.status).toBe(200);
    expect(res.body.units).toEqual([
      expect.objectContaining({
        unitId: UNIT,
        name: 'Biro Umum',
        allBaikOrBetter: true,
        versusNational: { SANGAT_BAIK: 0.461, BAIK: -0.451, BELOW_BAIK: -0.01 },
      }),
    ]);
    expect(res.body.agreement.agreement).toMatchObject({ ordinalExact: '-11/108', raters: 5 });
    expect(res.body.flags.map((f: { kind: string }) => f.kind)).toEqual(['ALL_BAIK_OR_BETTER', 'LENIENT_APPRAISER', 'SEVERE_APPRAISER']);
    expect((await l.read(as.leader, `/analytics/agency/${YEAR}${q}`)).status).toBe(403);
  });

  it('per appraisal: the raters and whom they agree with for an auditor; the alpha alone for the appraisee, once pooled', async () => {
    const auditor = await l.read(as.auditor, `/appraisals/${appraisalOf(P.employees[0])}/agreement${q}`);
    expect(auditor.body).toMatchObject({
      shown: true,
      surveys: 3,
      agreement: { ordinalExact: '-9/26', ordinal: -0.346, raters: 3, pairableValues: 21 },
    });
    // SSSSSSS and SSSSSSA share 6 behaviours; AAAAAAA shares at most 1 with either.
    expect(auditor.body.raters).toEqual([
      { raterId: RATERS[0], agreesWith: 1, others: 2, agreesWithNobody: false },
      { raterId: RATERS[1], agreesWith: 1, others: 2, agreesWithNobody: false },
      { raterId: RATERS[2], agreesWith: 0, others: 2, agreesWithNobody: true },
    ]);
    const own = await l.read(as.employee(0), `/appraisals/${appraisalOf(P.employees[0])}/agreement${q}`);
    expect(own.body).toMatchObject({ shown: true, raters: [], agreement: { ordinalExact: '-9/26' } });
    // Two surveys: below the minimum group of 3, nothing of them for the appraisee.
    const small = await l.read(as.employee(1), `/appraisals/${appraisalOf(P.employees[1])}/agreement${q}`);
    expect(small.body).toMatchObject({ shown: false, surveys: 2, raters: [], agreement: { ordinal: null, raters: 0, pairableValues: 0 } });
    expect((await l.read(as.employee(1), `/appraisals/${appraisalOf(P.employees[0])}/agreement${q}`)).status).toBe(403);
  });

  it('names no rater to a reader appraised in the unit, whatever their token (the policy is by person)', async () => {
    const hr: Caller = { sub: P.employees[0], role: 'PENGELOLA_KINERJA' };
    const res = await l.read(hr, `/units/${UNIT}/years/${YEAR}/analytics${q}`);
    expect(res.status).toBe(200);
    expect(res.body.raterIdsShown).toBe(false);
    // Their own appraisal is not judged for them: the odd rater out was one of theirs.
    expect(res.body.ratersAgreeingWithNobody).toEqual([]);
    const text = JSON.stringify([res.body, (await l.read(hr, `/appraisals/${appraisalOf(P.employees[0])}/agreement${q}`)).body]);
    for (const r of [...RATERS, ...PAIR]) expect(text).not.toContain(r);
    expect(JSON.stringify((await l.read(as.auditor, `/units/${UNIT}/years/${YEAR}/analytics${q}`)).body)).toContain(RATERS[2]);
  });
});
