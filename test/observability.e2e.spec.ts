import request from 'supertest';
import { OpsEndpoint } from '../apps/ledger-api/src/ops/ops-endpoint';
import { Ledger, P, UNIT, YEAR, appraisalOf, as, planBody } from './support/ledger';

/**
 * Logs and metrics of a scripted appraisal, read the way an operator's stack reads them: the JSON
 * lines the api writes, and a Prometheus scrape of its metrics port (LEDGER_METRICS_PORT).
 */
const NAME = 'Siti Rahmawati Observasi';
const CORRELATION = 'obs-test.correlation:1';

interface Line {
  level: string;
  service: string;
  msg: string;
  requestId?: string;
  correlationId?: string;
  actorId?: string;
  actorRole?: string;
  commandType?: string;
  streamId?: string;
  outcome?: string;
  durationMs?: number;
  route?: string;
  req?: { method: string; path: string };
  res?: { statusCode: number };
}

/** `name{a="x",b="y"} 3` → samples, labels order-free. */
function samples(text: string, name: string): { labels: Record<string, string>; value: number }[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .map((line) => {
      const match = /^[^{ ]+(?:\{(.*)\})? (\S+)$/.exec(line);
      if (match === null) throw new Error(`not a sample: ${line}`);
      const labels = Object.fromEntries([...(match[1] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
      return { labels, value: Number(match[2]) };
    });
}
const valueOf = (text: string, name: string, labels: Record<string, string>): number | undefined =>
  samples(text, name).find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

describe('operating the api: logs and metrics of a scripted appraisal', () => {
  let l: Ledger;
  const raw: string[] = [];
  let lines: Line[];
  let metrics: string;
  let token: string;
  const answers: { requestId: string; status: number }[] = [];

  beforeAll(async () => {
    l = await Ledger.start(undefined, {
      env: { LEDGER_METRICS_PORT: '0' },
      logDestination: { write: (chunk: string) => void raw.push(chunk) },
    });
    token = await l.token(as.employee(0));
    const keep = (res: request.Response) => {
      answers.push({ requestId: res.headers['x-request-id'], status: res.status });
      return res;
    };
    keep(
      await l.post(as.manager, '/units', { unitId: UNIT, year: YEAR, name: 'Biro Umum', leaderId: P.leader, upperLeaderId: P.upperLeader }),
    );
    const open = {
      employeeNip: P.employees[0],
      employeeName: NAME,
      year: YEAR,
      unitId: UNIT,
      appraiserId: P.appraiser,
      superiorId: P.superior,
    };
    keep(await l.post(as.manager, '/appraisals', open, { 'X-Correlation-Id': CORRELATION }));
    const base = `/appraisals/${appraisalOf(P.employees[0])}`;
    keep(await l.post(as.employee(0), `${base}/plan/draft`, { plan: planBody('observasi'), dialogue: { heldOn: '2026-01-05' } }));
    keep(await l.post(as.employee(0), `${base}/plan/submit`));
    // Refusals: a stale If-Match, a rule that says no (the employee cannot approve), a body that fails validation.
    keep(await l.post(as.appraiser, `${base}/plan/approve`, {}, { 'If-Match': '"0"' }));
    keep(await l.post(as.employee(0), `${base}/plan/approve`));
    keep(await l.post(as.manager, '/appraisals', { ...open, year: 'soon' }));
    keep(await l.post(as.appraiser, `${base}/plan/approve`));
    keep(await l.get(as.employee(0), `${base}?minPosition=1`));
    const port = l.t.app.get(OpsEndpoint).port();
    metrics = (
      await request(`http://127.0.0.1:${String(port)}`)
        .get('/metrics')
        .expect(200)
    ).text;
    lines = raw.flatMap((chunk) => chunk.split('\n').filter((t) => t !== '')).map((t) => JSON.parse(t) as Line);
  });
  afterAll(() => l.close());

  it('writes one JSON line per request, with the ids, the actor, the command, its stream, outcome and duration', () => {
    for (const { requestId, status } of answers) {
      const line = lines.filter((x) => x.requestId === requestId);
      expect(line).toHaveLength(1);
      expect(line[0]).toMatchObject({ service: 'ledger-api', res: { statusCode: status } });
      expect(typeof line[0].durationMs).toBe('number');
    }
    const opened = lines.find((x) => x.commandType === 'OpenAppraisal' && x.outcome === 'OK');
    expect(opened).toMatchObject({
      level: 'info',
      correlationId: CORRELATION,
      actorId: P.manager,
      actorRole: 'PENGELOLA_KINERJA',
      streamId: `appraisal-${appraisalOf(P.employees[0])}`,
      route: '/appraisals',
      req: { method: 'POST', path: '/appraisals' },
      msg: 'command OpenAppraisal OK',
    });
    expect(lines.find((x) => x.commandType === 'ApprovePlan' && x.outcome === 'STALE_REVISION')).toMatchObject({
      actorRole: 'PEJABAT_PENILAI',
      res: { statusCode: 412 },
    });
    expect(lines.find((x) => x.commandType === 'ApprovePlan' && x.actorRole === 'PEGAWAI')?.outcome).toMatch(/^[A-Z_]+$/);
    // Refused before the command path (validation): no command type, the problem code as outcome.
    const invalid = lines.find((x) => x.outcome === 'VALIDATION_FAILED');
    expect(invalid).toMatchObject({ actorRole: 'PENGELOLA_KINERJA', res: { statusCode: 400 } });
    expect(invalid).not.toHaveProperty('commandType');
    // A query is logged too, without its query string.
    expect(lines.find((x) => x.req?.method === 'GET')).toMatchObject({
      route: '/appraisals/:id',
      outcome: 'OK',
      req: { path: `/appraisals/${appraisalOf(P.employees[0])}` },
    });
  });

  it('logs no token, header, body, query string or name', () => {
    const all = raw.join('');
    expect(all).not.toContain(token);
    expect(all).not.toContain(token.split('.')[2]);
    expect(all.toLowerCase()).not.toContain('bearer');
    expect(all.toLowerCase()).not.toContain('authorization');
    expect(all).not.toContain(NAME);
    expect(all).not.toContain('observasi');
    expect(all).not.toContain('minPosition');
    expect(all).not.toContain('"headers"');
  });

  it('counts every logged command in ledger_commands_total by type and outcome, and times it', () => {
    const logged = new Map<string, number>();
    for (const x of lines)
      if (x.commandType !== undefined) logged.set(`${x.commandType}|${x.outcome}`, (logged.get(`${x.commandType}|${x.outcome}`) ?? 0) + 1);
    expect(logged.size).toBeGreaterThanOrEqual(5);
    for (const [key, count] of logged) {
      const [type, outcome] = key.split('|');
      expect([key, valueOf(metrics, 'ledger_commands_total', { type, outcome, service: 'ledger-api' })]).toEqual([key, count]);
      expect(valueOf(metrics, 'ledger_command_duration_seconds_count', { type, outcome })).toBe(count);
    }
    const total = samples(metrics, 'ledger_commands_total').reduce((sum, s) => sum + s.value, 0);
    expect(total).toBe([...logged.values()].reduce((a, b) => a + b, 0));
  });

  it('counts appends and events by type as the store holds them, and shows the head, the projector and the cache', async () => {
    const events = await l.store.readAll({ fromPosition: 0, limit: 10_000 });
    const byType = new Map<string, number>();
    for (const e of events) byType.set(e.type, (byType.get(e.type) ?? 0) + 1);
    for (const [type, count] of byType) expect([type, valueOf(metrics, 'ledger_events_appended_total', { type })]).toEqual([type, count]);
    expect(valueOf(metrics, 'ledger_appends_total', {})).toBeGreaterThanOrEqual(5);
    expect(valueOf(metrics, 'ledger_append_duration_seconds_count', {})).toBe(valueOf(metrics, 'ledger_appends_total', {}));
    expect(valueOf(metrics, 'ledger_event_store_head_position', {})).toBe(events.at(-1)?.globalPosition);
    expect(valueOf(metrics, 'ledger_projector_position', { projection: 'read-models' })).toBe(events.at(-1)?.globalPosition);
    expect(valueOf(metrics, 'ledger_projector_lag_events', { projection: 'read-models' })).toBe(0);
    // Each projection has its own checkpoint, and a line of its own.
    for (const projection of ['appraisals', 'audit_trail', 'units'])
      expect([projection, valueOf(metrics, 'ledger_projector_position', { projection })]).toEqual([
        projection,
        events.at(-1)?.globalPosition,
      ]);
    expect(valueOf(metrics, 'ledger_state_cache_streams', {})).toBeGreaterThanOrEqual(2);
    expect(valueOf(metrics, 'ledger_feed_subscribers', {})).toBe(0);
    expect(valueOf(metrics, 'ledger_http_requests_total', { method: 'POST', route: '/appraisals', status: '201' })).toBe(1);
    expect(valueOf(metrics, 'ledger_http_requests_total', { method: 'POST', route: '/appraisals', status: '400' })).toBe(1);
    expect(samples(metrics, 'process_cpu_user_seconds_total')).toHaveLength(1);
    expect(samples(metrics, 'nodejs_eventloop_lag_seconds')).toHaveLength(1);
  });

  it('serves /metrics only on the metrics port, never on the API port', async () => {
    const res = await request(l.t.server).get('/metrics');
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('ledger_commands_total');
    const port = l.t.app.get(OpsEndpoint).port();
    await request(`http://127.0.0.1:${String(port)}`)
      .post('/metrics')
      .expect(405);
    await request(`http://127.0.0.1:${String(port)}`)
      .get('/appraisals')
      .expect(404);
  });

  it('answers liveness and readiness on the API and on the metrics port', async () => {
    await request(l.t.server).get('/health/live').expect(200, { status: 'ok' });
    const ready = await request(l.t.server).get('/health/ready').expect(200);
    expect(ready.body).toMatchObject({
      status: 'ready',
      checks: { eventStore: { ok: true }, readStore: { ok: true }, projector: { ok: true, lag: 0, maxLag: 1000 } },
    });
    const port = l.t.app.get(OpsEndpoint).port();
    await request(`http://127.0.0.1:${String(port)}`)
      .get('/health/ready')
      .expect(200);
  });
});

describe('readiness when the read models lag beyond LEDGER_READY_MAX_LAG', () => {
  it('is 503 with the projector check failed, while liveness stays 200', async () => {
    // An external projector that never runs: the checkpoint stays at 0 while the ledger grows.
    const l = await Ledger.start(undefined, { env: { LEDGER_PROJECTOR: 'external', LEDGER_READY_MAX_LAG: '1' } });
    try {
      await request(l.t.server).get('/health/ready').expect(200);
      await l.ok(as.manager, '/units', { unitId: UNIT, year: YEAR, name: 'Biro Umum', leaderId: P.leader, upperLeaderId: P.upperLeader });
      await l.ok(as.manager, '/units', {
        unitId: 'biro-dua',
        year: YEAR,
        name: 'Biro Dua',
        leaderId: P.leader,
        upperLeaderId: P.upperLeader,
      });
      const res = await request(l.t.server).get('/health/ready').expect(503);
      expect(res.body).toMatchObject({
        status: 'not-ready',
        checks: { eventStore: { ok: true }, readStore: { ok: true }, projector: { ok: false, lag: 2, maxLag: 1 } },
      });
      await request(l.t.server).get('/health/live').expect(200);
    } finally {
      await l.close();
    }
  });
});
