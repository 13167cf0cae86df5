import request from 'supertest';
import { Ledger } from './support/ledger';

describe('OpenAPI docs and health', () => {
  let l: Ledger;
  beforeAll(async () => {
    l = await Ledger.start();
  });
  afterAll(() => l.close());

  it('serves Swagger UI at /docs without a token', async () => {
    const res = await request(l.t.server).get('/docs');
    expect(res.status).toBe(200);
    expect(res.text).toContain('swagger');
  });

  it('describes every route with its body, answer and problems at /docs-json', async () => {
    const res = await request(l.t.server).get('/docs-json');
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(JSON.stringify(doc)).not.toContain('"#/components/schemas/"');
    const operations = Object.entries(
      doc.paths as Record<
        string,
        Record<string, { requestBody?: unknown; security?: unknown[]; responses: Record<string, { content?: Record<string, unknown> }> }>
      >,
    ).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, ...op })));
    expect(operations).toHaveLength(64);
    for (const op of operations) {
      // Public routes (security: [], e.g. /health and the Merkle log's /log/*) need no token, so answer no 401/403.
      if (Array.isArray(op.security) && op.security.length === 0) continue;
      expect([op.route, Object.keys(op.responses)]).toEqual([op.route, expect.arrayContaining(['401', '403'])]);
      expect([op.route, op.responses['403'].content]).toEqual([
        op.route,
        { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDto' } } },
      ]);
      if (op.route.startsWith('POST') && op.route !== 'POST /admin/read-models/rebuild') {
        expect([op.route, op.requestBody]).toEqual([op.route, expect.anything()]);
        expect([op.route, Object.keys(op.responses)]).toEqual([
          op.route,
          expect.arrayContaining(['400', '404', '409', '412', '413', '415', '422']),
        ]);
      }
    }
    expect(doc.info.description).toContain('| PLAN_NOT_APPROVED | 422 |');
    expect(doc.info.description).toContain('| STALE_REVISION | 412 |');
  });

  it('answers /health without a token, with the read models’ lag', async () => {
    const res = await request(l.t.server).get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', eventStoreHead: 0, readModelPosition: 0, lag: 0 });
  });

  it('echoes the correlation id and refuses a malformed one', async () => {
    const ok = await request(l.t.server).get('/health').set('X-Correlation-Id', 'batch-2026.01:42');
    expect(ok.headers['x-correlation-id']).toBe('batch-2026.01:42');
    expect(ok.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const bad = await request(l.t.server).get('/health').set('X-Correlation-Id', 'has spaces and ;');
    expect({ status: bad.status, code: bad.body.code }).toEqual({ status: 400, code: 'INVALID_CORRELATION_ID' });
  });
});
