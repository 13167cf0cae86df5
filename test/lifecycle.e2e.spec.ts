import { accessStreamId, appraisalStreamId, unitStreamId } from '@ledger/appraisal';
import { Ledger, P, UNIT, YEAR, appraisalOf, as, planBody, rating, orgPredicate } from './support/ledger';

// One appraisal year over HTTP, end to end, on one app (the steps build on each other).
describe('the appraisal lifecycle over HTTP', () => {
  let l: Ledger;
  const E1 = appraisalOf(P.employees[0]);
  const base = `/appraisals/${E1}`;
  const unitBase = `/units/${UNIT}/years/${YEAR}`;

  beforeAll(async () => {
    l = await Ledger.start('2026-01-05T02:00:00.000Z');
  });
  afterAll(() => l.close());

  it('opens a unit and four appraisals (201 + Location, derived id)', async () => {
    const unit = await l.post(as.manager, '/units', {
      unitId: UNIT,
      year: YEAR,
      name: 'Biro Umum',
      leaderId: P.leader,
      upperLeaderId: P.upperLeader,
    });
    expect(unit.status).toBe(201);
    expect(unit.body).toMatchObject({ streamId: unitStreamId(UNIT, YEAR), revision: 0, events: [{ type: 'UnitOpened' }] });
    for (const [i, nip] of P.employees.entries()) {
      const res = await l.post(as.manager, '/appraisals', {
        employeeNip: nip,
        employeeName: `Pegawai ${i + 1}`,
        year: YEAR,
        unitId: UNIT,
        appraiserId: P.appraiser,
        superiorId: P.superior,
        ...(i === 0 && { functionalPosition: { name: 'Arsiparis Ahli Muda', annualCoefficient: 12.5 } }),
      });
      expect(res.status).toBe(201);
      expect(res.headers.location).toBe(`/appraisals/${appraisalOf(nip)}`);
      expect(res.headers.etag).toBe('"0"');
      expect(Number(res.headers['x-ledger-position'])).toBe(res.body.position);
      expect(res.body).toMatchObject({ appraisalId: appraisalOf(nip), streamId: appraisalStreamId(appraisalOf(nip)), revision: 0 });
    }
  });

  it('takes the plan through draft, submit, return, redraft and approve; If-Match is honoured', async () => {
    await l.ok(as.employee(0), `${base}/plan/draft`, { plan: planBody('v1'), dialogue: { heldOn: '2026-01-05', notes: 'dialog kinerja' } });
    await l.ok(as.employee(0), `${base}/plan/submit`);
    const returned = await l.ok(as.appraiser, `${base}/plan/return`, { reason: 'Target belum terukur' });
    expect(returned.events).toEqual([expect.objectContaining({ type: 'PlanReturned' })]);
    await l.ok(as.employee(0), `${base}/plan/draft`, { plan: planBody('v2'), dialogue: { heldOn: '2026-01-04' } });
    const submitted = await l.post(as.employee(0), `${base}/plan/submit`);
    const approved = await l.post(as.appraiser, `${base}/plan/approve`, {}, { 'If-Match': submitted.headers.etag });
    expect(approved.status).toBe(200);
    expect(approved.body.events).toEqual([expect.objectContaining({ type: 'PlanApproved' })]);
    await l.ok(as.appraiser, `${base}/plan/behaviour-expectations`, {
      behaviour: 'KOLABORATIF',
      expectation: 'Memimpin rapat koordinasi arsip',
    });
    for (let i = 1; i < 4; i++) {
      const other = `/appraisals/${appraisalOf(P.employees[i])}`;
      await l.ok(as.employee(i), `${other}/plan/draft`, { plan: planBody(), dialogue: { heldOn: '2026-01-03' } });
      await l.ok(as.employee(i), `${other}/plan/submit`);
      await l.ok(as.appraiser, `${other}/plan/approve`);
    }
    const view = await l.read(as.employee(0), base);
    expect(view.body.plan).toMatchObject({ status: 'APPROVED', version: 1 });
    expect(view.headers.etag).toBe(`"${approved.body.revision + 1}"`);
  });

  it('revises the approved plan during the year', async () => {
    l.clock.set('2026-03-02T02:00:00.000Z');
    await l.ok(as.employee(0), `${base}/plan/revisions`, { plan: planBody('revisi'), reason: 'Penyesuaian prioritas pimpinan' });
    await l.ok(as.appraiser, `${base}/plan/revisions/approve`);
    expect((await l.read(as.appraiser, base)).body.plan).toMatchObject({
      version: 2,
      versions: [{ version: 1 }, { version: 2, kind: 'REVISION' }],
    });
  });

  it('records evidence and feedback with server-assigned ids, and the response to it', async () => {
    const evidence = await l.ok(as.employee(0), `${base}/evidence`, {
      resultId: 'rhk-1',
      indicatorId: 'iki-1',
      period: 'TRIWULAN_I',
      value: 1,
      document: { uri: 'https://dms.example.go.id/doc/1', sha256: 'a'.repeat(64) },
    });
    expect(evidence.evidenceId).toMatch(/^[0-9a-f-]{36}$/);
    const given = await l.post(
      as.appraiser,
      `${base}/feedback`,
      { text: 'Bukti dukung lengkap', about: { evidenceId: evidence.evidenceId } },
      { 'X-Correlation-Id': 'review-march' },
    );
    const feedback = given.body;
    expect(feedback.feedbackId).toMatch(/^[0-9a-f-]{36}$/);
    // Correlation from the header, causation = this request's id, actor from the token.
    const stored = (await l.streamOf(appraisalStreamId(E1))).at(-1);
    expect(stored).toMatchObject({
      type: 'FeedbackGiven',
      data: { feedbackId: feedback.feedbackId, about: { evidenceId: evidence.evidenceId } },
      metadata: {
        correlationId: 'review-march',
        causationId: given.headers['x-request-id'],
        actorId: P.appraiser,
        actorRole: 'PEJABAT_PENILAI',
        occurredAt: '2026-03-02T02:00:00.000Z',
      },
    });
    await l.ok(as.employee(0), `${base}/feedback/${feedback.feedbackId}/responses`, { text: 'Terima kasih' });
    const view = await l.read(as.employee(0), base);
    expect(view.body.evidence).toEqual([expect.objectContaining({ evidenceId: evidence.evidenceId })]);
    expect(view.body.feedback).toEqual([
      expect.objectContaining({ feedbackId: feedback.feedbackId, responses: [expect.objectContaining({ text: 'Terima kasih' })] }),
    ]);
  });

  it('self-assesses, runs the 360 survey and rates the first quarter', async () => {
    l.clock.set('2026-04-03T02:00:00.000Z');
    // The organisational predicate comes first: it fixes the pattern before the appraisers rate.
    await l.ok(as.leader, `${unitBase}/periods/TRIWULAN_I/organisational-predicate`, orgPredicate('BAIK'));
    const q1 = `${base}/periods/TRIWULAN_I`;
    await l.ok(as.employee(0), `${q1}/self-assessment`, {
      hasilKerja: 'DI_ATAS_EKSPEKTASI',
      perilakuKerja: 'SESUAI_EKSPEKTASI',
      note: 'Target tercapai',
    });
    await l.ok(as.appraiser, `${q1}/raters`, { raterId: P.rater, relation: 'REKAN_KERJA' });
    const answers = {
      BERORIENTASI_PELAYANAN: 'SESUAI_EKSPEKTASI',
      AKUNTABEL: 'SESUAI_EKSPEKTASI',
      KOMPETEN: 'DI_ATAS_EKSPEKTASI',
      HARMONIS: 'SESUAI_EKSPEKTASI',
      LOYAL: 'SESUAI_EKSPEKTASI',
      ADAPTIF: 'SESUAI_EKSPEKTASI',
      KOLABORATIF: 'SESUAI_EKSPEKTASI',
    };
    await l.ok(as.rater, `${q1}/surveys`, { answers, comment: 'Kooperatif' });
    for (let i = 0; i < 4; i++) {
      await l.ok(
        as.appraiser,
        `/appraisals/${appraisalOf(P.employees[i])}/periods/TRIWULAN_I/rating`,
        rating('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI'),
      );
    }
    // One survey is a group too small to hide in (redaction.ts): the employee sees that it came in, not its answers or rater.
    const mine = await l.read(as.employee(0), base);
    expect(mine.body.periods.TRIWULAN_I.surveys).toEqual([]);
    expect(mine.body.periods.TRIWULAN_I.survey360).toMatchObject({ ratersAssigned: 1, submitted: 1, answers: null });
    const trail = await l.read(as.employee(0), `${base}/audit-trail`);
    expect(trail.body.entries.find((e: { type: string }) => e.type === 'BehaviourSurveySubmitted')).toBeUndefined();
    expect(JSON.stringify(trail.body)).not.toContain(P.rater);
    const audited = await l.read(as.auditor, base);
    expect(audited.body.periods.TRIWULAN_I.surveys[0]).toMatchObject({ raterId: P.rater });
  });

  it('refuses a quarter that breaks the pattern, naming the bounds and counts; the upper leader records an exception', async () => {
    const refused = await l.post(as.leader, `${unitBase}/periods/TRIWULAN_I/finalisation`);
    expect(refused.status).toBe(422);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ code: 'DISTRIBUTION_NOT_FITTING', details: { organisationalPredicate: 'BAIK' } });
    expect(refused.body.details.failing).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ comparison: 'AT_MOST', count: 4, n: 4, threshold: 0.7 }),
        expect.objectContaining({ comparison: 'AT_LEAST_ONE', count: 0, n: 4 }),
      ]),
    );
    const exception = await l.post(as.upperLeader, `${unitBase}/periods/TRIWULAN_I/finalisation/exception`, {
      reason: 'Seluruh pegawai mencapai target triwulan',
    });
    expect(exception.status).toBe(200);
    expect(exception.body.finalisation).toMatchObject({ exception: { reason: 'Seluruh pegawai mencapai target triwulan' }, n: 4 });
    expect(exception.body.deliveries).toHaveLength(4);
    expect(exception.body.deliveries.every((d: { status: string }) => d.status === 'DELIVERED')).toBe(true);
    const unit = await l.read(as.leader, `${unitBase}?period=TRIWULAN_I`);
    expect(unit.body).toMatchObject({ exception: { reason: 'Seluruh pegawai mencapai target triwulan' }, finalisation: { n: 4 } });
  });

  let ratedAt = '';
  it('rates the year, is refused while the pattern does not fit, revises a rating and finalises', async () => {
    l.clock.set('2026-12-10T02:00:00.000Z');
    await l.ok(as.leader, `${unitBase}/periods/TAHUNAN/organisational-predicate`, orgPredicate('BAIK'));
    const ratings = [
      rating('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI'),
      rating('DI_ATAS_EKSPEKTASI', 'DI_ATAS_EKSPEKTASI'),
      rating('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI'),
      rating('SESUAI_EKSPEKTASI', 'DI_ATAS_EKSPEKTASI'),
    ];
    for (const [i, r] of ratings.entries())
      await l.ok(as.appraiser, `/appraisals/${appraisalOf(P.employees[i])}/periods/TAHUNAN/rating`, r);
    ratedAt = l.clock.now().toISOString();
    const refused = await l.post(as.leader, `${unitBase}/periods/TAHUNAN/finalisation`);
    expect(refused.status).toBe(422);
    expect(refused.body.details.failing).toEqual([
      expect.objectContaining({ comparison: 'AT_MOST', count: 3, n: 4 }),
      expect.objectContaining({ comparison: 'AT_LEAST_ONE', count: 0, n: 4 }),
    ]);

    l.clock.set('2026-12-15T02:00:00.000Z');
    const revised = await l.ok(as.appraiser, `${base}/periods/TAHUNAN/rating/revisions`, {
      ...rating('DI_BAWAH_EKSPEKTASI', 'SESUAI_EKSPEKTASI'),
      reason: 'Dua indikator tidak tercapai',
    });
    const stored = (await l.streamOf(appraisalStreamId(E1))).at(-1);
    expect(stored).toMatchObject({
      type: 'RatingRevised',
      data: { predicate: 'BUTUH_PERBAIKAN', supersedesVersion: 1 },
      metadata: { reason: 'Dua indikator tidak tercapai' },
    });
    expect(stored?.eventId).toBe(revised.events[0].eventId);

    l.clock.set('2026-12-20T02:00:00.000Z');
    const final = await l.post(as.leader, `${unitBase}/periods/TAHUNAN/finalisation`);
    expect(final.status).toBe(200);
    expect(final.body.finalisation).toMatchObject({
      organisationalPredicate: 'BAIK',
      n: 4,
      counts: { BAIK: 2, SANGAT_BAIK: 1, BUTUH_PERBAIKAN: 1 },
    });
    expect(final.body.finalisation.checked.map((c: { appraisalId: string }) => c.appraisalId)).toEqual(P.employees.map(appraisalOf));
    expect(final.body.deliveries.map((d: { status: string }) => d.status)).toEqual(['DELIVERED', 'DELIVERED', 'DELIVERED', 'DELIVERED']);
    // The delivery is caused by the finalisation event and has a deterministic id.
    const delivered = (await l.streamOf(appraisalStreamId(E1))).at(-1);
    expect(delivered).toMatchObject({
      type: 'ResultDelivered',
      eventId: final.body.deliveries[0].eventId,
      data: { deliveredAt: '2026-12-20T02:00:00.000Z', predicate: 'BUTUH_PERBAIKAN' },
      metadata: { causationId: final.body.finalisationEventId, occurredAt: '2026-12-20T02:00:00.000Z' },
    });

    // Re-POSTing is idempotent: nothing new is stored, the recorded finalisation comes back.
    const head = await l.store.headPosition();
    const again = await l.post(as.leader, `${unitBase}/periods/TAHUNAN/finalisation`);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ finalisationEventId: final.body.finalisationEventId, events: [] });
    expect(again.body.deliveries.map((d: { status: string }) => d.status)).toEqual([
      'ALREADY_DELIVERED',
      'ALREADY_DELIVERED',
      'ALREADY_DELIVERED',
      'ALREADY_DELIVERED',
    ]);
    expect(await l.store.headPosition()).toBe(head);
  });

  it('handles an objection within the window: statements, reviewer, findings, decision AMENDED', async () => {
    l.clock.set('2027-01-02T02:00:00.000Z'); // day 13 after delivery, Asia/Jakarta
    const q = `${base}/periods/TAHUNAN/objection`;
    await l.ok(as.employee(0), q, { reasons: 'Bukti dukung indikator 2 tidak dipertimbangkan' });
    await l.ok(as.superior, `${q}/statements`, { party: 'PEJABAT_PENILAI', statement: 'Indikator 2 tidak tercapai' });
    await l.ok(as.superior, `${q}/statements`, { party: 'PEGAWAI', statement: 'Bukti telah diunggah Desember' });
    await l.ok(as.superior, `${q}/reviewer`, { reviewerId: P.reviewer });
    const disputes = await l.read(as.superior, '/disputes');
    expect(disputes.body.disputes).toEqual([
      expect.objectContaining({ appraisalId: E1, period: 'TAHUNAN', status: 'OPEN', overdue: false, superiorId: P.superior }),
    ]);
    const asReviewer = await l.read(as.reviewer, base);
    expect(asReviewer.status).toBe(200);
    await l.ok(as.reviewer, `${q}/findings`, { findings: 'Bukti valid', recommendation: 'AMENDED' });
    const decided = await l.post(as.superior, `${q}/decision`, {
      outcome: 'AMENDED',
      reasons: 'Bukti dukung sah',
      amended: rating('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI'),
    });
    expect(decided.status).toBe(200);

    const view = await l.read(as.employee(0), base);
    expect(view.body.predicates.TAHUNAN).toBe('BAIK');
    expect(view.body.periods.TAHUNAN.objection.decision).toMatchObject({
      outcome: 'AMENDED',
      previousPredicate: 'BUTUH_PERBAIKAN',
      predicate: 'BAIK',
    });
    expect(view.body.outlook).toMatchObject({
      status: 'OBJECTION_DECIDED',
      annual: { predicate: 'BAIK' },
      periods: { TAHUNAN: { decision: { overdue: false }, objection: { filingOpen: false } } },
    });
    const unit = await l.read(as.auditor, `${unitBase}?period=TAHUNAN`);
    expect(unit.body.amendmentsAfterFinalisation).toEqual([
      expect.objectContaining({ appraisalId: E1, from: 'BUTUH_PERBAIKAN', to: 'BAIK' }),
    ]);
    // Once decided, the reviewer's access ends.
    expect((await l.read(as.reviewer, base)).status).toBe(403);
  });

  it('records reads of the disputed appraisal by reviewers and auditors (not by its own people)', async () => {
    await l.read(as.auditor, `${base}/audit-trail`);
    await l.read(as.superior, base);
    const access = await l.streamOf(accessStreamId(E1));
    expect(access.map((e) => [e.type, e.metadata.actorRole, e.data.view])).toEqual([
      ['DisputedAppraisalRead', 'PENINJAU', 'APPRAISAL'],
      ['DisputedAppraisalRead', 'AUDITOR', 'AUDIT_TRAIL'],
    ]);
  });

  it('shows the audit trail, the history as of an earlier date, and an intact chain', async () => {
    const trail = await l.read(as.auditor, `${base}/audit-trail`);
    expect(trail.status).toBe(200);
    const types = trail.body.entries.map((e: { type: string }) => e.type);
    expect(types.slice(0, 4)).toEqual(['AppraisalOpened', 'PlanDrafted', 'PlanSubmitted', 'PlanReturned']);
    expect(types).toEqual(expect.arrayContaining(['RatingRevised', 'ResultDelivered', 'ObjectionDecided', 'DisputedAppraisalRead']));
    expect(trail.body.entries.find((e: { type: string }) => e.type === 'PlanReturned')).toMatchObject({
      actorId: P.appraiser,
      actorRole: 'PEJABAT_PENILAI',
      reason: 'Target belum terukur',
    });

    const before = await l.get(as.employee(0), `${base}/history?asOf=${encodeURIComponent(ratedAt)}`);
    expect(before.status).toBe(200);
    expect(before.body.state.periods.TAHUNAN.rating).toMatchObject({ predicate: 'BAIK', version: 1 });
    const now = await l.get(as.employee(0), `${base}/history`);
    expect(now.body.state.periods.TAHUNAN.rating).toMatchObject({ predicate: 'BAIK', hasilKerja: 'SESUAI_EKSPEKTASI' });
    const between = await l.get(as.employee(0), `${base}/history?asOf=2026-12-16T00:00:00%2B07:00`);
    expect(between.body.state.periods.TAHUNAN.rating).toMatchObject({ predicate: 'BUTUH_PERBAIKAN', version: 2 });

    const integrity = await l.get(as.auditor, `${base}/integrity`);
    expect(integrity.status).toBe(200);
    expect(integrity.body).toMatchObject({ ok: true, problems: [], eventsChecked: (await l.streamOf(appraisalStreamId(E1))).length });
  });

  it('shows an appraiser’s rating pattern beside the unit and the agency, to the entitled only', async () => {
    const patterns = await l.read(as.auditor, `/appraisers/${P.appraiser}/patterns/${YEAR}?period=TAHUNAN`);
    expect(patterns.status).toBe(200);
    expect(patterns.body).toMatchObject({ appraiserId: P.appraiser, period: 'TAHUNAN', appraiser: { n: 4 }, agency: { n: 4 } });
    expect((await l.read(as.appraiser, `/appraisers/${P.appraiser}/patterns/${YEAR}?period=TAHUNAN`)).status).toBe(200);
    const others = await l.read({ sub: P.superior, role: 'PEJABAT_PENILAI' }, `/appraisers/${P.appraiser}/patterns/${YEAR}?period=TAHUNAN`);
    expect(others.status).toBe(403);
    expect((await l.read(as.employee(0), `/appraisers/${P.appraiser}/patterns/${YEAR}?period=TAHUNAN`)).status).toBe(403);
  });

  it('rebuilds the read models from the ledger to the same answers', async () => {
    const before = await l.read(as.auditor, `/appraisals/${E1}`);
    const rebuilt = await l.post(as.manager, '/admin/read-models/rebuild');
    expect(rebuilt.status).toBe(200);
    expect(rebuilt.body.events).toBe(await l.store.headPosition());
    const after = await l.read(as.auditor, `/appraisals/${E1}`);
    expect(after.body).toEqual(before.body);
  });
});
