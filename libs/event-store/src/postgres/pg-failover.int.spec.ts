import type { StoredEvent } from '../envelope';
import { describeWithServer, newEvents, sleep, uniqueStreamId, waitUntil } from '../testing';
import { PgTestServers, freePort } from '../testing/pg-cluster';
import { verifyEvents } from '../verify';
import { PostgresEventStore } from './pg-event-store';
import { installSchemaAt } from './pg-schema';

/** Follows from the start and records what it got, each event once and in order, and any error. */
function follow(store: PostgresEventStore) {
  const delivered: StoredEvent[] = [];
  const errors: Error[] = [];
  const subscription = store.subscribe({
    fromPosition: 0,
    batchSize: 50,
    onError: (error) => errors.push(error),
    handler: async (batch) => {
      delivered.push(...batch);
    },
  });
  return { delivered, errors, subscription };
}

/**
 * Servers of their own (test/infra/postgres.sh), so that killing one disturbs no other suite.
 * They need what the shared server needs (Debian's PostgreSQL 15), so they run where it runs.
 */
describeWithServer('postgres', 'PostgreSQL restart and failover', () => {
  let servers: PgTestServers;
  beforeEach(() => {
    servers = new PgTestServers();
  });
  afterEach(async () => {
    await servers.stopAll();
  });

  it('a store and its follower ride out a server restart: appends wait for it, the follower resumes, nothing lost or repeated', async () => {
    const port = await freePort();
    await servers.startPrimary('one', port);
    await installSchemaAt(PgTestServers.adminUrl(port), { schema: 'ledger', ledgerRole: 'ledger' });
    const reconnects: string[] = [];
    const store = await PostgresEventStore.connect({
      connectionString: PgTestServers.ledgerUrl(port),
      failoverTimeoutMs: 30_000,
      pollIntervalMs: 5_000,
      onReconnect: ({ what }) => reconnects.push(what),
    });
    try {
      const follower = follow(store);
      const streamId = uniqueStreamId();
      await store.append(streamId, 'no_stream', newEvents(3));
      await waitUntil(() => follower.delivered.length === 3, 'the first events are delivered');
      await servers.stop('one');
      const appending = store.append(streamId, 2, newEvents(2));
      await sleep(500);
      await servers.startPrimary('one', port);
      expect((await appending).nextExpectedRevision).toBe(4);
      await store.append(streamId, 4, newEvents(1));
      // The poll is 5 s: within this wait only a NOTIFY on the re-established LISTEN delivers.
      await waitUntil(() => follower.delivered.length === 6, 'the events after the restart are delivered', 4_000);
      await follower.subscription.close();
      expect(follower.delivered.map((e) => e.streamRevision)).toEqual([0, 1, 2, 3, 4, 5]);
      expect(verifyEvents(follower.delivered).ok).toBe(true);
      expect(follower.errors).toEqual([]);
      expect(reconnects).toEqual(expect.arrayContaining(['listen']));
    } finally {
      await store.close();
    }
  }, 60_000);

  it('SIGKILLed primary, promoted synchronous replica: every acknowledged append is there, the chain verifies, the follower resumes', async () => {
    const [primaryPort, replicaPort] = [await freePort(), await freePort()];
    await servers.startPrimary('primary', primaryPort, { syncStandby: true });
    await servers.startReplica('replica', replicaPort, primaryPort);
    await installSchemaAt(PgTestServers.adminUrl(primaryPort), { schema: 'ledger', ledgerRole: 'ledger' });
    const store = await PostgresEventStore.connect({
      connectionString: PgTestServers.ledgerUrl(primaryPort, replicaPort),
      failoverTimeoutMs: 30_000,
      connectTimeoutMs: 2_000,
      pollIntervalMs: 200,
    });
    try {
      const follower = follow(store);
      const acknowledged = new Map<string, number>(); // event id -> stream revision
      const failures: Error[] = [];
      let writing = true;
      const writer = async (index: number) => {
        const streamId = uniqueStreamId(`w${index}`);
        let revision: number | 'no_stream' = 'no_stream';
        while (writing) {
          const batch = newEvents(1 + (index % 3));
          try {
            const result = await store.append(streamId, revision, batch);
            batch.forEach((event, i) => acknowledged.set(event.eventId, result.nextExpectedRevision - batch.length + 1 + i));
            revision = result.nextExpectedRevision;
          } catch (error) {
            failures.push(error instanceof Error ? error : new Error(String(error)));
            return;
          }
        }
      };
      const writers = [0, 1, 2, 3].map(writer);
      await waitUntil(() => acknowledged.size >= 100, 'the load is under way', 15_000);
      await servers.kill('primary');
      const atKill = acknowledged.size;
      await servers.promote('replica');
      await waitUntil(() => acknowledged.size >= atKill + 100, 'appends go on on the promoted replica', 30_000);
      writing = false;
      await Promise.all(writers);
      expect(failures).toEqual([]);

      const all = await store.readAll({ fromPosition: 0, limit: 100_000 });
      const stored = new Map(all.map((event) => [event.eventId, event]));
      const missing = [...acknowledged.keys()].filter((id) => !stored.has(id));
      expect(missing).toEqual([]);
      for (const [id, revision] of acknowledged) expect(stored.get(id)?.streamRevision).toBe(revision);
      expect(verifyEvents(all)).toMatchObject({ ok: true, problems: [] });
      expect(all.length).toBe(acknowledged.size);

      await waitUntil(() => follower.delivered.length >= all.length, 'the follower has resumed and caught up', 15_000);
      await follower.subscription.close();
      expect(follower.delivered.map((e) => e.eventId)).toEqual(all.map((e) => e.eventId));
      expect(follower.errors).toEqual([]);
    } finally {
      await store.close();
    }
  }, 120_000);
});
