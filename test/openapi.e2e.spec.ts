import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import request from 'supertest';
import { BEHAVIOURS, type Role } from '@ledger/appraisal';
import type { EventStore } from '@ledger/event-store';
import { EVENT_STORE } from '../apps/ledger-api/src/platform/ledger-runtime';
import { ManualClock } from '../apps/ledger-api/src/testing/clock-and-ids';
import { startTestApp, type TestApp } from '../apps/ledger-api/src/testing/test-app';
import { decidedYear } from './support/decided-year';
import { appraisalOf, as, Ledger, openUnitWithApprovedPlans, orgPredicate, P, planBody, rating, type Caller } from './support/ledger';

/**
 * What the api answers against what /docs-json declares. Every object schema the document
 * declares is closed here (additionalProperties: false unless it says otherwise), so a field the
 * document does not name fails, as does a missing required one or a wrong type.
 */
type Schema = Record<string, unknown>;
interface OpenApi {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>>;
  components: { schemas: Record<string, Schema> };
}

const close = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(close);
  if (typeof node !== 'object' || node === null) return node;
  const out: Schema = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, close(v)]));
  if (out.properties !== undefined && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
};

class Contract {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly cache = new Map<string, ValidateFunction>();
  private readonly components: unknown;

  constructor(readonly doc: OpenApi) {
    addFormats(this.ajv);
    this.components = close(doc.components);
  }

  /** The path template of the document that a concrete path matches. */
  template(path: string): string {
    const bare = path.split('?')[0];
    const found = Object.keys(this.doc.paths).find((t) =>
      new RegExp(`^${t.replace('{path}', '.+').replace(/\{[^}]+\}/g, '[^/]+')}$`).test(bare),
    );
    if (found === undefined) throw new Error(`no documented path for ${bare}`);
    return found;
  }

  /** Errors of the answer against the schema declared for its method, path and status ([] = conforms). */
  check(method: string, path: string, res: request.Response): string[] {
    const template = this.template(path);
    const declared = this.doc.paths[template][method]?.responses[String(res.status)];
    if (declared === undefined) return [`${method.toUpperCase()} ${template}: status ${res.status} is not declared`];
    const type = (res.headers['content-type'] ?? '').split(';')[0];
    const content = declared.content?.[type];
    if (content === undefined) return [`${method.toUpperCase()} ${template} ${res.status}: content type ${type} is not declared`];
    const key = `${method} ${template} ${res.status} ${type}`;
    let validate = this.cache.get(key);
    if (validate === undefined) {
      validate = this.ajv.compile({ ...(close(content.schema) as Schema), components: this.components });
      this.cache.set(key, validate);
    }
    // Text and binary answers (the log's notes and tiles) are checked as strings: text, or the bytes as read.
    const body: unknown =
      type === 'application/problem+json'
        ? JSON.parse(res.text)
        : type.startsWith('text/') || type === 'application/octet-stream'
          ? (res.text ?? '')
          : res.body;
    if (validate(body)) return [];
    // Array indexes folded to *, so one drift reads as one line however many items show it.
    return (validate.errors ?? []).map((e) => `${key}: ${e.instancePath.replace(/\/\d+/g, '/*')} ${e.message} ${JSON.stringify(e.params)}`);
  }
}

const E1 = `2026-${P.employees[0]}`;
const readers: Caller[] = [
  as.auditor,
  { sub: P.employees[0], role: 'PEGAWAI' },
  as.appraiser,
  as.superior,
  as.leader,
  as.reviewer,
  as.manager,
  { sub: 'svc-dashboard', role: 'LAYANAN_INTERNAL' },
];
const PARAMS: Record<string, string> = {
  id: E1,
  unitId: 'biro-umum',
  year: '2026',
  appraiserId: '198501012010011001',
  size: '2',
  path: '0/000.p/2',
};
const QUERIES: Record<string, string[]> = {
  '/appraisals/{id}/history': ['', '?asOf=2026-06-30T00:00:00%2B07:00', '?asOf=2020-01-01T00:00:00Z'],
  '/units/{unitId}/years/{year}': ['', '?period=TAHUNAN'],
  '/disputes': ['', '?status=OPEN'],
  '/appraisals': [
    '',
    '?year=2026&period=TAHUNAN',
    '?year=2026&period=TAHUNAN&predicate=BAIK',
    '?year=2026&period=TAHUNAN&unitId=biro-umum',
    '?year=2026&period=TAHUNAN&predicate=KURANG&unitId=nope',
  ],
  '/appraisers/{appraiserId}/patterns/{year}': ['', '?period=TAHUNAN'],
  '/appraisers/{appraiserId}/analytics/{year}': ['', '?period=TAHUNAN'],
  '/units/{unitId}/years/{year}/analytics': ['', '?period=TAHUNAN'],
  '/analytics/agency/{year}': ['', '?period=TAHUNAN'],
  '/appraisals/{id}/agreement': ['', '?period=TAHUNAN', '?period=TRIWULAN_I'],
  '/feed': ['?follow=false', '?types=Nope'],
  '/log/proof/inclusion': ['?leafIndex=1', '?leafIndex=1&treeSize=2', '?leafIndex=99999', '?treeSize=1'],
  '/log/proof/consistency': ['?from=1&to=2', '?from=2&to=1'],
  '/log/tile/{path}': ['', '/x'],
  '/log/checkpoints/{size}': ['', '0'],
};
/** Routes that read no read model: no ?minPosition to wait on. */
const NO_MIN_POSITION = (template: string) =>
  template === '/feed' ||
  template === '/auth/settings' ||
  template.startsWith('/health') ||
  template.startsWith('/.well-known/') ||
  template.startsWith('/log/');

describe('OpenAPI: every GET answers what the document declares', () => {
  // The app's own random ids: decidedYear's sequential ids would collide with a sequential generator here.
  let t: TestApp;
  let store: EventStore;
  let contract: Contract;
  const tokens = new Map<string, string>();
  const token = async (c: Caller) =>
    tokens.get(`${c.sub}|${c.role}`) ?? tokens.set(`${c.sub}|${c.role}`, await t.token(c.sub, c.role)).get(`${c.sub}|${c.role}`);
  const l = {
    get: async (c: Caller, url: string) =>
      request(t.server)
        .get(url)
        .set('Authorization', `Bearer ${await token(c)}`),
    token,
  };

  beforeAll(async () => {
    t = await startTestApp({ clock: new ManualClock('2026-12-01T02:00:00.000Z') });
    store = t.app.get<EventStore>(EVENT_STORE);
    await decidedYear(store);
    contract = new Contract((await request(t.server).get('/docs-json')).body as OpenApi);
  });
  afterAll(() => t.close());

  it('types every parameter and every JSON answer (an empty schema says nothing a client can rely on)', () => {
    const untyped: string[] = [];
    for (const [path, item] of Object.entries(contract.doc.paths)) {
      for (const [method, op] of Object.entries(item) as Array<
        [string, { parameters?: Array<{ name: string; schema?: Schema }> } & (typeof item)[string]]
      >) {
        for (const p of op.parameters ?? [])
          if (p.schema === undefined || Object.keys(p.schema).length === 0) untyped.push(`${method} ${path} ?${p.name}`);
        for (const [status, r] of Object.entries(op.responses)) {
          for (const [type, c] of Object.entries(r.content ?? {})) {
            if (type.endsWith('json') && c.schema.properties === undefined && c.schema.$ref === undefined)
              untyped.push(`${method} ${path} ${status} ${type}`);
          }
        }
      }
    }
    expect(untyped).toEqual([]);
    expect((contract.doc as unknown as { servers: unknown[] }).servers).not.toEqual([]);
  });

  it('for every documented GET route, every reader, success and problem answers alike', async () => {
    const routes = Object.keys(contract.doc.paths).filter((t) => contract.doc.paths[t].get !== undefined);
    expect(routes.length).toBeGreaterThan(5);
    const errors: string[] = [];
    const okRoutes = new Set<string>();
    const head = await store.headPosition();
    for (const template of routes) {
      const path = template.replace(/\{([^}]+)\}/g, (_m, name: string) => PARAMS[name] ?? `unknown-${name}`);
      for (const query of QUERIES[template] ?? ['']) {
        for (const reader of [...readers, undefined]) {
          const url = NO_MIN_POSITION(template) ? `${path}${query}` : `${path}${query}${query ? '&' : '?'}minPosition=${head}`;
          const req = request(t.server).get(url);
          const res = reader === undefined ? await req : await req.set('Authorization', `Bearer ${await l.token(reader)}`);
          expect({ url, status: res.status < 500 }).toEqual({ url, status: true });
          if (res.status === 200) okRoutes.add(template);
          if (template === '/feed' && res.status === 200) continue; // text/event-stream: its messages are checked against contracts/
          errors.push(...contract.check('get', url, res));
        }
      }
    }
    expect([...new Set(errors)]).toEqual([]);
    expect([...okRoutes].sort()).toEqual([...routes].sort());
    // Every route × every reader: ~5 s on a loaded 2-core machine, past jest's default.
  }, 30_000);

  it('would catch a drift: an undeclared field, a missing required one, a wrong type, an undeclared status', async () => {
    const res = await l.get(as.auditor, `/appraisals/${E1}`);
    expect(contract.check('get', `/appraisals/${E1}`, res)).toEqual([]);
    // A plain copy is all check() reads: status, headers and body.
    // eslint-disable-next-line @typescript-eslint/no-misused-spread
    const altered = (body: unknown) => ({ ...res, body }) as request.Response;
    expect(contract.check('get', `/appraisals/${E1}`, altered({ ...res.body, surprise: 1 })).join()).toMatch(
      /additional properties.*surprise/,
    );
    expect(contract.check('get', `/appraisals/${E1}`, altered({ ...res.body, plan: { ...res.body.plan, extra: true } })).join()).toMatch(
      /\/plan must NOT have additional/,
    );
    const { revision: _dropped, ...withoutRevision } = res.body as Record<string, unknown>;
    expect(contract.check('get', `/appraisals/${E1}`, altered(withoutRevision)).join()).toMatch(/required.*revision/);
    expect(contract.check('get', `/appraisals/${E1}`, altered({ ...res.body, year: '2026' })).join()).toMatch(/\/year must be number/);
    // eslint-disable-next-line @typescript-eslint/no-misused-spread -- a plain copy with another status
    expect(contract.check('get', `/appraisals/${E1}`, { ...res, status: 418 } as request.Response)).toEqual([
      expect.stringMatching(/status 418 is not declared/),
    ]);
  });

  it('answers an asOf before the appraisal was opened with 404 NOT_YET_OPENED, saying when it was opened', async () => {
    const opened = (await store.readStream(`appraisal-${E1}`))[0].metadata.occurredAt;
    const before = new Date(Date.parse(opened) - 1).toISOString();
    for (const reader of [as.auditor, { sub: P.employees[0], role: 'PEGAWAI' as Role }]) {
      const res = await l.get(reader, `/appraisals/${E1}/history?asOf=${encodeURIComponent(before)}`);
      expect({ status: res.status, body: JSON.parse(res.text) as unknown }).toEqual({
        status: 404,
        body: expect.objectContaining({ code: 'NOT_YET_OPENED', details: { appraisalId: E1, asOf: before, openedAt: opened } }),
      });
      expect(contract.check('get', `/appraisals/${E1}/history`, res)).toEqual([]);
      const atOpening = await l.get(reader, `/appraisals/${E1}/history?asOf=${encodeURIComponent(opened)}`);
      expect(atOpening.status).toBe(200);
      expect(atOpening.body.revision).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('OpenAPI: command answers are what the document declares', () => {
  it('every POST of a year over HTTP, from opening to a decided objection, and refusals of each kind', async () => {
    const l = await Ledger.start();
    try {
      const contract = new Contract((await request(l.t.server).get('/docs-json')).body as OpenApi);
      const errors: string[] = [];
      const post = l.post.bind(l);
      const answered = new Set<string>();
      l.post = async (caller, path, body, headers) => {
        const res = await post(caller, path, body, headers);
        answered.add(`${contract.template(path)} ${res.status}`);
        errors.push(...contract.check('post', path, res));
        return res;
      };
      await openUnitWithApprovedPlans(l);
      const base = `/appraisals/${E1}`;
      const unit = '/units/biro-umum/years/2026/periods/TAHUNAN';
      await l.ok(as.manager, `${base}/plan-deadline`, { planDeadline: '2026-02-15T16:59:59.999Z', reason: 'Libur panjang' });
      await l.ok(as.appraiser, `${base}/plan/behaviour-expectations`, {
        behaviour: 'KOLABORATIF',
        expectation: 'Memimpin rapat koordinasi',
      });
      await l.ok(as.employee(0), `${base}/plan/revisions`, { plan: planBody('revisi'), reason: 'Prioritas baru' });
      await l.ok(as.appraiser, `${base}/plan/revisions/approve`);
      l.clock.set('2026-03-02T02:00:00.000Z');
      const evidence = await l.ok(as.employee(0), `${base}/evidence`, {
        resultId: 'rhk-1',
        indicatorId: 'iki-1',
        period: 'TRIWULAN_I',
        value: 1,
        document: { uri: 'https://dms.example.go.id/doc/1', sha256: 'a'.repeat(64) },
      });
      const feedback = await l.ok(as.appraiser, `${base}/feedback`, { text: 'Lengkap', about: { evidenceId: evidence.evidenceId } });
      await l.ok(as.employee(0), `${base}/feedback/${feedback.feedbackId}/responses`, { text: 'Terima kasih' });
      l.clock.set('2026-12-02T02:00:00.000Z');
      await l.ok(as.leader, `${unit}/organisational-predicate`, orgPredicate('BAIK'));
      await l.ok(as.employee(0), `${base}/periods/TAHUNAN/self-assessment`, {
        hasilKerja: 'DI_ATAS_EKSPEKTASI',
        perilakuKerja: 'SESUAI_EKSPEKTASI',
      });
      await l.ok(as.appraiser, `${base}/periods/TAHUNAN/raters`, { raterId: P.rater, relation: 'REKAN_KERJA' });
      const answers = Object.fromEntries(BEHAVIOURS.map((b) => [b, 'SESUAI_EKSPEKTASI']));
      await l.ok(as.rater, `${base}/periods/TAHUNAN/surveys`, { answers });
      const ratings = [
        rating('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI'),
        rating('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI'),
        rating('DI_ATAS_EKSPEKTASI', 'DI_ATAS_EKSPEKTASI'),
        rating('DI_ATAS_EKSPEKTASI', 'SESUAI_EKSPEKTASI'),
      ];
      for (const [i, r] of ratings.entries())
        await l.ok(as.appraiser, `/appraisals/${appraisalOf(P.employees[i])}/periods/TAHUNAN/rating`, r);
      // Four under BAIK need a BUTUH_PERBAIKAN or KURANG: refused with the failing bound, then revised to fit.
      await l.post(as.leader, `${unit}/finalisation`);
      await l.ok(as.appraiser, `/appraisals/${appraisalOf(P.employees[3])}/periods/TAHUNAN/rating/revisions`, {
        ...rating('DI_BAWAH_EKSPEKTASI', 'SESUAI_EKSPEKTASI'),
        reason: 'Target tidak tercapai',
      });
      await l.ok(as.leader, `${unit}/finalisation`);
      const q = `${base}/periods/TAHUNAN/objection`;
      await l.ok(as.employee(0), q, { reasons: 'Bukti belum dipertimbangkan' });
      await l.ok(as.superior, `${q}/statements`, { party: 'PEJABAT_PENILAI', statement: 'Sudah dinilai' });
      await l.ok(as.superior, `${q}/statements`, { party: 'PEGAWAI', statement: 'Belum' });
      await l.ok(as.superior, `${q}/reviewer`, { reviewerId: P.reviewer });
      await l.ok(as.reviewer, `${q}/findings`, { findings: 'Bukti valid', recommendation: 'UPHELD' });
      await l.ok(as.superior, `${q}/decision`, { outcome: 'UPHELD', reasons: 'Penilaian sesuai bukti' });
      // Refusals of each kind: validation, a rule, a missing appraisal, a stale If-Match, a wrong actor, no token.
      await l.post(as.manager, '/units', { unitId: 'x' });
      await l.post(as.appraiser, `${base}/plan/approve`);
      await l.post(as.appraiser, '/appraisals/2026-199901012020121001/plan/approve');
      await l.post(as.employee(0), `${base}/plan/revisions`, { plan: planBody('lagi'), reason: 'x' }, { 'If-Match': '"0"' });
      await l.post(as.employee(1), `${base}/plan/submit`);
      const anonymous = await request(l.t.server).post(`${base}/plan/submit`).send({});
      errors.push(...contract.check('post', `${base}/plan/submit`, anonymous));
      expect([...new Set(errors)]).toEqual([]);
      // Each status class seen at least once, so the refusal schemas were exercised too.
      expect(new Set([...answered].map((a) => a.slice(-3, -2)))).toEqual(new Set(['2', '4']));
      expect(answered.size).toBeGreaterThan(25);
      expect([...answered]).toEqual(
        expect.arrayContaining([
          '/units/{unitId}/years/{year}/periods/{period}/finalisation 422',
          '/units/{unitId}/years/{year}/periods/{period}/finalisation 200',
        ]),
      );
    } finally {
      await l.close();
    }
  });
});
