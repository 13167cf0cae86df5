import request from 'supertest';
import { BEHAVIOURS, DEFAULT_POLICY } from '@ledger/appraisal';
import { PROJECTIONS, type ReadStore } from '@ledger/read-models';
import { READ_STORE } from '../apps/ledger-api/src/platform/ledger-runtime';
import type { StoredEvent } from '@ledger/event-store';
import { employeeDocument, redactEventsForEmployee } from '../apps/ledger-api/src/appraisals/queries/redaction';
import { decidedYear } from './support/decided-year';
import { appraisalOf, as, Ledger, openUnitWithApprovedPlans, orgPredicate, P, rating, UNIT, YEAR, type Caller } from './support/ledger';

// DOMAIN.md: 360 raters stay anonymous to the employee everywhere the employee can read. This walks
// every read model's documents through the redaction policy and every GET route of the app as the
// employee, and fails on any rater id anywhere (keys, values, substrings of text) and on any survey
// instant finer than its date. Rater ids and survey instants are distinctive so the search cannot miss.

const K = DEFAULT_POLICY.surveyMinimumGroup;
const RATERS = ['197707072099097701', '197707072099097702', '197707072099097703', '197707072099097704', '197707072099097705'];
// Employee 0: K raters (a group big enough to pool). Employee 1: K - 1 raters (too small to show any answer).
const GROUPS: Array<{ employee: number; raters: string[] }> = [
  { employee: 0, raters: RATERS.slice(0, K) },
  { employee: 1, raters: RATERS.slice(K, K + K - 1) },
];
/** Each survey at its own odd minute and second: a match on `Thh:mm` is that survey's instant. */
const surveyInstant = (i: number) => `2026-04-03T0${3 + i}:1${i}:2${i}.41${i}Z`;
const instantMarks = RATERS.map((_, i) => surveyInstant(i).slice(10, 16));
const answersOf = (i: number) =>
  Object.fromEntries(BEHAVIOURS.map((b, j) => [b, (i + j) % 2 === 0 ? 'SESUAI_EKSPEKTASI' : 'DI_ATAS_EKSPEKTASI']));

/** Every string (keys and values) in a JSON value, with its path. */
function strings(value: unknown, path = '$'): Array<[string, string]> {
  if (typeof value === 'string') return [[path, value]];
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return [[path, String(value)]];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${path}[${i}]`));
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => [
    [`${path}.${k}(key)`, k] as [string, string],
    ...strings(v, `${path}.${k}`),
  ]);
}

/** What of the `raters` shows in `value`: their ids and survey instants (finer than a date), with where. */
function leaks(value: unknown, raters: readonly string[] = RATERS): string[] {
  const marks = instantMarks.filter((_, i) => raters.includes(RATERS[i]));
  return strings(value).flatMap(([path, text]) => [
    ...raters.filter((r) => text.includes(r)).map((r) => `${path}: rater ${r}`),
    ...marks.filter((m) => text.includes(m)).map((m) => `${path}: survey instant ${m}`),
  ]);
}

describe('360 anonymity: the employee never learns a rater', () => {
  let l: Ledger;
  let beforeFinal: { periods: Record<string, { survey360: unknown }>; outlook: { periods: Record<string, { sources: unknown }> } };
  const getRoutes: Array<{ path: string; query: string[] }> = [];

  beforeAll(async () => {
    l = await Ledger.start();
    await openUnitWithApprovedPlans(l);
    l.clock.set('2026-04-02T02:00:00.000Z');
    await l.ok(as.leader, `/units/${UNIT}/years/${YEAR}/periods/TRIWULAN_I/organisational-predicate`, orgPredicate('BAIK'));
    let n = 0;
    for (const { employee, raters } of GROUPS) {
      const q1 = `/appraisals/${appraisalOf(P.employees[employee])}/periods/TRIWULAN_I`;
      for (const [i, raterId] of raters.entries()) {
        await l.ok(as.appraiser, `${q1}/raters`, { raterId, relation: i % 2 === 0 ? 'REKAN_KERJA' : 'BAWAHAN' });
      }
      for (const raterId of raters) {
        l.clock.set(surveyInstant(n));
        // The comment names its writer: free text is never shown to the employee.
        const caller: Caller = { sub: raterId, role: 'REKAN_KERJA' };
        await l.ok(caller, `${q1}/surveys`, { answers: answersOf(n), comment: `Dari rekan ${raterId}` });
        n += 1;
      }
      l.clock.set('2026-04-10T02:00:00.000Z');
      await l.ok(as.appraiser, `${q1}/rating`, rating('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI'));
    }
    // Rated but not final: surveys may still come in, so no pool is shown yet (the next read could differ by one set).
    beforeFinal = (await l.read(as.employee(0), `/appraisals/${appraisalOf(P.employees[0])}`)).body;
    for (const i of [2, 3]) {
      const q1 = `/appraisals/${appraisalOf(P.employees[i])}/periods/TRIWULAN_I`;
      await l.ok(as.appraiser, `${q1}/rating`, rating('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI'));
    }
    const exception = { reason: 'Target triwulan tercapai' };
    await l.ok(as.upperLeader, `/units/${UNIT}/years/${YEAR}/periods/TRIWULAN_I/finalisation/exception`, exception);
    const docs = await request(l.t.server).get('/docs-json');
    type Operation = { parameters?: Array<{ in: string; name: string }> };
    for (const [path, item] of Object.entries(docs.body.paths as Record<string, { get?: Operation }>)) {
      if (item.get) getRoutes.push({ path, query: (item.get.parameters ?? []).filter((q) => q.in === 'query').map((q) => q.name) });
    }
  });
  afterAll(() => l.close());

  /**
   * Every GET route the app documents, filled in for this employee's appraisal, once per value of
   * each query parameter it declares (the edge refuses undeclared ones). A parameter this list does
   * not know fails the test: a new one must say what to try.
   */
  const QUERY_VALUES: Record<string, string[]> = {
    period: ['TRIWULAN_I'],
    // The auditor's search (refused to the employee's role, whatever is asked).
    year: ['2026'],
    predicate: ['BAIK'],
    unitId: [UNIT],
    // Between the first and second survey, and after that day: a count as of an instant would date a survey.
    asOf: ['2026-04-03T03:59:59.000Z', '2026-04-03T23:59:59.999Z'],
    follow: ['false'],
    after: ['0'],
    types: ['BehaviourSurveySubmitted,RaterAssigned'],
    status: ['OPEN'],
    minPosition: ['0'],
    // The feed's signed checkpoints (the feed refuses the appraisee's role anyway).
    checkpoints: ['true'],
    // A verified read: refused to the appraisee (the proof would need the hashes their view leaves out).
    proof: ['true', 'false'],
    // The Merkle log (public: hashes and signatures only).
    eventId: ['00000000-0000-4000-8000-000000000000'],
    leafIndex: ['0'],
    treeSize: ['1'],
    from: ['1'],
    to: ['1'],
  };
  function urlsFor(appraisalId: string): string[] {
    return getRoutes.flatMap(({ path: route, query }) => {
      const path = route
        .replace('{id}', appraisalId)
        .replace('{unitId}', UNIT)
        .replace('{year}', String(YEAR))
        .replace('{appraiserId}', P.appraiser)
        .replace('{period}', 'TRIWULAN_I')
        .replace('{size}', '1')
        .replace('{path}', '0/000.p/1');
      expect(path).not.toContain('{');
      const required = query.includes('period') ? `period=TRIWULAN_I` : '';
      const variants = [
        required,
        ...query
          .filter((q) => q !== 'period')
          .flatMap((q) => {
            const values = Object.hasOwn(QUERY_VALUES, q) ? QUERY_VALUES[q] : undefined;
            if (values === undefined) throw new Error(`no value to try for query parameter ${q} of ${route}`);
            return values.map((v) => [required, `${q}=${encodeURIComponent(v)}`].filter(Boolean).join('&'));
          }),
      ];
      return [...new Set(variants)].map((q) => (q === '' ? path : `${path}?${q}`));
    });
  }

  it('walks routes: the app has GET routes for views, audit trail, history, units, disputes, patterns and feed', () => {
    for (const expected of ['/appraisals/{id}', '/appraisals/{id}/audit-trail', '/appraisals/{id}/history', '/feed', '/disputes']) {
      expect(getRoutes.map((r) => r.path)).toContain(expected);
    }
  });

  it('shows the employee no rater, no survey instant, in any GET answer (bodies and headers)', async () => {
    const found: string[] = [];
    const answered = new Set<string>();
    for (const { employee } of GROUPS) {
      for (const url of urlsFor(appraisalOf(P.employees[employee]))) {
        const res = await l.get(as.employee(employee), url);
        expect(res.status).toBeLessThan(500);
        if (res.status === 200) answered.add(url.replace(appraisalOf(P.employees[employee]), '{id}').split('?')[0]);
        found.push(...leaks({ url, headers: res.headers, body: res.body ?? null, text: res.text }).map((x) => `${url} ${x}`));
      }
    }
    expect(found).toEqual([]);
    // Not vacuous: the employee's own readings answered (others refuse the employee, 403).
    const own = ['/appraisals/{id}', '/appraisals/{id}/audit-trail', '/appraisals/{id}/history'];
    expect([...answered].sort()).toEqual(expect.arrayContaining(own));
  });

  it('shows the appraisee none of their own raters with any other token they hold (the policy is by person)', async () => {
    const found: string[] = [];
    let answered = 0;
    for (const { employee, raters } of GROUPS) {
      const nip = P.employees[employee];
      // HR reads every appraisal and an auditor also the feed: each other appraisal's raters are theirs to see, their own are not.
      for (const role of ['PENGELOLA_KINERJA', 'AUDITOR'] as const) {
        // The feed follows until the client leaves unless told not to: every variant replays to the head instead.
        const replayed = (url: string) =>
          !url.startsWith('/feed') || url.includes('follow=') ? url : `${url}${url.includes('?') ? '&' : '?'}follow=false`;
        for (const url of urlsFor(appraisalOf(nip)).map(replayed)) {
          const res = await l.get({ sub: nip, role }, url);
          expect(res.status).toBeLessThan(500);
          if (res.status === 200) answered += 1;
          found.push(...leaks({ headers: res.headers, body: res.body ?? null, text: res.text }, raters).map((x) => `${role} ${url} ${x}`));
        }
      }
    }
    expect(found).toEqual([]);
    expect(answered).toBeGreaterThan(0);
    // Not vacuous: the same auditor token follows the feed and is sent the other appraisee's raters.
    const feed = (await l.get({ sub: P.employees[0], role: 'AUDITOR' }, '/feed?follow=false')).text;
    for (const r of GROUPS[1].raters) expect(feed).toContain(r);
  }, 60_000);

  it('shows every read model document to the employee without a rater (each collection has a rule)', async () => {
    const store = l.t.app.get<ReadStore>(READ_STORE);
    const found: string[] = [];
    let raw = 0;
    for (const { collection } of PROJECTIONS) {
      for (const doc of await store.find(collection, {})) {
        raw += leaks(doc.doc).length;
        found.push(...leaks(employeeDocument(collection, doc.doc, K)).map((x) => `${collection}/${doc.id} ${x}`));
      }
    }
    expect(found).toEqual([]);
    // The search is not blind: the stored documents do name the raters and their instants.
    expect(raw).toBeGreaterThan(RATERS.length);
  });

  it('refuses the feed to the employee (it carries whole envelopes)', async () => {
    expect((await l.get(as.employee(0), '/feed?follow=false')).status).toBe(403);
  });

  it('shows no pool while the period is open, though K surveys are in (a later read would differ by one set)', () => {
    expect(beforeFinal.periods.TRIWULAN_I.survey360).toEqual({ ratersAssigned: K, submitted: K, minimumGroup: K, answers: null });
    const sources = beforeFinal.outlook.periods.TRIWULAN_I.sources;
    expect(sources).toMatchObject({ peers: { mostCommon: null }, gaps: { peersPerilakuKerja: null } });
  });

  it('pools the answers per behaviour from K surveys once final; below K shows none; never per-rater sets or comments', async () => {
    const big = (await l.read(as.employee(0), `/appraisals/${appraisalOf(P.employees[0])}`)).body.periods.TRIWULAN_I;
    expect(big.surveys).toEqual([]);
    expect(big.raters).toEqual([]);
    expect(big.survey360).toMatchObject({ ratersAssigned: K, submitted: K, minimumGroup: K });
    for (const b of BEHAVIOURS) {
      const expected = { SESUAI_EKSPEKTASI: 0, DI_ATAS_EKSPEKTASI: 0, DI_BAWAH_EKSPEKTASI: 0 };
      for (let i = 0; i < K; i++) expected[answersOf(i)[b] as keyof typeof expected] += 1;
      expect(big.survey360.answers[b]).toEqual(expected);
    }
    const small = (await l.read(as.employee(1), `/appraisals/${appraisalOf(P.employees[1])}`)).body;
    expect(small.periods.TRIWULAN_I.survey360).toEqual({ ratersAssigned: K - 1, submitted: K - 1, minimumGroup: K, answers: null });
    expect(small.outlook.periods.TRIWULAN_I.sources.peers.mostCommon).toBeNull();
    expect(JSON.stringify(small)).not.toContain('Dari rekan');
  });

  it('shows the auditor and the appraiser who rated and when (so the search above can fail)', async () => {
    for (const caller of [as.auditor, as.appraiser]) {
      for (const { employee, raters } of GROUPS) {
        const base = `/appraisals/${appraisalOf(P.employees[employee])}`;
        const text = JSON.stringify([(await l.read(caller, base)).body, (await l.read(caller, `${base}/audit-trail`)).body]);
        for (const r of raters) expect(text).toContain(r);
      }
    }
    type Entry = { type: string; actorId: string; summary: string };
    const trail = (await l.read(as.auditor, `/appraisals/${appraisalOf(P.employees[0])}/audit-trail`)).body.entries as Entry[];
    const surveys = trail.filter((e) => e.type === 'BehaviourSurveySubmitted');
    expect(surveys.map((e) => e.actorId)).toEqual(RATERS.slice(0, K));
    // The sentence never names the rater, for any reader; actorId does, for those entitled.
    for (const e of surveys) expect(leaks(e.summary)).toEqual([]);
  });
});

/** Every read model of a whole decided year, folded in memory the way the projector folds them. */
function readModels(events: readonly StoredEvent[]): Map<string, Map<string, unknown>> {
  const out = new Map<string, Map<string, unknown>>();
  for (const p of PROJECTIONS) {
    const docs = new Map<string, unknown>();
    for (const e of events.filter((x) => p.handles.includes(x.type))) {
      for (const id of p.idsOf(e)) {
        const next = p.evolve(docs.get(id) ?? null, e);
        if (next === null) docs.delete(id);
        else docs.set(id, next);
      }
    }
    out.set(p.collection, docs);
  }
  return out;
}

describe('360 anonymity over a whole decided year (every read model, every envelope)', () => {
  let events: StoredEvent[];
  let raters: string[];
  beforeAll(async () => {
    events = await decidedYear();
    raters = [...new Set(events.filter((e) => e.type === 'RaterAssigned').map((e) => String(e.data.raterId)))];
  });

  it('leaves no rater id in any document of a decided year, nor in its event envelopes, as the employee sees them', () => {
    expect(raters.length).toBeGreaterThan(1);
    const models = readModels(events);
    let raw = '';
    let shown = '';
    for (const [collection, docs] of models) {
      for (const doc of docs.values()) {
        raw += JSON.stringify(doc);
        shown += JSON.stringify(employeeDocument(collection, doc, K) ?? null);
      }
    }
    shown += JSON.stringify(redactEventsForEmployee(events));
    for (const r of raters) {
      expect(raw).toContain(r); // the search can fail: the stored documents name them
      expect(shown).not.toContain(r);
    }
  });
});
