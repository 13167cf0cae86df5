import request from 'supertest';
import { SKM_ELEMENTS } from '@ledger/appraisal';
import { BASIS, Ledger, P, UNIT, YEAR, appraisalOf, as, openUnitWithApprovedPlans, orgPredicate, type Caller } from './support/ledger';

/**
 * Public feedback (SKM, PermenPANRB 14/2017) end to end over HTTP: a unit declares a service, its
 * officer asks for one-time codes, citizens answer without an account, and the worked example's
 * exact IKM (84.03, B) shows on the public page, in the unit view and, as evidence for
 * Berorientasi Pelayanan, in the officer's appraisal. Every refusal leaves the store unchanged.
 */
const SERVICE = 'loket-kepegawaian';
const S = `/units/${UNIT}/years/${YEAR}/services`;
const OFFICER = as.employee(0);
const A = `/appraisals/${appraisalOf(P.employees[0])}`;
const counter: Caller = { sub: 'svc-antrian', role: 'LAYANAN_INTERNAL' };
const scores = (...values: number[]) => Object.fromEntries(SKM_ELEMENTS.map((e, i) => [e, values[i]]));
/** The README's worked example: four respondents, IKM 84.03 (B). */
const WORKED = [
  scores(4, 4, 3, 4, 3, 4, 4, 3, 3),
  scores(3, 3, 3, 4, 3, 3, 4, 3, 3),
  scores(4, 3, 2, 4, 3, 4, 4, 3, 2),
  scores(3, 3, 3, 4, 4, 4, 4, 3, 3),
];
const MEANS = scores(3.5, 3.25, 2.75, 4, 3.25, 3.75, 4, 3, 2.75);

describe('public feedback: code → feedback → IKM in the unit view → evidence in the appraisal', () => {
  let l: Ledger;
  const publicPost = (body: unknown) =>
    request(l.t.server)
      .post('/public/feedback')
      .send(body as object);
  const raw = (bytes: string) => request(l.t.server).post('/public/feedback').set('Content-Type', 'application/json').send(bytes);
  /** The rate limit counts every request per address; the clock moves past its window between groups. */
  const freshWindow = () => l.clock.set(new Date(l.clock.now().getTime() + 11 * 60_000).toISOString());
  const issue = async (caller: Caller = OFFICER, body: object = { officerId: P.employees[0] }) =>
    (await l.ok(caller, `${S}/${SERVICE}/feedback-codes`, body)) as { code: string; expiresAt: string; period: string };
  /** A refusal: a problem document with this status and code, and nothing appended. */
  const refused = async (send: () => Promise<request.Response>, status: number, code: string) => {
    const head = await l.store.headPosition();
    const res = await send();
    expect({ status: res.status, code: (JSON.parse(res.text) as { code: string }).code, type: res.headers['content-type'] }).toEqual({
      status,
      code,
      type: expect.stringMatching(/^application\/problem\+json/),
    });
    expect(await l.store.headPosition()).toBe(head);
    return res;
  };

  beforeAll(async () => {
    l = await Ledger.start('2026-01-05T02:00:00.000Z');
    await openUnitWithApprovedPlans(l);
    l.clock.set('2026-05-04T02:00:00.000Z'); // Triwulan II
    await l.ok(as.manager, S, { serviceId: SERVICE, name: 'Loket Layanan Kepegawaian' });
    await l.ok(as.leader, S, { serviceId: 'loket-arsip', name: 'Loket Arsip' });
  });
  afterAll(() => l.close());

  it('declares services by HR or the unit leader only, once', async () => {
    await refused(() => l.post(as.upperLeader, S, { serviceId: 'loket-x', name: 'X' }), 403, 'NOT_THE_UNIT_LEADER');
    await refused(() => l.post(as.manager, S, { serviceId: SERVICE, name: 'Lagi' }), 409, 'SERVICE_ALREADY_DECLARED');
    await refused(() => l.post(as.manager, S, { serviceId: 'Loket X', name: 'X' }), 400, 'VALIDATION_FAILED');
  });

  it('takes the worked example through codes and the public form, and shows IKM 84.03 (B) everywhere', async () => {
    const codes: { code: string; expiresAt: string; period: string }[] = [];
    for (let i = 0; i < WORKED.length; i++) codes.push(await issue());
    expect(codes[0]).toMatchObject({ period: 'TRIWULAN_II', expiresAt: '2026-05-11T02:00:00.000Z' });
    expect(codes[0].code).toMatch(/^biro-umum~2026~loket-kepegawaian~[0-9A-Z]{16}$/);
    // The ledger holds the hash, never the code.
    const stored = JSON.stringify(await l.store.readAll({ fromPosition: 0, limit: 10_000 }));
    for (const { code } of codes) expect(stored).not.toContain(code);

    const answers = [];
    for (const [i, s] of WORKED.entries()) {
      const comment = i === 0 ? 'Petugas ramah, kalau perlu hubungi saya di 0812-3456-7890 atau siti@contoh.id' : undefined;
      const res = await publicPost({ code: codes[i].code, scores: s, ...(comment && { comment }) });
      expect(res.status).toBe(201);
      answers.push(res.body as { feedbackId: string; masked: string[]; comment?: string });
    }
    // Masking is the one declared change: the answer says which kinds, the event records them.
    expect(answers[0]).toMatchObject({
      masked: ['NOMOR_TELEPON', 'EMAIL'],
      comment: 'Petugas ramah, kalau perlu hubungi saya di [NOMOR TELEPON] atau [EMAIL]',
    });
    const events = await l.streamOf(`service-${UNIT}-${YEAR}-${SERVICE}`);
    const received = events.filter((e) => e.type === 'PublicFeedbackReceived');
    expect(received).toHaveLength(4);
    expect(received[0].data).toMatchObject({ masked: ['NOMOR_TELEPON', 'EMAIL'], officerId: P.employees[0], period: 'TRIWULAN_II' });
    expect(JSON.stringify(received)).not.toMatch(/0812|siti@|127\.0\.0\.1|::1|::ffff/);
    for (const e of received) {
      expect(e.metadata).toMatchObject({ actorId: 'masyarakat', actorRole: 'MASYARAKAT' });
      expect(e.metadata.correlationId).toBe(e.metadata.causationId);
    }

    const figure = { responses: 4, shown: true, ikm: 84.03, grade: 'B', gradeLabel: 'Baik', elementMeans: MEANS };
    const pub = await request(l.t.server).get(`/public/units/${UNIT}/years/${YEAR}/ikm?minPosition=${await l.store.headPosition()}`);
    expect(pub.status).toBe(200);
    expect(pub.body).toMatchObject({ unitId: UNIT, year: YEAR, minimumResponses: 3, unit: { TRIWULAN_II: figure, TAHUNAN: figure } });
    expect(pub.body.services).toEqual([
      expect.objectContaining({
        serviceId: 'loket-arsip',
        periods: expect.objectContaining({ TAHUNAN: expect.objectContaining({ responses: 0, ikm: null }) }),
      }),
      expect.objectContaining({
        serviceId: SERVICE,
        periods: expect.objectContaining({ TRIWULAN_II: figure, TRIWULAN_I: expect.objectContaining({ responses: 0 }) }),
      }),
    ]);
    // Aggregates only: no comment, no feedback id, no officer on the public page.
    expect(pub.text).not.toMatch(/Petugas|feedbackId|199001012020121001/);

    const unit = await l.read(as.leader, `/units/${UNIT}/years/${YEAR}?period=TRIWULAN_II`);
    expect(unit.status).toBe(200);
    expect(unit.body.publicFeedback).toMatchObject({ minimumResponses: 3, unit: figure });

    for (const reader of [as.appraiser, OFFICER]) {
      const view = await l.read(reader, A);
      expect(view.status).toBe(200);
      expect(view.body.publicFeedback).toMatchObject({
        behaviour: 'BERORIENTASI_PELAYANAN',
        periods: { TRIWULAN_II: figure, TAHUNAN: figure },
      });
      expect(view.body.publicFeedback.comments).toEqual([
        expect.objectContaining({
          feedbackId: answers[0].feedbackId,
          comment: answers[0].comment,
          masked: ['NOMOR_TELEPON', 'EMAIL'],
          response: null,
        }),
      ]);
      expect(JSON.stringify(view.body.publicFeedback)).not.toMatch(/codeHash|masyarakat/);
    }
    // Another employee of the unit has no public feedback of their own.
    const other = await l.read(as.appraiser, `/appraisals/${appraisalOf(P.employees[1])}`);
    expect(other.body.publicFeedback.periods.TAHUNAN).toMatchObject({ responses: 0, shown: false, ikm: null });

    // The officer answers the comment about them; nobody else may.
    const respond = `${S}/${SERVICE}/feedback/${answers[0].feedbackId}/responses`;
    await refused(() => l.post(as.employee(1), respond, { text: 'Bukan saya' }), 403, 'NOT_THE_OFFICER');
    await l.ok(OFFICER, respond, { text: 'Terima kasih, akan kami tingkatkan' });
    const after = await l.read(as.appraiser, A);
    expect(after.body.publicFeedback.comments[0].response).toMatchObject({ text: 'Terima kasih, akan kami tingkatkan' });

    // Used codes stay used.
    freshWindow();
    await refused(() => publicPost({ code: codes[1].code, scores: WORKED[1] }), 409, 'FEEDBACK_CODE_USED');
  });

  it("lets the unit leader cite the unit's IKM beside the organisational predicate's basis, as the ledger computes it", async () => {
    const path = (period: string) => `/units/${UNIT}/years/${YEAR}/periods/${period}/organisational-predicate`;
    // A quarter without feedback has no IKM to cite: refused, nothing appended.
    await refused(() => l.post(as.leader, path('TRIWULAN_I'), { ...orgPredicate('BAIK'), citeIkm: true }), 422, 'IKM_NOT_AVAILABLE');
    await refused(() => l.post(as.leader, path('TRIWULAN_II'), { ...orgPredicate('BAIK'), citeIkm: 'true' }), 400, 'VALIDATION_FAILED');
    await l.ok(as.leader, path('TRIWULAN_II'), { ...orgPredicate('BAIK'), citeIkm: true });
    const events = await l.streamOf(`unit-${UNIT}-${YEAR}`);
    const set = events.filter((e) => e.type === 'OrganisationalPredicateSet' && e.data.period === 'TRIWULAN_II');
    expect(set[set.length - 1]).toMatchObject({
      schemaVersion: 3,
      data: { predicate: 'BAIK', basis: BASIS, ikm: { ikm: 84.03, grade: 'B', responses: 4, serviceIds: [SERVICE] } },
    });
    const unit = await l.read(as.leader, `/units/${UNIT}/years/${YEAR}?period=TRIWULAN_II`);
    const history = unit.body.organisationalPredicateHistory as { ikm: unknown }[];
    expect(history[history.length - 1].ikm).toEqual({ ikm: 84.03, grade: 'B', responses: 4, serviceIds: [SERVICE] });
  });

  it('refuses unknown, expired and misaddressed codes, and codes asked for by the wrong person', async () => {
    freshWindow();
    const never = 'biro-umum~2026~loket-kepegawaian~AAAAAAAAAAAAAAAA';
    await refused(() => publicPost({ code: never, scores: WORKED[0] }), 404, 'FEEDBACK_CODE_UNKNOWN');
    await refused(() => publicPost({ code: 'not a code', scores: WORKED[0] }), 404, 'FEEDBACK_CODE_UNKNOWN');
    await refused(
      () => publicPost({ code: 'biro-lain~2026~loket-kepegawaian~AAAAAAAAAAAAAAAA', scores: WORKED[0] }),
      404,
      'FEEDBACK_CODE_UNKNOWN',
    );
    const { code } = await issue(counter, { officerId: P.employees[0] });
    l.clock.advanceDays(8);
    await refused(() => publicPost({ code, scores: WORKED[0] }), 422, 'FEEDBACK_CODE_EXPIRED');

    await refused(() => l.post(OFFICER, `${S}/${SERVICE}/feedback-codes`, { officerId: P.employees[1] }), 403, 'NOT_THE_OFFICER');
    await refused(
      () => l.post({ sub: '199901012020121099', role: 'PEGAWAI' }, `${S}/${SERVICE}/feedback-codes`),
      422,
      'OFFICER_NOT_IN_UNIT',
    );
    await refused(() => l.post(as.manager, `${S}/${SERVICE}/feedback-codes`), 403, 'ROLE_NOT_ALLOWED');
    await refused(() => l.post(OFFICER, `${S}/loket-tidak-ada/feedback-codes`), 404, 'SERVICE_NOT_FOUND');
  });

  it('refuses wrong scores and oversized or malformed bodies, storing nothing', async () => {
    freshWindow();
    const { code } = await issue();
    await refused(() => publicPost({ code, scores: { ...WORKED[0], PERSYARATAN: 5 } }), 400, 'VALIDATION_FAILED');
    await refused(() => publicPost({ code, scores: { ...WORKED[0], BIAYA_TARIF: 2.5 } }), 400, 'VALIDATION_FAILED');
    const { SARANA_PRASARANA: _missing, ...eight } = WORKED[0];
    await refused(() => publicPost({ code, scores: eight }), 400, 'VALIDATION_FAILED');
    await refused(() => publicPost({ code, scores: { ...WORKED[0], KEBERSIHAN: 4 } }), 400, 'VALIDATION_FAILED');
    await refused(() => publicPost({ code, scores: WORKED[0], comment: 'x'.repeat(1001) }), 400, 'VALIDATION_FAILED');
    // Past the public form's 8 KiB (the api's own limit is 64 KiB): refused before it is read.
    await refused(() => publicPost({ code, scores: WORKED[0], comment: 'x'.repeat(9000) }), 413, 'PAYLOAD_TOO_LARGE');
    await refused(() => raw('{"code": "x", "scores": {'), 400, 'MALFORMED_JSON');
    await refused(() => raw(`{"code": "${code}", "code": "${code}", "scores": {}}`), 400, 'DUPLICATE_JSON_MEMBER');
    // The code is still good after all that.
    freshWindow();
    expect((await publicPost({ code, scores: WORKED[0] })).status).toBe(201);
  });

  it('limits each address to 10 requests per 10 minutes, refused or not, with Retry-After', async () => {
    freshWindow();
    const never = { code: 'biro-umum~2026~loket-kepegawaian~BBBBBBBBBBBBBBBB', scores: WORKED[0] };
    for (let i = 0; i < 10; i++) expect((await publicPost(never)).status).toBe(404);
    const { code } = await issue();
    const res = await refused(() => publicPost({ code, scores: WORKED[0] }), 429, 'RATE_LIMITED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    freshWindow();
    expect((await publicPost({ code, scores: WORKED[0] })).status).toBe(201);
  });
});
