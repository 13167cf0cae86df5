import { Client } from 'pg';
import type { StoredEvent } from '../envelope';
import { describeWithServer, newEvents, sleep, uniqueStreamId, waitUntil } from '../testing';
import { PgTestServers, freePort } from '../testing/pg-cluster';
import { PostgresEventStore } from './pg-event-store';
import { installSchemaAt } from './pg-schema';

/**
 * The standby wait cut short: with synchronous_standby_names naming a standby that never
 * confirms, a commit is flushed on the primary and waits. Cancelling or terminating the waiting
 * backend (what a statement timeout, an operator, or a dying postmaster does) leaves the events
 * committed and visible on the primary alone. Such events must be neither acknowledged nor
 * delivered nor read until a standby has them (here: until the setting no longer asks for one),
 * or a failover would take back what the ledger had said. A server of its own: the setting would
 * stall every other suite.
 */
describeWithServer('postgres', 'PostgreSQL: only what the synchronous standby confirmed is acknowledged, read or delivered', () => {
  let servers: PgTestServers;
  let port: number;
  let admin: Client;
  beforeAll(async () => {
    servers = new PgTestServers();
    port = await freePort();
    await servers.startPrimary('primary', port);
    await installSchemaAt(PgTestServers.adminUrl(port), { schema: 'ledger', ledgerRole: 'ledger' });
    admin = new Client(PgTestServers.adminUrl(port));
    await admin.connect();
  }, 60_000);
  afterAll(async () => {
    await admin?.end();
    await servers?.stopAll();
  });

  const requireStandby = async (names: string): Promise<void> => {
    await admin.query(`ALTER SYSTEM SET synchronous_standby_names = '${names}'`);
    await admin.query('SELECT pg_reload_conf()');
    // The reload reaches backends at their next command; a fresh session shows it has been read.
    await waitUntil(async () => {
      const probe = new Client(PgTestServers.adminUrl(port));
      await probe.connect();
      try {
        const shown = (await probe.query<{ synchronous_standby_names: string }>('SHOW synchronous_standby_names')).rows[0];
        return shown.synchronous_standby_names === names;
      } finally {
        await probe.end();
      }
    }, `synchronous_standby_names = '${names}'`);
  };

  const storedOnPrimary = async (streamId: string): Promise<number> =>
    Number((await admin.query<{ n: string }>('SELECT count(*) AS n FROM ledger.events WHERE stream_id = $1', [streamId])).rows[0].n);

  it.each([
    ['cancelled (a statement timeout or pg_cancel_backend: COMMIT succeeds with a warning)', 'pg_cancel_backend'],
    ['terminated (pg_terminate_backend, or a dead postmaster: the connection drops)', 'pg_terminate_backend'],
  ])(
    'a commit whose standby wait is %s',
    async (_case, cut) => {
      const store = await PostgresEventStore.connect({ connectionString: PgTestServers.ledgerUrl(port), pollIntervalMs: 100 });
      const delivered: StoredEvent[] = [];
      const errors: Error[] = [];
      const subscription = store.subscribe({
        fromPosition: await store.headPosition(),
        handler: async (batch) => {
          delivered.push(...batch);
        },
        onError: (error) => errors.push(error),
      });
      const streamId = uniqueStreamId('cut');
      try {
        await store.append(streamId, 'no_stream', newEvents(1));
        await waitUntil(() => delivered.length === 1, 'the first event is delivered');

        await requireStandby('nobody');
        let settled = false;
        const appending = store.append(streamId, 0, newEvents(2)).finally(() => {
          settled = true;
        });
        const waiting = async () =>
          (
            await admin.query<{ pid: number }>(
              "SELECT pid FROM pg_stat_activity WHERE application_name = 'appraisal-ledger' AND wait_event = 'SyncRep'",
            )
          ).rows.map((row) => row.pid);
        await waitUntil(async () => (await waiting()).length > 0, 'the append waits for the standby');
        for (const pid of await waiting()) await admin.query(`SELECT ${cut}($1)`, [pid]);
        // Committed on the primary alone, and visible there to anyone who looks.
        await waitUntil(async () => (await storedOnPrimary(streamId)) === 3, 'the events are committed locally');

        let readBack: StoredEvent[] | undefined;
        void store.readStream(streamId).then((events) => {
          readBack = events;
        });
        await sleep(1_500);
        expect(settled).toBe(false);
        expect(readBack).toBeUndefined();
        expect(delivered.map((event) => event.streamRevision)).toEqual([0]);

        // A standby no longer required: what was committed is as durable as it will get; now it counts.
        await requireStandby('');
        expect((await appending).nextExpectedRevision).toBe(2);
        await waitUntil(() => delivered.length === 3 && readBack !== undefined, 'delivered and read once confirmed');
        expect(delivered.map((event) => event.streamRevision)).toEqual([0, 1, 2]);
        expect(readBack?.map((event) => event.streamRevision)).toEqual([0, 1, 2]);
        expect(await storedOnPrimary(streamId)).toBe(3);
        expect(errors).toEqual([]);
      } finally {
        await requireStandby('');
        await subscription.close();
        await store.close();
      }
    },
    60_000,
  );
});
