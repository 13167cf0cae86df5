import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { runVerify } from '../apps/auditor/src/commands';
import { storeSource } from '../apps/auditor/src/source';
import { loadOrCreateLocalKeys, signLocalToken } from '../apps/ledger-api/src/auth/local-keys';

/**
 * The real start command's program, as its own process: compiled with SWC (as `npm start` does),
 * started on a fresh data directory, written to, stopped with SIGTERM, started again.
 */
const root = resolve(__dirname, '..');
let work: string;
let built: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'ledger-process-'));
  built = join(work, 'dist');
  execFileSync(
    join(root, 'node_modules', '.bin', 'swc'),
    ['apps', 'libs', '-d', built, '--quiet', '--ignore', '**/*.spec.ts,**/testing/**'],
    { cwd: root },
  );
}, 60_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

function start(dataDir: string, port: number): Promise<{ child: ChildProcess; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [join(built, 'apps', 'ledger-api', 'src', 'main.js')], {
    env: { ...process.env, NODE_PATH: join(root, 'node_modules'), LEDGER_DATA_DIR: dataDir, LEDGER_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return new Promise((ready, failed) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('listening on')) ready({ child, exited });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => failed(new Error(`exited with ${code} before listening:\n${output}`)));
  });
}

test('starts on an empty data directory, stops cleanly on SIGTERM, keeps what it recorded, and the auditor verifies it', async () => {
  const dataDir = join(work, 'data');
  const port = 40_000 + Math.floor(Math.random() * 5_000);
  const base = `http://127.0.0.1:${port}`;
  const first = await start(dataDir, port);
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

  const second = await start(dataDir, port);
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
