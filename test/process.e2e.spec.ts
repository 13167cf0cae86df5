import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { runVerify } from '../apps/auditor/src/commands';
import { storeSource } from '../apps/auditor/src/source';
import { loadOrCreateLocalKeys, signLocalToken } from '../apps/ledger-api/src/auth/local-keys';
import { buildApps, startApi } from './support/processes';

/**
 * The real start command's program, as its own process: compiled with SWC (as `npm start` does),
 * started on a fresh data directory, written to, stopped with SIGTERM, started again.
 */
let work: string;
let built: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'ledger-process-'));
  built = join(work, 'dist');
  buildApps(built);
}, 60_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

test('starts on an empty data directory, stops cleanly on SIGTERM, keeps what it recorded, and the auditor verifies it', async () => {
  const dataDir = join(work, 'data');
  const first = await startApi(built, { LEDGER_DATA_DIR: dataDir });
  let base = first.base;
  expect((await fetch(`${base}/docs`)).status).toBe(200);

  const keys = await loadOrCreateLocalKeys(dataDir);
  const hr = await signLocalToken(keys, { sub: '198505052010012001', role: 'PENGELOLA_KINERJA' });
  const opened = await fetch(`${base}/units`, {
    method: 'POST',
    headers: { authorization: `Bearer ${hr}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      unitId: 'biro-umum',
      year: 2026,
      name: 'Biro Umum',
      leaderId: '196801011990031004',
      upperLeaderId: '196501011988031005',
    }),
  });
  expect(opened.status).toBe(201);

  first.child.kill('SIGTERM');
  expect(await first.exited).toBe(0);

  const second = await startApi(built, { LEDGER_DATA_DIR: dataDir });
  base = second.base;
  const health = (await (await fetch(`${base}/health`)).json()) as { eventStoreHead: number };
  expect(health.eventStoreHead).toBe(1);
  const again = await fetch(`${base}/units`, {
    method: 'POST',
    headers: { authorization: `Bearer ${hr}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      unitId: 'biro-umum',
      year: 2026,
      name: 'Biro Umum',
      leaderId: '196801011990031004',
      upperLeaderId: '196501011988031005',
    }),
  });
  expect(again.status).toBe(409);
  second.child.kill('SIGTERM');
  expect(await second.exited).toBe(0);

  // The auditor CLI reads the very files the ledger wrote, and finds them intact.
  const report: string[] = [];
  const source = storeSource(dataDir);
  expect(
    await runVerify(
      source,
      false,
      new Writable({
        write: (c, _e, done) => {
          report.push(String(c));
          done();
        },
      }),
    ),
  ).toBe(0);
  await source.close();
  expect(report.join('')).toMatch(/^INTACT: 1 events in 1 streams/);
}, 60_000);
