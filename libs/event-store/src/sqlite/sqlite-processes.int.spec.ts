import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { verifyEvents } from '../verify';
import type { StoredEvent } from '../envelope';
import { uniqueStreamId, waitUntil } from '../testing';
import { SqliteEventStore } from './sqlite-event-store';

// The children run the real adapter: SWC compiles this library once, as the production build does.
const root = resolve(__dirname, '../../../..');
let dir: string;
let compiledIndex: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ledger-events-processes-'));
  const out = join(dir, 'compiled');
  execFileSync(
    join(root, 'node_modules/.bin/swc'),
    ['libs/event-store/src', '-d', out, '--ignore', '**/*.spec.ts,**/testing/**', '--quiet'],
    { cwd: root },
  );
  compiledIndex = join(out, 'libs/event-store/src/index.js');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Child {
  process: ChildProcess;
  committed: { revision: number; position: number }[];
  exited: Promise<number | null>;
  stderr: () => string;
}

function startAppender(path: string, streamId: string, batchSize: number, batches: number): Child {
  const child = spawn(
    process.execPath,
    [join(__dirname, '../testing/child-appender.js'), compiledIndex, path, streamId, String(batchSize), String(batches)],
    {
      env: { ...process.env, NODE_PATH: join(root, 'node_modules') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const committed: Child['committed'] = [];
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    const lines = stdout.split('\n');
    stdout = lines.pop() ?? '';
    for (const line of lines) {
      const match = /^committed (\d+) (\d+)$/.exec(line);
      if (match) committed.push({ revision: Number(match[1]), position: Number(match[2]) });
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { process: child, committed, exited, stderr: () => stderr };
}

describe('SqliteEventStore across processes', () => {
  it('keeps every append a SIGKILLed process saw committed, and no partial batch', async () => {
    const path = join(dir, 'killed.db');
    const streamId = uniqueStreamId('killed');
    const child = startAppender(path, streamId, 3, 0);
    await waitUntil(() => child.committed.length >= 40, `the child commits 40 batches (stderr: ${child.stderr()})`, 30_000);
    child.process.kill('SIGKILL');
    await child.exited;

    const store = SqliteEventStore.open({ path });
    try {
      const events = await store.readStream(streamId);
      const lastSeen = child.committed[child.committed.length - 1];
      expect(events.length).toBeGreaterThanOrEqual(lastSeen.revision + 1);
      expect(events.length % 3).toBe(0);
      for (const { revision, position } of child.committed) expect(events[revision].globalPosition).toBe(position);
      expect(verifyEvents(events).ok).toBe(true);
    } finally {
      await store.close();
    }
  }, 60_000);

  it('delivers another process’s appends to a live subscription, in order, each once', async () => {
    const path = join(dir, 'live.db');
    const streamId = uniqueStreamId('live');
    const store = SqliteEventStore.open({ path, pollIntervalMs: 20 });
    const delivered: StoredEvent[] = [];
    const subscription = store.subscribe({ fromPosition: 0, batchSize: 7, handler: async (batch) => void delivered.push(...batch) });
    try {
      const child = startAppender(path, streamId, 2, 25);
      expect(await child.exited).toBe(0);
      await waitUntil(() => delivered.length >= 50, 'the subscription delivers the child’s 50 events');
      expect(delivered.map((e) => e.streamRevision)).toEqual(Array.from({ length: 50 }, (_, i) => i));
      expect(new Set(delivered.map((e) => e.eventId)).size).toBe(50);
    } finally {
      await subscription.close();
      await store.close();
    }
  }, 60_000);
});
