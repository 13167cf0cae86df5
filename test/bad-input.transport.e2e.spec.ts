import fc from 'fast-check';
import request from 'supertest';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { appraisalStreamId } from '@ledger/appraisal';
import { Ledger, P, YEAR, as, type Caller } from './support/ledger';

// What arrives besides the body: query parameters, path ids, headers, content types and methods.
// Each is refused with a 4xx problem document and a stable code, or read exactly as sent (no roll-over
// of an impossible date, no ignored parameter), and a refusal changes nothing in the store.
const A = `${YEAR}-${P.employees[0]}`;
const json = { 'Content-Type': 'application/json' };
const HISTORY = `/appraisals/${A}/history`;
const SUBMIT = `/appraisals/${A}/plan/submit`;
const long = { 'X-Correlation-Id': 'a'.repeat(200) };
type Method = 'get' | 'post' | 'delete';
type Headers = Record<string, string>;
type Row = [title: string, method: Method, path: string, headers: Headers, body: string | undefined, status: number, code: string];
const ROWS: Row[] = [
  ['asOf on a day the month lacks', 'get', `${HISTORY}?asOf=2026-02-30T00:00:00Z`, {}, undefined, 400, 'VALIDATION_FAILED'],
  ['asOf at 24:00', 'get', `${HISTORY}?asOf=2026-03-01T24:00:00Z`, {}, undefined, 400, 'VALIDATION_FAILED'],
  ['asOf given twice', 'get', `${HISTORY}?asOf=2026-03-01T00:00:00Z&asOf=2026-03-02T00:00:00Z`, {}, undefined, 400, 'VALIDATION_FAILED'],
  ['asOf as a bracket key', 'get', `${HISTORY}?asOf[x]=1`, {}, undefined, 400, 'VALIDATION_FAILED'],
  ['minPosition as a bracket key', 'get', `/appraisals/${A}?minPosition[a]=1`, {}, undefined, 400, 'VALIDATION_FAILED'],
  ['minPosition 1e400', 'get', `/appraisals/${A}?minPosition=1e400`, {}, undefined, 400, 'VALIDATION_FAILED'],
  ['minPosition -0', 'get', `/appraisals/${A}?minPosition=-0`, {}, undefined, 400, 'VALIDATION_FAILED'],
  ['minPosition 1.0', 'get', `/appraisals/${A}?minPosition=1.0`, {}, undefined, 400, 'VALIDATION_FAILED'],
  ['a misspelt parameter', 'get', `${HISTORY}?asof=2026-03-01T00:00:00Z`, {}, undefined, 400, 'VALIDATION_FAILED'],
  ['a query on a command', 'post', `${SUBMIT}?force=true`, json, '{}', 400, 'VALIDATION_FAILED'],
  ['a prototype name as a parameter', 'get', `/disputes?constructor=1`, {}, undefined, 400, 'VALIDATION_FAILED'],
  ['status named after a prototype member', 'get', `/disputes?status=constructor`, {}, undefined, 400, 'VALIDATION_FAILED'],
  ['period given twice', 'get', `/units/biro-umum/years/${YEAR}?period=TAHUNAN&period=TAHUNAN`, {}, undefined, 400, 'VALIDATION_FAILED'],
  ['year 1e3', 'get', `/units/biro-umum/years/1e3?period=TAHUNAN`, {}, undefined, 400, 'VALIDATION_FAILED'],
  ['a broken percent escape in an id', 'get', `/appraisals/%ZZ`, {}, undefined, 400, 'BAD_REQUEST'],
  ['an encoded lone surrogate in an id', 'get', `/appraisals/%ED%A0%80`, {}, undefined, 400, 'BAD_REQUEST'],
  ['an encoded slash in an id', 'get', `/appraisals/a%2Fb`, {}, undefined, 404, 'APPRAISAL_NOT_FOUND'],
  ['NUL in an id', 'get', `/appraisals/a%00b`, {}, undefined, 404, 'APPRAISAL_NOT_FOUND'],
  ['an id of 5,000 characters', 'get', `/appraisals/${'a'.repeat(5000)}`, {}, undefined, 404, 'APPRAISAL_NOT_FOUND'],
  ['If-Match with a leading zero', 'post', SUBMIT, { ...json, 'If-Match': '"00"' }, '{}', 400, 'INVALID_IF_MATCH'],
  ['If-Match as a list', 'post', SUBMIT, { ...json, 'If-Match': '"1", "2"' }, '{}', 400, 'INVALID_IF_MATCH'],
  ['If-Match past 15 digits', 'post', SUBMIT, { ...json, 'If-Match': '"9999999999999999999"' }, '{}', 400, 'INVALID_IF_MATCH'],
  ['If-Match weak', 'post', SUBMIT, { ...json, 'If-Match': 'W/"0"' }, '{}', 400, 'INVALID_IF_MATCH'],
  ['X-Correlation-Id of 200 characters', 'get', `/appraisals/${A}`, long, undefined, 400, 'INVALID_CORRELATION_ID'],
  ['X-Correlation-Id with a space', 'get', `/appraisals/${A}`, { 'X-Correlation-Id': 'a b' }, undefined, 400, 'INVALID_CORRELATION_ID'],
  ['charset=latin1', 'post', SUBMIT, { 'Content-Type': 'application/json; charset=latin1' }, '{}', 415, 'UNSUPPORTED_MEDIA_TYPE'],
  ['no Content-Type', 'post', SUBMIT, {}, '{}', 415, 'UNSUPPORTED_MEDIA_TYPE'],
  ['text/json', 'post', SUBMIT, { 'Content-Type': 'text/json' }, '{}', 415, 'UNSUPPORTED_MEDIA_TYPE'],
  ['gzip', 'post', SUBMIT, { ...json, 'Content-Encoding': 'gzip' }, '{}', 415, 'UNSUPPORTED_CONTENT_ENCODING'],
  ['a body of whitespace', 'post', SUBMIT, json, '   ', 400, 'MALFORMED_JSON'],
  ['a body on GET', 'get', `/appraisals/${A}`, json, '{"a":1}', 400, 'BODY_NOT_ALLOWED'],
  ['a body on DELETE', 'delete', `/units`, json, '{}', 400, 'BODY_NOT_ALLOWED'],
  ['an unknown method route', 'delete', `/units`, {}, undefined, 404, 'ROUTE_NOT_FOUND'],
];

describe('bad input besides the body', () => {
  let l: Ledger;
  const snapshot = async () => ({ head: await l.store.headPosition(), events: await l.streamOf(appraisalStreamId(A)) });

  beforeAll(async () => {
    l = await Ledger.start('2026-01-05T02:00:00.000Z');
    const unit = { unitId: 'biro-umum', year: YEAR, name: 'Biro Umum', leaderId: P.leader, upperLeaderId: P.upperLeader };
    await l.ok(as.manager, '/units', unit);
    const people = { appraiserId: P.appraiser, superiorId: P.superior };
    await l.ok(as.manager, '/appraisals', { employeeNip: P.employees[0], employeeName: 'A', year: YEAR, unitId: 'biro-umum', ...people });
  });
  afterAll(() => l.close());

  const send = async (caller: Caller, method: Method, path: string, headers: Record<string, string>, body: string | undefined) => {
    const req = request(l.t.server)
      [method](path)
      .set('Authorization', `Bearer ${await l.token(caller)}`)
      .set(headers);
    return body === undefined ? req : req.send(body);
  };

  it.each(ROWS)('%s', async (_title, method, path, headers, body, status, code) => {
    const before = await snapshot();
    const res = await send(as.employee(0), method, path, headers, body);
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await snapshot()).toEqual(before);
  });

  it('still answers the same requests when they are well formed (the rows refuse the defect, not the route)', async () => {
    expect((await send(as.employee(0), 'get', `${HISTORY}?asOf=2026-03-01T00:00:00Z`, {}, undefined)).status).toBe(200);
    expect((await send(as.employee(0), 'get', `${HISTORY}?asOf=2026-02-28T23:59:59%2B07:00`, {}, undefined)).status).toBe(200);
    expect((await send(as.employee(0), 'get', `/appraisals/${A}?minPosition=0`, {}, undefined)).status).toBe(200);
    expect((await send(as.manager, 'get', `/units/biro-umum/years/${YEAR}?period=TAHUNAN&minPosition=0`, {}, undefined)).status).toBe(200);
  });

  it('refuses any parameter a GET route does not read, on every GET route of the OpenAPI document (property)', async () => {
    const doc = SwaggerModule.createDocument(l.t.app, new DocumentBuilder().build());
    const values: Record<string, string> = { id: A, unitId: 'biro-umum', year: String(YEAR), appraiserId: P.appraiser };
    const routes = Object.entries(doc.paths).flatMap(([template, item]) => {
      if (item.get === undefined) return [];
      const read = new Set((item.get.parameters ?? []).map((p) => ('name' in p ? p.name : '')));
      return [{ path: template.replace(/\{(\w+)\}/g, (_m, name: string) => values[name] ?? 'x'), read }];
    });
    expect(routes.length).toBeGreaterThanOrEqual(6);
    const names = fc.constantFrom('__proto__', 'constructor', 'toString', 'asof', 'minposition', 'after[]', 'x');
    const name = fc.oneof(names, fc.stringMatching(/^[a-zA-Z_]{1,12}$/));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), name, async (route, key) => {
        fc.pre(!route.read.has(key) && key !== 'minPosition');
        const res = await send(as.auditor, 'get', `${route.path}?${encodeURIComponent(key)}=1`, {}, undefined);
        const what = { route: route.path, key };
        expect({ ...what, status: res.status, code: res.body.code }).toEqual({ ...what, status: 400, code: 'VALIDATION_FAILED' });
      }),
      { numRuns: 60 },
    );
  });

  it('refuses every impossible calendar date or time in asOf instead of rolling it over (property)', async () => {
    const impossible = fc.oneof(
      fc.integer({ min: 29, max: 31 }).map((day) => `2026-02-${day}T00:00:00Z`),
      fc.constantFrom(4, 6, 9).map((month) => `2026-0${month}-31T00:00:00Z`),
      fc.integer({ min: 24, max: 99 }).map((hour) => `2026-03-01T${hour}:00:00Z`),
      fc.integer({ min: 60, max: 99 }).map((minute) => `2026-03-01T10:${minute}:00+07:00`),
    );
    await fc.assert(
      fc.asyncProperty(impossible, async (asOf) => {
        const res = await send(as.employee(0), 'get', `${HISTORY}?asOf=${encodeURIComponent(asOf)}`, {}, undefined);
        expect({ asOf, status: res.status, code: res.body.code }).toEqual({ asOf, status: 400, code: 'VALIDATION_FAILED' });
      }),
      { numRuns: 40 },
    );
  });
});
