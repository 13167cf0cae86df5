import { appraisalStreamId, unitStreamId } from '@ledger/appraisal';
import { Ledger, P, YEAR, appraisalOf, as, orgPredicate, planBody, rating } from './support/ledger';

// The crooked paths of issue 7, walked over HTTP to their end: each is refused or made visible,
// and a refusal stores nothing.
describe('closed holes, end to end', () => {
  let l: Ledger;
  const unit = (id: string) => `/units/${id}/years/${YEAR}`;
  const ids = P.employees.map(appraisalOf);

  beforeAll(async () => {
    l = await Ledger.start('2026-01-05T02:00:00.000Z');
    for (const unitId of ['biro-umum', 'biro-hukum']) {
      await l.ok(as.manager, '/units', { unitId, year: YEAR, name: unitId, leaderId: P.leader, upperLeaderId: P.upperLeader });
    }
    for (const [i, nip] of P.employees.entries()) {
      // The last one is opened into the wrong unit by mistake.
      const unitId = i === 3 ? 'biro-hukum' : 'biro-umum';
      await l.ok(as.manager, '/appraisals', {
        employeeNip: nip,
        employeeName: `Pegawai ${i}`,
        year: YEAR,
        unitId,
        appraiserId: P.appraiser,
        superiorId: P.superior,
      });
      await l.ok(as.employee(i), `/appraisals/${ids[i]}/plan/draft`, { plan: planBody(), dialogue: { heldOn: '2026-01-05' } });
      await l.ok(as.employee(i), `/appraisals/${ids[i]}/plan/submit`);
      await l.ok(as.appraiser, `/appraisals/${ids[i]}/plan/approve`);
    }
  });
  afterAll(() => l.close());

  it('a unit typed wrong is corrected with a reason, and the finalisation then counts the appraisal where it belongs', async () => {
    const corrected = await l.ok(as.manager, `/appraisals/${ids[3]}/unit`, {
      unitId: 'biro-umum',
      reason: 'Salah pilih unit saat pembukaan',
    });
    expect(corrected.events).toEqual([expect.objectContaining({ type: 'AppraisalUnitCorrected' })]);
    const view = await l.read(as.manager, `/appraisals/${ids[3]}`);
    expect(view.body).toMatchObject({
      unitId: 'biro-umum',
      unitCorrections: [{ unitId: 'biro-umum', previousUnitId: 'biro-hukum', reason: 'Salah pilih unit saat pembukaan' }],
    });
    expect((await l.read(as.leader, `${unit('biro-hukum')}?period=TAHUNAN`)).body.n).toBe(0);
    expect((await l.read(as.leader, `${unit('biro-umum')}?period=TAHUNAN`)).body.n).toBe(4);
  });

  it('the pattern cannot be escaped quietly: a change after rating needs a reason and a basis, and is flagged beside the finalisation', async () => {
    l.clock.set('2026-12-10T02:00:00.000Z');
    await l.ok(as.leader, `${unit('biro-umum')}/periods/TAHUNAN/organisational-predicate`, orgPredicate('BAIK'));
    const ratings = [
      rating('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI'),
      rating('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI'),
      rating('DI_ATAS_EKSPEKTASI', 'DI_ATAS_EKSPEKTASI'),
      rating('DI_ATAS_EKSPEKTASI', 'DI_ATAS_EKSPEKTASI'),
    ];
    for (const [i, r] of ratings.entries()) await l.ok(as.appraiser, `/appraisals/${ids[i]}/periods/TAHUNAN/rating`, r);
    const refused = await l.post(as.leader, `${unit('biro-umum')}/periods/TAHUNAN/finalisation`);
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 422, code: 'DISTRIBUTION_NOT_FITTING' });

    const head = await l.store.headPosition();
    const silent = await l.post(as.leader, `${unit('biro-umum')}/periods/TAHUNAN/organisational-predicate`, orgPredicate('ISTIMEWA'));
    expect({ status: silent.status, code: silent.body.code, field: silent.body.details?.field }).toEqual({
      status: 400,
      code: 'TEXT_REQUIRED',
      field: 'reason',
    });
    expect(await l.store.headPosition()).toBe(head);

    await l.ok(
      as.leader,
      `${unit('biro-umum')}/periods/TAHUNAN/organisational-predicate`,
      orgPredicate('ISTIMEWA', { reason: 'Capaian organisasi direvisi' }),
    );
    const [changed] = (await l.streamOf(unitStreamId('biro-umum', YEAR))).filter((e) => e.type === 'OrganisationalPredicateSet').slice(-1);
    expect(changed).toMatchObject({
      schemaVersion: 3,
      data: {
        predicate: 'ISTIMEWA',
        reason: 'Capaian organisasi direvisi',
        change: { previousPredicate: 'BAIK', ratedCount: 4, memberCount: 4, failedUnderNew: [] },
      },
    });
    await l.ok(as.leader, `${unit('biro-umum')}/periods/TAHUNAN/finalisation`);
    const view = await l.read(as.leader, `${unit('biro-umum')}?period=TAHUNAN`);
    expect(view.body).toMatchObject({
      organisationalPredicate: 'ISTIMEWA',
      organisationalPredicateChangedAfterRating: true,
      organisationalPredicateEscapedPattern: true,
    });
    expect(view.body.organisationalPredicateHistory.map((h: { flag: string | null }) => h.flag)).toEqual([null, 'ESCAPES_PATTERN']);
    expect(view.body.finalisation).toMatchObject({ organisationalPredicate: 'ISTIMEWA', n: 4 });
  });

  it('HR cannot seat the rater as the decider of the objection to their own rating', async () => {
    l.clock.set('2026-12-12T02:00:00.000Z');
    await l.ok(as.employee(0), `/appraisals/${ids[0]}/periods/TAHUNAN/objection`, { reasons: 'Bukti dukung belum dinilai' });
    const head = await l.store.headPosition();
    const attack = await l.post(as.manager, `/appraisals/${ids[0]}/appraiser`, {
      appraiserId: '198601012011011001',
      superiorId: P.appraiser,
      reason: 'Mutasi',
    });
    expect({ status: attack.status, code: attack.body.code }).toEqual({ status: 422, code: 'SUPERIOR_HAS_RATED' });
    const asDecider = await l.post(
      { sub: P.appraiser, role: 'ATASAN_PEJABAT_PENILAI' },
      `/appraisals/${ids[0]}/periods/TAHUNAN/objection/statements`,
      { party: 'PEGAWAI', statement: 'x' },
    );
    expect({ status: asDecider.status, code: asDecider.body.code }).toEqual({ status: 403, code: 'APPRAISER_CANNOT_DECIDE_OBJECTION' });
    expect(await l.store.headPosition()).toBe(head);
  });

  it('after the annual result the plan is fixed, and the result still names the plan version it was rated on', async () => {
    const head = await l.store.headPosition();
    const late = await l.post(as.employee(1), `/appraisals/${ids[1]}/plan/revisions`, { plan: planBody('terlambat'), reason: 'x' });
    expect({ status: late.status, code: late.body.code }).toEqual({ status: 422, code: 'PLAN_FIXED_BY_FINAL_RESULT' });
    expect(await l.store.headPosition()).toBe(head);
    const view = await l.read(as.employee(1), `/appraisals/${ids[1]}`);
    expect(view.body.periods.TAHUNAN.rating).toMatchObject({ version: 1, planVersion: 1 });
    expect((await l.streamOf(appraisalStreamId(ids[1]))).at(-1)?.type).toBe('ResultDelivered');
  });
});
