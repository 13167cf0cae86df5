import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore } from '../port';
import { SqliteEventStore } from '../sqlite/sqlite-event-store';
import { newEvent } from '../testing/events';
import { freshSchemaName, openPostgresTestStore } from '../testing/postgres';
import { describeWithServer } from '../testing/servers';
import { StreamingTree, leafHash, verifyInclusion } from './merkle';
import { LogFollower } from './log-follower';
import { NoteSigner, hasValidSignature, parseCheckpoint, parseNote, parseVerifierKey } from './note';
import { LogDisagreesError, entryOf } from './sqlite-log';

/**
 * The log of a server event store: a follower of the port's subscription, in a file of its own.
 * The same checks on any store: dense leaves in global order, a signed checkpoint per batch whose
 * root the events give, a restart that continues where it stopped, a cut-back store refused.
 */
function followerContract(name: string, open: () => Promise<{ store: EventStore; cleanup: () => Promise<void> }>) {
  describe(`the Merkle log follower on ${name}`, () => {
    let dir: string;
    let source: { store: EventStore; cleanup: () => Promise<void> };
    const signer = NoteSigner.fromKey(NoteSigner.generateKey('ledger.test/follower'));
    const streams = [`appraisal-2026-f${Date.now()}`, `unit-f${Date.now()}-2026`];

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'log-follower-'));
      source = await open();
    });
    afterEach(async () => {
      await source.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    const follower = () => LogFollower.open({ path: join(dir, 'merkle-log.sqlite'), store: source.store, signer, batchSize: 7 });

    it('builds the tree of every event in global order and signs what it built, across a restart', async () => {
      const first = follower();
      await first.checkTail();
      first.start();
      for (let i = 0; i < 20; i++) await source.store.append(streams[i % 2], 'any', [newEvent({ data: { i } })]);
      const head = await source.store.headPosition();
      expect(await first.waitFor(head, 10_000)).toBe(true);
      await first.close();

      const again = follower();
      await again.checkTail();
      again.start();
      for (let i = 0; i < 5; i++) await source.store.append(streams[0], 'any', [newEvent({ data: { later: i } })]);
      expect(await again.waitFor(await source.store.headPosition(), 10_000)).toBe(true);
      const all = (await source.store.readAll({ fromPosition: 0, limit: 10_000 })).filter((e) => streams.includes(e.streamId));
      const size = again.log.size();
      // A shared server may hold other tests' events too: this log's leaves are the store's events in order.
      const leaves = again.log.leaves(0, size);
      const mine = leaves.filter((leaf) => all.some((e) => e.eventId === leaf.eventId));
      expect(mine.map((l) => l.eventId)).toEqual(all.map((e) => e.eventId));
      expect(leaves.map((l) => l.leafIndex)).toEqual(leaves.map((_, i) => i));
      const tree = new StreamingTree();
      for (const leaf of leaves) tree.append(leafHash(entryOf(leaf.hash)));
      const latest = again.log.latestCheckpoint();
      const note = parseNote(latest?.note ?? '');
      expect(hasValidSignature(note, parseVerifierKey(signer.verifierKey))).toBe(true);
      expect(parseCheckpoint(note.body)).toMatchObject({ size, root: tree.root() });
      const leaf = again.log.leafOfEvent(all[3].eventId);
      expect(leaf).toBeDefined();
      const index = leaf?.leafIndex ?? -1;
      expect(verifyInclusion(index, size, leafHash(entryOf(all[3].hash)), again.log.inclusionProof(index, size), tree.root())).toBe(true);
      await again.close();
    });
  });
}

followerContract('SQLite (as a stand-in source)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'log-follower-source-'));
  const store = SqliteEventStore.open({ path: join(dir, 'events.sqlite'), pollIntervalMs: 10 });
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describeWithServer('postgres', 'the Merkle log follower on a real PostgreSQL', (address) => {
  followerContract('PostgreSQL', () => openPostgresTestStore(address, { schema: freshSchemaName() }));
});

describe('the follower refuses a store cut back below what it signed', () => {
  it('names the leaf whose event is gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'log-follower-cut-'));
    const signer = NoteSigner.fromKey(NoteSigner.generateKey('ledger.test/follower'));
    const store = SqliteEventStore.open({ path: join(dir, 'events.sqlite'), pollIntervalMs: 10 });
    const follower = LogFollower.open({ path: join(dir, 'merkle-log.sqlite'), store, signer });
    follower.start();
    for (let i = 0; i < 4; i++) await store.append('appraisal-2026-x', 'any', [newEvent({ data: { i } })]);
    expect(await follower.waitFor(4, 10_000)).toBe(true);
    await follower.close();
    await store.close();
    // The server's copy is replaced by an older one (a restored backup, a rewrite).
    rmSync(join(dir, 'events.sqlite'));
    const older = SqliteEventStore.open({ path: join(dir, 'events.sqlite') });
    for (let i = 0; i < 2; i++) await older.append('appraisal-2026-x', 'any', [newEvent({ data: { i } })]);
    const again = LogFollower.open({ path: join(dir, 'merkle-log.sqlite'), store: older, signer });
    await expect(again.checkTail()).rejects.toThrow(LogDisagreesError);
    await expect(again.checkTail()).rejects.toThrow(/leaf 3 records event/);
    await again.close();
    await older.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
