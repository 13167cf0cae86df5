import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyEvents } from '../verify';
import type { StoredEvent } from '../envelope';
import { uniqueStreamId, waitUntil } from '../testing';
import { compileEventStoreForChildren, spawnTestChild, type TestChild } from '../testing/children';
import { SqliteEventStore } from './sqlite-event-store';

// The children run the real adapter: SWC compiles this library once, as the production build does.
let dir: string;
let compiledIndex: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ledger-events-processes-'));
  compiledIndex = compileEventStoreForChildren(join(dir, 'compiled'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Child extends TestChild {
  committed: { revision: number; position: number }[];
}

function startAppender(path: string, streamId: string, batchSize: number, batches: number): Child {
  const committed: Child['committed'] = [];
  const child = spawnTestChild('child-appender.js', [compiledIndex, path, streamId, String(batchSize), String(batches)], (line) => {
    const match = /^committed (\d+) (\d+)$/.exec(line);
    if (match) committed.push({ revision: Number(match[1]), position: Number(match[2]) });
  });
  return { ...child, committed };
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
