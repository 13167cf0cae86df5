import { BASIS, Ledger, P, UNIT, YEAR, appraisalOf, as, openUnitWithApprovedPlans, rating, type Caller } from './support/ledger';

/**
 * GET /appraisals?year=&period=&predicate=&unitId=: the auditor's search by predicate (issue 9, part 3),
 * authorised as the unit view is: oversight every unit, a unit leader the units they lead, anyone else refused.
 */
describe('finding appraisals by predicate and unit', () => {
  let l: Ledger;
  const body = async (caller: Caller, url: string) => (await l.read(caller, url)).body;
  const search = (q: string) => `/appraisals?year=${YEAR}&period=TAHUNAN${q}`;

  beforeAll(async () => {
    l = await Ledger.start();
    await openUnitWithApprovedPlans(l);
    l.clock.set('2026-12-02T02:00:00.000Z');
    await l.ok(as.leader, `/units/${UNIT}/years/${YEAR}/periods/TAHUNAN/organisational-predicate`, { predicate: 'BAIK', basis: BASIS });
    const ratings: [number, string, string][] = [
      [0, 'DI_ATAS_EKSPEKTASI', 'DI_ATAS_EKSPEKTASI'],
      [1, 'SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI'],
      [2, 'DI_BAWAH_EKSPEKTASI', 'SESUAI_EKSPEKTASI'],
    ];
    for (const [i, hasil, perilaku] of ratings)
      await l.ok(as.appraiser, `/appraisals/${appraisalOf(P.employees[i])}/periods/TAHUNAN/rating`, rating(hasil, perilaku));
  });
  afterAll(() => l?.close());

  it('lists the appraisals with the predicate in force, and every appraisal of the year without one', async () => {
    const baik = await body(as.auditor, search('&predicate=BAIK'));
    expect(baik).toMatchObject({ year: YEAR, period: 'TAHUNAN', predicate: 'BAIK', unitId: null, units: [UNIT] });
    expect(baik.appraisals).toEqual([
      {
        appraisalId: appraisalOf(P.employees[1]),
        unitId: UNIT,
        employeeNip: P.employees[1],
        employeeName: 'Pegawai 2',
        predicate: 'BAIK',
        amendedAfterFinalisation: false,
      },
    ]);
    const sangatBaik = await body(as.manager, search('&predicate=SANGAT_BAIK'));
    expect(sangatBaik.appraisals.map((a: { employeeNip: string }) => a.employeeNip)).toEqual([P.employees[0]]);
    const all = await body(as.auditor, search(`&unitId=${UNIT}`));
    expect(all.appraisals.map((a: { predicate: string | null }) => a.predicate).sort()).toEqual(
      ['BAIK', 'BUTUH_PERBAIKAN', 'SANGAT_BAIK', null].sort(),
    );
    expect(await body(as.auditor, search('&predicate=KURANG'))).toMatchObject({ appraisals: [] });
    expect(await body(as.auditor, search('&unitId=no-such-unit'))).toMatchObject({ units: [], appraisals: [] });
  });

  it('answers a unit leader for the units they lead only, and refuses everyone without a relationship', async () => {
    expect((await body(as.leader, search('&predicate=BAIK'))).appraisals).toHaveLength(1);
    expect((await body(as.upperLeader, search(''))).units).toEqual([UNIT]);
    // Another unit's leader: none of this unit, and naming it is refused.
    const stranger: Caller = { sub: '196001012000011999', role: 'PIMPINAN_UNIT' };
    expect(await body(stranger, search(''))).toMatchObject({ units: [], appraisals: [] });
    const named = await l.get(stranger, search(`&unitId=${UNIT}`));
    expect([named.status, named.body.code]).toEqual([403, 'NOT_ENTITLED']);
    for (const caller of [as.employee(1), as.appraiser, as.reviewer, as.superior, { sub: P.rater, role: 'REKAN_KERJA' } as Caller]) {
      const res = await l.get(caller, search('&predicate=BAIK'));
      expect([caller.role, res.status, res.body.code]).toEqual([caller.role, 403, 'NOT_ENTITLED']);
    }
  });

  it('refuses a predicate, year or period it does not know, naming the field', async () => {
    for (const [url, field] of [
      [search('&predicate=BAGUS'), 'predicate'],
      [`/appraisals?period=TAHUNAN`, 'year'],
      [`/appraisals?year=${YEAR}`, 'period'],
      [search('&unitId=a%20b'), 'unitId'],
    ]) {
      const res = await l.get(as.auditor, url);
      expect([url, res.status, res.body.errors?.[0]?.field]).toEqual([url, 400, field]);
    }
  });
});
