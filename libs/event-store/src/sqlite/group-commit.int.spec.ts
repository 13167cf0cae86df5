import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventIdConflictError, InvalidEventError } from '../errors';
import { NoteSigner, type CheckpointSigner } from '../log/note';
import { WrongExpectedRevisionError } from '../port';
import { newEvent, newEvents, uniqueStreamId, waitUntil } from '../testing';
import { compileEventStoreForChildren, spawnTestChild } from '../testing/children';
import { verifyEvents } from '../verify';
import { ENDS_SQL, SqliteEventStore } from './sqlite-event-store';

let dir: string;
let signingKey: string;
let signer: NoteSigner;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ledger-group-commit-'));
  signingKey = NoteSigner.generateKey('ledger.test/group-commit');
  signer = NoteSigner.fromKey(signingKey);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
const open = (options: { signer?: CheckpointSigner; maxDelayMs?: number } = {}) =>
  SqliteEventStore.open({
    path: join(dir, `store-${files++}.db`),
    logSigner: options.signer ?? signer,
    groupCommitMaxDelayMs: options.maxDelayMs,
  });
const checkpoints = (store: SqliteEventStore) => store.log.checkpointsAfter(0, 1_000_000).length;

describe('SqliteEventStore group commit', () => {
  it("reads the store's first and last positions before a batch by two index lookups, not a scan", async () => {
    const store = open();
    await store.append(uniqueStreamId(), 'no_stream', newEvents(2));
    const path = join(dir, `store-${files - 1}.db`);
    await store.close();
    const db = new Database(path, { readonly: true });
    try {
      // MIN and MAX in one select scanned every row: 59 ms a batch on a store of a million events.
      const plan = db
        .prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN ${ENDS_SQL}`)
        .all()
        .map((row) => row.detail);
      expect(plan.filter((detail) => /^SCAN events/.test(detail))).toEqual([]);
      expect(plan.filter((detail) => /^SEARCH events/.test(detail))).toHaveLength(2);
      expect(db.prepare(ENDS_SQL).get()).toEqual({ head: 2, tail: 1 });
    } finally {
      db.close();
    }
  });

  it('commits appends made in the same turn in one transaction, with one signed checkpoint', async () => {
    const store = open();
    try {
      const streams = Array.from({ length: 20 }, () => uniqueStreamId('batch'));
      const results = await Promise.all(streams.map((id) => store.append(id, 'no_stream', newEvents(2))));
      expect(store.groupCommits).toEqual({ batches: 1, appends: 20 });
      expect(checkpoints(store)).toBe(1);
      expect(store.log.latestCheckpoint()?.size).toBe(40);
      // Each append is answered with its own positions, in the order the appends were made.
      expect(results.map((r) => r.position)).toEqual(Array.from({ length: 20 }, (_, i) => 2 * (i + 1)));
      expect(store.checkLog().problems).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('fails only the conflicting append of a batch; the others are stored, in one checkpoint', async () => {
    const store = open();
    // A row refused half-way through an append (here by a trigger put in from outside): that append's
    // savepoint is rolled back, its first row with it; the batch goes on.
    const outside = new Database(join(dir, `store-${files - 1}.db`));
    outside.exec(
      `CREATE TRIGGER refuse_boom BEFORE INSERT ON events WHEN NEW.type = 'Boom' BEGIN SELECT RAISE(ABORT, 'boom refused'); END`,
    );
    outside.close();
    try {
      const taken = uniqueStreamId('taken');
      await store.append(taken, 'no_stream', newEvents(1));
      const [a, b] = [uniqueStreamId('a'), uniqueStreamId('b')];
      const before = checkpoints(store);
      const settled = await Promise.allSettled([
        store.append(a, 'no_stream', newEvents(2)),
        store.append(taken, 'no_stream', newEvents(1)), // the stream exists: a conflict
        store.append(taken, 5, newEvents(1)), // wrong revision: a conflict
        store.append(b, 'no_stream', [newEvent(), newEvent({ type: 'Boom' })]), // refused on its second row
        store.append(b, 'no_stream', newEvents(1)), // the refused one stored nothing: this one is first
        store.append(taken, 0, newEvents(1)),
      ]);
      expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected', 'fulfilled', 'fulfilled']);
      const reasons = settled.map((s) => (s.status === 'rejected' ? (s.reason as Error) : undefined));
      expect(reasons[1]).toBeInstanceOf(WrongExpectedRevisionError);
      expect(reasons[2]).toBeInstanceOf(WrongExpectedRevisionError);
      expect(reasons[3]?.message).toMatch(/boom refused/);
      expect(checkpoints(store)).toBe(before + 1);
      expect((await store.readStream(a)).length).toBe(2);
      expect((await store.readStream(b)).length).toBe(1);
      expect((await store.readStream(taken)).map((e) => e.streamRevision)).toEqual([0, 1]);
      // Positions stay dense: a savepoint's rows that were rolled back left no gap.
      expect((await store.readAll({ fromPosition: 0, limit: 100 })).map((e) => e.globalPosition)).toEqual([1, 2, 3, 4, 5]);
      expect(store.checkLog().problems).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('refuses an event with no faithful JSON form before it joins a batch', async () => {
    const store = open();
    try {
      await expect(store.append(uniqueStreamId('nan'), 'no_stream', [newEvent({ data: { bad: Number.NaN } })])).rejects.toThrow(
        InvalidEventError,
      );
      expect(store.groupCommits.appends).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('answers a retry within the same batch as the original, and refuses an id claimed by another stream in it', async () => {
    const store = open();
    try {
      const [a, b] = [uniqueStreamId('a'), uniqueStreamId('b')];
      const events = newEvents(2);
      const settled = await Promise.allSettled([
        store.append(a, 'no_stream', events),
        store.append(a, 'no_stream', events),
        store.append(b, 'no_stream', [events[0]]),
      ]);
      expect(settled[0]).toEqual({ status: 'fulfilled', value: { nextExpectedRevision: 1, position: 2 } });
      expect(settled[1]).toEqual(settled[0]);
      expect(settled[2].status === 'rejected' && settled[2].reason).toBeInstanceOf(EventIdConflictError);
      expect(store.groupCommits.batches).toBe(1);
      expect((await store.readAll({ fromPosition: 0, limit: 10 })).length).toBe(2);
    } finally {
      await store.close();
    }
  });

  it('stores nothing of a batch whose transaction fails, fails each of its appends, and goes on after', async () => {
    let failNext = false;
    const flaky: CheckpointSigner = {
      name: signer.name,
      verifierKey: signer.verifierKey,
      signNote: (body: string) => {
        if (failNext) throw new Error('the signer is unavailable');
        return signer.signNote(body);
      },
    };
    const store = open({ signer: flaky });
    try {
      await store.append(uniqueStreamId('first'), 'no_stream', newEvents(1));
      failNext = true;
      const streams = [uniqueStreamId('x'), uniqueStreamId('y'), uniqueStreamId('z')];
      const settled = await Promise.allSettled(streams.map((id) => store.append(id, 'no_stream', newEvents(2))));
      expect(settled.map((s) => s.status === 'rejected' && (s.reason as Error).message)).toEqual(
        Array(3).fill('the signer is unavailable'),
      );
      expect(await store.headPosition()).toBe(1);
      for (const id of streams) expect(await store.readStream(id)).toEqual([]);
      expect(store.log.size()).toBe(1);
      failNext = false;
      // The writer's in-memory frontier was discarded with the batch: the next batch signs a correct tree.
      await Promise.all(streams.map((id) => store.append(id, 'no_stream', newEvents(2))));
      expect(store.log.latestCheckpoint()?.size).toBe(7);
      expect(store.checkLog().problems).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('settles no append before its batch is committed: another connection sees it when it is answered', async () => {
    const store = open({ maxDelayMs: 5 });
    const path = join(dir, `store-${files - 1}.db`);
    const reader = SqliteEventStore.open({ path });
    try {
      // A first batch of several makes the next ones wait for a cohort (the adaptive delay).
      await Promise.all(Array.from({ length: 4 }, () => store.append(uniqueStreamId('warm'), 'no_stream', newEvents(1))));
      const streams = Array.from({ length: 10 }, () => uniqueStreamId('seen'));
      await Promise.all(
        streams.map(async (id, i) => {
          await new Promise((r) => setTimeout(r, i % 3));
          const result = await store.append(id, 'no_stream', newEvents(1));
          const seen = await reader.readStream(id);
          expect(seen.map((e) => e.globalPosition)).toEqual([result.position]);
        }),
      );
      expect(store.groupCommits.batches).toBeLessThan(1 + 10);
    } finally {
      await reader.close();
      await store.close();
    }
  });

  it('commits the appends it accepted before close', async () => {
    const path = join(dir, 'closing.db');
    const store = SqliteEventStore.open({ path, logSigner: signer });
    const id = uniqueStreamId('closing');
    const pending = store.append(id, 'no_stream', newEvents(3));
    await store.close();
    await expect(pending).resolves.toEqual({ nextExpectedRevision: 2, position: 3 });
    const again = SqliteEventStore.open({ path, logSigner: signer });
    try {
      expect((await again.readStream(id)).length).toBe(3);
    } finally {
      await again.close();
    }
  });

  it('leaves no half-written batch when the process is killed in the middle of group commits', async () => {
    const compiledIndex = compileEventStoreForChildren(join(dir, 'compiled'));
    const path = join(dir, 'killed.db');
    const committed: { streamId: string; revision: number; position: number }[] = [];
    let groups = { batches: 0, appends: 0 };
    const child = spawnTestChild('child-group-appender.js', [compiledIndex, path, signingKey, '8'], (line) => {
      const c = /^committed (\S+) (\d+) (\d+)$/.exec(line);
      if (c) committed.push({ streamId: c[1], revision: Number(c[2]), position: Number(c[3]) });
      const b = /^batches (\d+) (\d+)$/.exec(line);
      if (b) groups = { batches: Number(b[1]), appends: Number(b[2]) };
    });
    await waitUntil(() => committed.length >= 400, `the child commits 400 appends (stderr: ${child.stderr()})`, 30_000);
    child.process.kill('SIGKILL');
    await child.exited;

    // Eight writers in flight: their appends shared transactions.
    expect(groups.appends / groups.batches).toBeGreaterThan(1.5);
    const store = SqliteEventStore.open({ path, logSigner: signer });
    try {
      // Every row is a leaf of the log and the latest signed checkpoint covers every row: no batch's
      // rows were committed without its checkpoint, or the other way round.
      expect(store.checkLog().problems).toEqual([]);
      const head = await store.headPosition();
      expect(store.log.size()).toBe(head);
      expect(store.log.latestCheckpoint()?.size).toBe(head);
      // Every acknowledged append is there, where it was acknowledged; every stream holds whole appends.
      const events = await store.readAll({ fromPosition: 0, limit: head + 1 });
      const byStream = new Map<string, typeof events>();
      for (const event of events) byStream.set(event.streamId, [...(byStream.get(event.streamId) ?? []), event]);
      for (const { streamId, revision, position } of committed) expect(byStream.get(streamId)?.[revision]?.globalPosition).toBe(position);
      for (const streamEvents of byStream.values()) {
        expect(streamEvents.length % 3).toBe(0);
        expect(verifyEvents(streamEvents).ok).toBe(true);
      }
    } finally {
      await store.close();
    }
  }, 60_000);
});
