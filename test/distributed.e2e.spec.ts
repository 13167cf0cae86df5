import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithServer } from '@ledger/event-store/testing';
import { loadOrCreateLocalKeys, signLocalToken } from '../apps/ledger-api/src/auth/local-keys';
import { buildApps, freePort, runToExit, startApi, startApp, type AppProcess } from './support/processes';

/**
 * The distributed shape as separate processes: the api with LEDGER_PROJECTOR=external and
 * apps/projector keeping the read models, on the embedded stores and (when a MongoDB-wire server
 * is given) with the read models in MongoDB. A configured but unreachable server stops a process
 * at start with a message naming it; nothing falls back to the embedded stores.
 */
let work: string;
let built: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'ledger-distributed-'));
  built = join(work, 'dist');
  buildApps(built);
}, 60_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function apiAndProjector(env: Record<string, string>): Promise<void> {
  const dataDir = mkdtempSync(join(work, 'data-'));
  const running: AppProcess[] = [];
  try {
    running.push(await startApp(built, 'projector', { ...env, LEDGER_DATA_DIR: dataDir }, /following from position/));
    const api = await startApi(built, { ...env, LEDGER_DATA_DIR: dataDir, LEDGER_PROJECTOR: 'external' });
    running.push(api);
    const { base } = api;
    const hr = await signLocalToken(await loadOrCreateLocalKeys(dataDir), { sub: '198505052010012001', role: 'PENGELOLA_KINERJA' });
    const headers = { authorization: `Bearer ${hr}`, 'content-type': 'application/json' };
    const opened = await fetch(`${base}/units`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        unitId: 'biro-umum',
        year: 2026,
        name: 'Biro Umum',
        leaderId: '196801011990031004',
        upperLeaderId: '196501011988031005',
      }),
    });
    expect(opened.status).toBe(201);
    const position = opened.headers.get('x-ledger-position');
    // Read your own write: answered once the other process's checkpoint reached the position.
    const unit = await fetch(`${base}/units/biro-umum/years/2026?period=TAHUNAN&minPosition=${position}`, { headers });
    if (unit.status !== 200) throw new Error(`${unit.status} ${await unit.text()} position=${position}`);
    expect(((await unit.json()) as { name: string }).name).toBe('Biro Umum');
    const health = (await (await fetch(`${base}/health`)).json()) as { lag: number };
    expect(health.lag).toBe(0);
    // The api cannot rebuild what another process keeps.
    const rebuild = await fetch(`${base}/admin/read-models/rebuild`, { method: 'POST', headers });
    expect(rebuild.status).toBe(409);
    expect(((await rebuild.json()) as { code: string }).code).toBe('PROJECTOR_EXTERNAL');
    for (const proc of running.reverse()) expect(await proc.stop()).toBe(0);
  } finally {
    for (const proc of running) if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
  }
}

describe('api and projector as separate processes', () => {
  it('on the embedded stores: the api answers from the read models the projector process keeps', () => apiAndProjector({}), 60_000);
});

describeWithServer('mongodb', 'api and projector with the read models in MongoDB', (uri) => {
  it('the api answers from MongoDB read models kept by the projector process', () => {
    const database = `ledger_e2e_${process.pid}_${Date.now()}`;
    return apiAndProjector({ READ_STORE: 'mongodb', MONGODB_URI: uri, MONGODB_DATABASE: database });
  }, 60_000);
});

describe('a configured server that cannot be reached', () => {
  let closed = '';
  beforeAll(async () => {
    closed = `127.0.0.1:${await freePort()}`;
  });
  // The address is chosen when the tests run (a closed port the system picked), so each case
  // builds its settings from it.
  const mongo = (): Record<string, string> => ({ READ_STORE: 'mongodb', MONGODB_URI: `mongodb://${closed}/` });
  const esdb = (): Record<string, string> => ({ EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: `esdb://${closed}?tls=false` });
  const mongoMessage = /MongoDB at mongodb:\/\/127\.0\.0\.1:\d+\/ is unreachable/;
  const esdbMessage = /EventStoreDB at esdb:\/\/127\.0\.0\.1:\d+\?tls=false is unreachable/;
  it.each([
    ['ledger-api', mongo, mongoMessage],
    ['projector', mongo, mongoMessage],
    ['ledger-api', esdb, esdbMessage],
    ['projector', esdb, esdbMessage],
  ])(
    '%s stops at start with a message naming the server, and serves nothing',
    async (app, settings, message) => {
      const dataDir = mkdtempSync(join(work, 'unreachable-'));
      const { code, output } = await runToExit(built, app, { ...settings(), LEDGER_DATA_DIR: dataDir, LEDGER_PORT: '0' });
      expect(code).not.toBe(0);
      expect(output).toMatch(message);
      expect(output).not.toMatch(/listening on|following from/);
    },
    40_000,
  );

  it('a bad setting stops the projector with every problem listed', async () => {
    const { code, output } = await runToExit(built, 'projector', { READ_STORE: 'mongo', PROJECTOR_BATCH_SIZE: '0' });
    expect(code).toBe(2);
    expect(output).toContain('READ_STORE must be "sqlite" or "mongodb"');
    expect(output).toContain('PROJECTOR_BATCH_SIZE');
  });
});
