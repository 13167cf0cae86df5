import { Counter } from 'prom-client';
import { check, readinessOf, startOpsServer, type OpsServer } from './ops-server';
import { createRegistry } from './metrics';
import { readOpsSettings } from './ops-settings';

describe('the operations port', () => {
  let server: OpsServer;
  let storeDown = false;
  const registry = createRegistry('test', false);
  const counter = new Counter({ name: 'ledger_test_total', help: 'a test counter', labelNames: ['kind'], registers: [registry] });
  const url = (path: string) => `http://127.0.0.1:${server.port}${path}`;

  beforeAll(async () => {
    server = await startOpsServer({
      host: '127.0.0.1',
      port: 0,
      registry,
      ready: () =>
        readinessOf([
          check('store', async () => {
            if (storeDown) throw new Error('connection refused');
            return { head: 7 };
          }),
          check('hangs', () => new Promise(() => undefined), 50),
        ]),
    });
  });
  afterAll(() => server.close());

  it('serves the registry in the Prometheus text format', async () => {
    counter.inc({ kind: 'x' }, 3);
    const res = await fetch(url('/metrics'));
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(await res.text()).toContain('ledger_test_total{kind="x",service="test"} 3');
  });

  it('is live while readiness names each failed check: a refusal and a server that does not answer in time', async () => {
    expect((await fetch(url('/health/live'))).status).toBe(200);
    const ready = await fetch(url('/health/ready'));
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({
      status: 'not-ready',
      checks: { store: { ok: true, head: 7 }, hangs: { ok: false, error: 'no answer in 50 ms' } },
    });
    storeDown = true;
    expect(((await (await fetch(url('/health/ready'))).json()) as { checks: unknown }).checks).toMatchObject({
      store: { ok: false, error: 'connection refused' },
    });
  });

  it('answers 404 elsewhere and 405 to other methods', async () => {
    expect((await fetch(url('/appraisals'))).status).toBe(404);
    const post = await fetch(url('/metrics'), { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('reads its settings with the process prefix and refuses bad ones', () => {
    const env: Record<string, string> = { RELAY_HEALTH_PORT: '3002', RELAY_READY_MAX_LAG: '5' };
    const problems: string[] = [];
    expect(readOpsSettings((n) => env[n], problems, 'RELAY')).toEqual({ port: 3002, host: '0.0.0.0', readyMaxLag: 5 });
    readOpsSettings((n) => ({ RELAY_HEALTH_PORT: '0', RELAY_READY_MAX_LAG: 'x' })[n], problems, 'RELAY');
    expect(problems).toEqual([
      'RELAY_HEALTH_PORT must be an integer 1..65535, got "0"',
      'RELAY_READY_MAX_LAG must be an integer 0..1000000000, got "x"',
    ]);
  });
});
