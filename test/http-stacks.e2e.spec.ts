import request from 'supertest';
import { HTTP_STACKS } from '../apps/ledger-api/src/config/config';
import { startTestApp, type TestApp } from '../apps/ledger-api/src/testing/test-app';

// The edge on each HTTP stack by name (LEDGER_HTTP), whichever one the suite runs on: the rest of
// the e2e suite covers the default (or the stack in the environment), this keeps the other one
// from drifting. Each row is answered by our code, not the framework's: a framework's own parser,
// 404 or error page would fail it (its code, its content type, or a header it adds).
describe.each(HTTP_STACKS)('the edge on %s', (stack) => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await startTestApp({ env: { LEDGER_HTTP: stack } });
    token = await t.token('198505052010012001', 'PENGELOLA_KINERJA');
  });
  afterAll(() => t.close());

  const post = (path: string, contentType: string, bytes: string) =>
    request(t.server).post(path).set('Authorization', `Bearer ${token}`).set('Content-Type', contentType).send(bytes);

  it.each([
    ['a duplicate member', '/units', 'application/json', '{"unitId":"a","unitId":"b"}', 400, 'DUPLICATE_JSON_MEMBER'],
    ['a lone surrogate', '/units', 'application/json', '{"unitId":"\\ud800"}', 400, 'LONE_SURROGATE'],
    ['a text/plain body', '/units', 'text/plain', '{"unitId":"a"}', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    [
      'the public form past 8 KiB',
      '/public/feedback',
      'application/json',
      JSON.stringify({ comment: 'x'.repeat(9000) }),
      413,
      'PAYLOAD_TOO_LARGE',
    ],
  ])('refuses %s with the problem document', async (_title, path, contentType, bytes, status, code) => {
    const res = await post(path, contentType, bytes);
    expect([res.status, res.body.code]).toEqual([status, code]);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers an unknown route and an undecodable id as problems, with no ETag and no X-Powered-By', async () => {
    const missing = await request(t.server).get('/nope');
    expect([missing.status, missing.body.code]).toEqual([404, 'ROUTE_NOT_FOUND']);
    const broken = await request(t.server).get('/appraisals/%ED%A0%80').set('Authorization', `Bearer ${token}`);
    expect([broken.status, broken.body.code]).toEqual([400, 'BAD_REQUEST']);
    const health = await request(t.server).get('/health/live/');
    expect(health.status).toBe(200);
    for (const res of [missing, broken, health]) {
      expect(res.headers.etag).toBeUndefined();
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('answers a request Node cannot parse with a problem document', async () => {
    const res = await request(t.server).get('/health').set('Content-Length', 'x');
    expect([res.status, res.body.code]).toEqual([400, 'MALFORMED_HTTP_REQUEST']);
  });
});
