/**
 * Property: every command endpoint either refuses a request (4xx problem document with a `code`,
 * store unchanged) or stores exactly what was sent; never a 5xx. The endpoints and their body
 * schemas come from the app's own OpenAPI document, so routes added later are covered too.
 *
 * Bounded in `npm test` (LEDGER_PBT_RUNS, default 300). The long run:
 *   LEDGER_PBT_RUNS=10000 npx jest test/bad-input.property.e2e.spec.ts
 * Replay a failure with the printed seed: LEDGER_PBT_SEED=<seed> (and the same LEDGER_PBT_RUNS).
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import request from 'supertest';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { Ledger, P, YEAR, as, type Caller, openUnitAndFirstAppraisal } from './support/ledger';
import { malformed, resolve, validValue, type Schema, type Schemas } from './support/property-bodies';

const RUNS = Number(process.env.LEDGER_PBT_RUNS ?? 300);
const SEED = process.env.LEDGER_PBT_SEED === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.LEDGER_PBT_SEED);
const A = `${YEAR}-${P.employees[0]}`;
const PATH_PARAMS: Record<string, string> = {
  id: A,
  unitId: 'biro-umum',
  year: String(YEAR),
  period: 'TAHUNAN',
  feedbackId: 'f-1',
  serviceId: 'loket-1',
};

/** Who would send it (so a valid body can get past authorisation); anyone else is refused with a 4xx, also fine. */
const CALLERS: [RegExp, Caller][] = [
  [/\/surveys$/, as.rater],
  [/\/objection\/findings$/, as.reviewer],
  [/\/objection\/(statements|reviewer|decision)$/, as.superior],
  [/\/(self-assessment|objection|plan\/draft|plan\/submit|plan\/revisions|evidence|responses|feedback-codes)$/, as.employee(0)],
  [
    /\/(plan\/approve|plan\/return|plan\/revisions\/(approve|reject)|behaviour-expectations|feedback|raters|rating|rating\/revisions)$/,
    as.appraiser,
  ],
  [/\/finalisation\/exception$/, as.upperLeader],
  [/\/(organisational-predicate|finalisation)$/, as.leader],
];
const callerFor = (path: string) => CALLERS.find(([pattern]) => pattern.test(path))?.[1] ?? as.manager;

interface Endpoint {
  path: string;
  schema?: Schema;
}

function commandEndpoints(doc: OpenAPIObject): Endpoint[] {
  return Object.entries(doc.paths).flatMap(([template, item]) => {
    const post = item.post;
    if (post === undefined) return [];
    const path = template.replace(/\{(\w+)\}/g, (_m, name: string) => {
      const value = PATH_PARAMS[name];
      if (value === undefined) throw new Error(`no value for path parameter {${name}} of ${template}: add it to PATH_PARAMS`);
      return value;
    });
    const body = post.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined;
    return [{ path, schema: body?.content?.['application/json']?.schema }];
  });
}

/** RFC 8785 for what these bodies hold (strings, finite numbers, booleans, null, arrays, objects). */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

describe('bad input, generated from the OpenAPI document (property)', () => {
  let l: Ledger;
  let endpoints: Endpoint[];
  let schemas: Schemas;
  const tally = { cases: 0, byStatus: {} as Record<string, number>, appendedOnRefusal: 0, altered: 0, fiveHundreds: 0 };

  beforeAll(async () => {
    process.stdout.write(`bad-input property: seed=${SEED} runs=${RUNS} (replay: LEDGER_PBT_SEED=${SEED} LEDGER_PBT_RUNS=${RUNS})\n`);
    l = await Ledger.start('2026-01-05T02:00:00.000Z');
    await openUnitAndFirstAppraisal(l);
    const doc = SwaggerModule.createDocument(l.t.app, new DocumentBuilder().build());
    schemas = (doc.components?.schemas ?? {}) as Schemas;
    endpoints = commandEndpoints(doc);
  });
  afterAll(async () => {
    process.stdout.write(`bad-input property: ${JSON.stringify(tally)}\n`);
    await l.close();
  });

  it('finds the command endpoints and their bodies in the app itself', () => {
    const paths = endpoints.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['/appraisals', '/units', `/appraisals/${A}/plan/draft`, '/admin/read-models/rebuild']));
    expect(endpoints.filter((e) => e.schema !== undefined).length).toBeGreaterThan(20);
  });

  it(
    'answers every generated request with a 4xx refusal that changed nothing, or stores it exactly',
    async () => {
      const arbitrary = fc.constantFrom(...endpoints).chain((endpoint) => {
        const valid = endpoint.schema === undefined ? fc.constant({}) : validValue(endpoint.schema, schemas);
        return fc.tuple(
          fc.constant(endpoint),
          valid.chain((body) => malformed(body)),
        );
      });
      await fc.assert(
        fc.asyncProperty(arbitrary, async ([endpoint, body]) => {
          tally.cases++;
          const head = await l.store.headPosition();
          const token = await l.token(callerFor(endpoint.path));
          const res = await request(l.t.server)
            .post(endpoint.path)
            .set('Authorization', `Bearer ${token}`)
            .set('Content-Type', 'application/json')
            .set(body.headers ?? {})
            // The bytes as they are: superagent would otherwise JSON-encode the Buffer object.
            .serialize((bytes: unknown) => bytes as string)
            .send(body.bytes);
          tally.byStatus[res.status] = (tally.byStatus[res.status] ?? 0) + 1;
          const what = `${endpoint.path} ${body.kind} ${createHash('sha256').update(body.bytes).digest('hex').slice(0, 8)}: ${res.status} ${res.text.slice(0, 300)}`;
          if (res.status >= 500) tally.fiveHundreds++;
          expect({ what, server: res.status >= 500 }).toEqual({ what, server: false });
          const after = await l.store.headPosition();
          if (res.status >= 400) {
            expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
            expect(typeof res.body.code).toBe('string');
            if (after !== head) tally.appendedOnRefusal++;
            expect({ what, appended: after - head }).toEqual({ what, appended: 0 });
            return;
          }
          // Accepted: the body was plain JSON, and each field the event carries is what was sent.
          expect({ what, plain: body.sent !== undefined }).toEqual({ what, plain: true });
          const events = await l.store.readAll({ fromPosition: head, limit: 100 });
          const sent = (body.sent ?? {}) as Record<string, unknown>;
          const schema = endpoint.schema === undefined ? {} : resolve(endpoint.schema, schemas);
          for (const event of events) {
            const data = event.data;
            for (const key of Object.keys(schema.properties ?? {})) {
              if (!(key in data) || !(key in sent)) continue;
              if (canonical(data[key]) !== canonical(sent[key])) tally.altered++;
              expect({ what, key, stored: canonical(data[key]) }).toEqual({ what, key, stored: canonical(sent[key]) });
            }
          }
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
    },
    Math.max(60_000, RUNS * 100),
  );
});
