import request from 'supertest';
import { appraisalStreamId, unitStreamId } from '@ledger/appraisal';
import {
  Ledger,
  P,
  YEAR,
  as,
  orgPredicate,
  planBody,
  rating,
  type Caller,
  openUnitAndFirstAppraisal,
  surveyAnswers,
} from './support/ledger';

// Bad input for every command endpoint: each answered 4xx problem details with a stable code,
// and the ledger (head position and the stream's events) exactly as it was before.
const A = `${YEAR}-${P.employees[0]}`;
const UNKNOWN = `${YEAR}-199901012020121099`;
const app = (id: string) => `/appraisals/${id}`;
const unit = (unitId: string) => `/units/${unitId}/years/${YEAR}`;
const otherAppraiser: Caller = { sub: '198601012011011001', role: 'PEJABAT_PENILAI' };
const answers = surveyAnswers();

interface Endpoint {
  /** Path with `:id` standing for the appraisal or unit id. */
  path: string;
  kind: 'appraisal' | 'unit' | 'create';
  caller: Caller;
  body: Record<string, unknown>;
  wrong: [Caller, string];
}

const E = (
  path: string,
  caller: Caller,
  body: Record<string, unknown>,
  wrong: [Caller, string],
  kind: Endpoint['kind'] = 'appraisal',
): Endpoint => ({ path, kind, caller, body, wrong });
const q = (tail: string) => `${app(':id')}/periods/TAHUNAN${tail}`;
const reason = { reason: 'Alasan tertulis' };

const ENDPOINTS: Endpoint[] = [
  E(
    '/appraisals',
    as.manager,
    {
      employeeNip: '199901012020121077',
      employeeName: 'Baru',
      year: YEAR,
      unitId: 'biro-umum',
      appraiserId: P.appraiser,
      superiorId: P.superior,
    },
    [as.employee(0), 'ROLE_NOT_ALLOWED'],
    'create',
  ),
  E(`${app(':id')}/appraiser`, as.manager, { appraiserId: '198601012011011001', superiorId: P.superior, ...reason }, [
    as.employee(0),
    'ROLE_NOT_ALLOWED',
  ]),
  E(`${app(':id')}/plan-deadline`, as.manager, { planDeadline: '2026-02-15T16:59:59.999Z', ...reason }, [as.appraiser, 'ROLE_NOT_ALLOWED']),
  E(`${app(':id')}/plan/draft`, as.employee(0), { plan: planBody(), dialogue: { heldOn: '2026-01-05' } }, [
    as.employee(1),
    'NOT_THE_EMPLOYEE',
  ]),
  E(`${app(':id')}/plan/submit`, as.employee(0), {}, [as.appraiser, 'ROLE_NOT_ALLOWED']),
  E(`${app(':id')}/plan/approve`, as.appraiser, {}, [otherAppraiser, 'NOT_THE_APPRAISER']),
  E(`${app(':id')}/plan/return`, as.appraiser, reason, [as.employee(0), 'ROLE_NOT_ALLOWED']),
  E(`${app(':id')}/plan/revisions`, as.employee(0), { plan: planBody(), ...reason }, [as.appraiser, 'ROLE_NOT_ALLOWED']),
  E(`${app(':id')}/plan/revisions/approve`, as.appraiser, {}, [otherAppraiser, 'NOT_THE_APPRAISER']),
  E(`${app(':id')}/plan/revisions/reject`, as.appraiser, reason, [as.employee(0), 'ROLE_NOT_ALLOWED']),
  E(`${app(':id')}/plan/default`, as.manager, { plan: planBody(), ...reason }, [as.employee(0), 'ROLE_NOT_ALLOWED']),
  E(`${app(':id')}/plan/behaviour-expectations`, as.appraiser, { behaviour: 'LOYAL', expectation: 'x' }, [
    as.employee(0),
    'ROLE_NOT_ALLOWED',
  ]),
  E(
    `${app(':id')}/evidence`,
    as.employee(0),
    {
      resultId: 'rhk-1',
      indicatorId: 'iki-1',
      period: 'TAHUNAN',
      value: 1,
      document: { uri: 'https://d.example/1', sha256: 'c'.repeat(64) },
    },
    [as.appraiser, 'ROLE_NOT_ALLOWED'],
  ),
  E(`${app(':id')}/feedback`, as.appraiser, { text: 'x' }, [as.employee(0), 'ROLE_NOT_ALLOWED']),
  E(`${app(':id')}/feedback/f-1/responses`, as.employee(0), { text: 'x' }, [as.appraiser, 'ROLE_NOT_ALLOWED']),
  E(q('/self-assessment'), as.employee(0), { hasilKerja: 'SESUAI_EKSPEKTASI', perilakuKerja: 'SESUAI_EKSPEKTASI', note: 'x' }, [
    as.appraiser,
    'ROLE_NOT_ALLOWED',
  ]),
  E(q('/raters'), as.appraiser, { raterId: P.rater, relation: 'REKAN_KERJA' }, [as.employee(0), 'ROLE_NOT_ALLOWED']),
  E(q('/surveys'), as.rater, { answers }, [as.employee(0), 'ROLE_NOT_ALLOWED']),
  E(q('/rating'), as.appraiser, rating('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI'), [as.employee(0), 'ROLE_NOT_ALLOWED']),
  E(q('/rating/revisions'), as.appraiser, { ...rating('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI'), ...reason }, [
    as.employee(0),
    'ROLE_NOT_ALLOWED',
  ]),
  E(q('/objection'), as.employee(0), { reasons: 'x' }, [as.appraiser, 'ROLE_NOT_ALLOWED']),
  E(q('/objection/statements'), as.superior, { party: 'PEGAWAI', statement: 'x' }, [as.appraiser, 'APPRAISER_CANNOT_DECIDE_OBJECTION']),
  E(q('/objection/reviewer'), as.superior, { reviewerId: P.reviewer }, [as.employee(0), 'ROLE_NOT_ALLOWED']),
  E(q('/objection/findings'), as.reviewer, { findings: 'x', recommendation: 'UPHELD' }, [as.employee(0), 'ROLE_NOT_ALLOWED']),
  E(q('/objection/decision'), as.superior, { outcome: 'UPHELD', reasons: 'x' }, [as.appraiser, 'APPRAISER_CANNOT_DECIDE_OBJECTION']),
  E(
    '/units',
    as.manager,
    { unitId: 'biro-baru', year: YEAR, name: 'Biro Baru', leaderId: P.leader, upperLeaderId: P.upperLeader },
    [as.employee(0), 'ROLE_NOT_ALLOWED'],
    'create',
  ),
  E(
    `${unit(':id')}/periods/TAHUNAN/organisational-predicate`,
    as.leader,
    orgPredicate('BAIK'),
    [as.upperLeader, 'NOT_THE_UNIT_LEADER'],
    'unit',
  ),
  E(`${unit(':id')}/periods/TAHUNAN/finalisation`, as.leader, {}, [as.upperLeader, 'NOT_THE_UNIT_LEADER'], 'unit'),
  E(`${unit(':id')}/periods/TAHUNAN/finalisation/exception`, as.upperLeader, reason, [as.leader, 'NOT_THE_UPPER_LEADER'], 'unit'),
];

type Variant = { name: string; status: number; code: string; field?: string; send: (l: Ledger, e: Endpoint) => Promise<request.Response> };

const pathFor = (e: Endpoint, id: string) => e.path.replace(':id', id);
const ownId = (e: Endpoint) => (e.kind === 'unit' ? 'biro-umum' : A);
const auth = async (l: Ledger, caller: Caller) => `Bearer ${await l.token(caller)}`;
const raw = async (l: Ledger, e: Endpoint, type: string, payload: string) =>
  request(l.t.server)
    .post(pathFor(e, ownId(e)))
    .set('Authorization', await auth(l, e.caller))
    .set('Content-Type', type)
    .send(payload);
const firstKey = (e: Endpoint) => Object.keys(e.body)[0];
const wrongTypeOf = (value: unknown) => (typeof value === 'string' ? 12345 : 'not-the-right-type');

const VARIANTS: Variant[] = [
  {
    name: 'malformed JSON',
    status: 400,
    code: 'MALFORMED_JSON',
    send: (l, e) => raw(l, e, 'application/json', '{"reason": "unterminated'),
  },
  { name: 'not JSON', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', send: (l, e) => raw(l, e, 'text/plain', 'reason=x') },
  {
    name: 'oversized body',
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    send: (l, e) => l.post(e.caller, pathFor(e, ownId(e)), { ...e.body, padding: 'x'.repeat(70 * 1024) }),
  },
  {
    name: 'unknown field',
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'actorId',
    send: (l, e) => l.post(e.caller, pathFor(e, ownId(e)), { ...e.body, actorId: 'spoofed' }),
  },
  {
    name: 'missing field',
    status: 400,
    code: 'VALIDATION_FAILED',
    send: (l, e) => {
      const { [firstKey(e)]: _dropped, ...rest } = e.body;
      return l.post(e.caller, pathFor(e, ownId(e)), rest);
    },
  },
  {
    name: 'wrong type',
    status: 400,
    code: 'VALIDATION_FAILED',
    send: (l, e) =>
      l.post(
        e.caller,
        pathFor(e, ownId(e)),
        firstKey(e) === undefined ? [] : { ...e.body, [firstKey(e)]: wrongTypeOf(e.body[firstKey(e)]) },
      ),
  },
  {
    name: 'stale If-Match',
    status: 412,
    code: 'STALE_REVISION',
    send: (l, e) => l.post(e.caller, pathFor(e, ownId(e)), e.body, { 'If-Match': '"41"' }),
  },
  { name: 'wrong actor', status: 403, code: '(per endpoint)', send: (l, e) => l.post(e.wrong[0], pathFor(e, ownId(e)), e.body) },
  {
    name: 'unknown id',
    status: 404,
    code: '(per kind)',
    send: (l, e) => l.post(e.caller, pathFor(e, e.kind === 'unit' ? 'biro-nope' : UNKNOWN), e.body),
  },
];

const ROWS = ENDPOINTS.flatMap((e) =>
  VARIANTS.filter((v) => !(v.name === 'missing field' && firstKey(e) === undefined))
    .filter((v) => !(v.name === 'unknown id' && e.kind === 'create'))
    .map((v) => [`${e.path} ${v.name}`, e, v] as const),
);

describe('bad input on every command endpoint', () => {
  let l: Ledger;

  beforeAll(async () => {
    l = await Ledger.start('2026-01-05T02:00:00.000Z');
    await openUnitAndFirstAppraisal(l);
  });
  afterAll(() => l.close());

  it.each(ROWS)('%s', async (_title, e, v) => {
    const streams = [appraisalStreamId(A), unitStreamId('biro-umum', YEAR)];
    const before = { head: await l.store.headPosition(), events: await Promise.all(streams.map((s) => l.streamOf(s))) };
    const res = await v.send(l, e);
    const code =
      v.name === 'wrong actor'
        ? e.wrong[1]
        : v.name === 'unknown id'
          ? e.kind === 'unit'
            ? 'UNIT_NOT_FOUND'
            : 'APPRAISAL_NOT_FOUND'
          : v.code;
    expect({ status: res.status, code: res.body.code }).toEqual({ status: v.status, code });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: expect.stringMatching(/^https:\/\/appraisal-ledger\.dev\/problems\/[a-z-]+$/),
      title: expect.any(String),
      detail: expect.any(String),
    });
    expect(JSON.stringify(res.body)).not.toMatch(/\bat .+\.(js|ts):\d+/);
    if (v.code === 'VALIDATION_FAILED') {
      const fields = res.body.errors.map((f: { field: string }) => f.field);
      expect(fields).toContain(v.field ?? firstKey(e) ?? '(body)');
    }
    const after = { head: await l.store.headPosition(), events: await Promise.all(streams.map((s) => l.streamOf(s))) };
    expect(after).toEqual(before);
  });
});
