import { Client } from 'pg';
import { EventIdConflictError, InvalidEventError } from '../errors';
import { describeWithServer, newEvent, newEvents, uniqueStreamId } from '../testing';
import { openPostgresTestStore } from '../testing/postgres';
import { PostgresEventStore } from './pg-event-store';

describeWithServer('postgres', 'PostgresEventStore specifics', (connectionString) => {
  const adminUrl = process.env.POSTGRES_ADMIN_URL ?? '';
  let store: PostgresEventStore;
  let cleanup: () => Promise<void>;
  const clients: Client[] = [];
  const connect = async (url: string): Promise<Client> => {
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000, query_timeout: 10_000 });
    await client.connect();
    clients.push(client);
    return client;
  };
  beforeEach(async () => {
    ({ store, cleanup } = await openPostgresTestStore(connectionString));
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.end()));
    await cleanup();
  });

  describe('append-only, enforced by the database', () => {
    it('the ledger role may not UPDATE, DELETE or TRUNCATE (privileges), nor upsert', async () => {
      const streamId = uniqueStreamId();
      await store.append(streamId, 'no_stream', newEvents(2));
      const before = await store.readStream(streamId);
      const ledger = await connect(connectionString);
      await expect(ledger.query("UPDATE ledger.events SET type = 'X' WHERE stream_id = $1", [streamId])).rejects.toMatchObject({
        code: '42501',
        message: expect.stringMatching(/permission denied/),
      });
      await expect(ledger.query('DELETE FROM ledger.events WHERE stream_id = $1', [streamId])).rejects.toMatchObject({ code: '42501' });
      await expect(ledger.query('TRUNCATE ledger.events')).rejects.toMatchObject({ code: '42501' });
      await expect(
        ledger.query(
          `INSERT INTO ledger.events SELECT * FROM ledger.events WHERE stream_id = $1
           ON CONFLICT (event_id) DO UPDATE SET type = 'X'`,
          [streamId],
        ),
      ).rejects.toMatchObject({ code: '42501' });
      expect(await store.readStream(streamId)).toEqual(before);
    });

    it('even the owner (a superuser) is refused UPDATE, DELETE and TRUNCATE by the triggers', async () => {
      const streamId = uniqueStreamId();
      await store.append(streamId, 'no_stream', newEvents(2));
      const before = await store.readStream(streamId);
      const admin = await connect(adminUrl);
      await expect(admin.query("UPDATE ledger.events SET type = 'X' WHERE stream_id = $1", [streamId])).rejects.toThrow(
        /append-only: UPDATE refused/,
      );
      await expect(admin.query('DELETE FROM ledger.events WHERE stream_id = $1', [streamId])).rejects.toThrow(
        /append-only: DELETE refused/,
      );
      await expect(admin.query('TRUNCATE ledger.events')).rejects.toThrow(/append-only: TRUNCATE refused/);
      expect(await store.readStream(streamId)).toEqual(before);
    });

    it('an insert by hand gets its position from the trigger, not the one it names', async () => {
      const head = await store.headPosition();
      const ledger = await connect(connectionString);
      const event = newEvent();
      const { rows } = await ledger.query<{ global_position: string }>(
        `INSERT INTO ledger.events (global_position, event_id, stream_id, stream_revision, type, schema_version, data, metadata, occurred_at, prev_hash, hash)
         VALUES (-5, $1, $2, 0, 'T', 1, '{}', $3, $4, $5, $5) RETURNING global_position`,
        [event.eventId, uniqueStreamId(), JSON.stringify(event.metadata), event.metadata.occurredAt, '0'.repeat(64)],
      );
      expect(Number(rows[0].global_position)).toBeGreaterThan(head);
    });
  });

  describe('connect refuses what would make append-only a promise', () => {
    it('a role that may change events (the owner)', async () => {
      await expect(PostgresEventStore.connect({ connectionString: adminUrl })).rejects.toThrow(
        /role ledger_admin (owns it|may UPDATE, DELETE, TRUNCATE it) \(ledger.events\): the ledger must connect as a role that may only SELECT and INSERT/,
      );
    });

    it('a schema that is not installed', async () => {
      await expect(PostgresEventStore.connect({ connectionString, schema: 'ledger_not_installed' })).rejects.toThrow(
        /the event-store schema "ledger_not_installed" is not installed/,
      );
    });

    it('an address where nothing answers, naming it without its password', async () => {
      const error: unknown = await PostgresEventStore.connect({
        connectionString: 'postgres://ledger:secret@127.0.0.1:1,127.0.0.1:2/ledger',
        connectTimeoutMs: 2_000,
      }).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ name: 'PostgresUnavailableError' });
      expect(String(error)).toMatch(
        /no PostgreSQL primary among 2 address\(es\): postgres:\/\/ledger:\*\*\*@127.0.0.1:1\/ledger: .*127.0.0.1:2/,
      );
      expect(String(error)).not.toContain('secret');
    });
  });

  it('refuses an event id already stored in another stream, as SQLite does, and stores nothing', async () => {
    const [first, second] = [uniqueStreamId(), uniqueStreamId()];
    const events = newEvents(1);
    await store.append(first, 'no_stream', events);
    await expect(store.append(second, 'no_stream', events)).rejects.toBeInstanceOf(EventIdConflictError);
    await expect(store.append(second, 'no_stream', [newEvent(), ...events])).rejects.toThrow(/only some of them are stored/);
    expect(await store.readStream(second)).toEqual([]);
  });

  it('refuses a retry with other content, and data that has no canonical JSON form', async () => {
    const streamId = uniqueStreamId();
    const [event] = newEvents(1);
    await store.append(streamId, 'no_stream', [event]);
    await expect(store.append(streamId, 'any', [{ ...event, data: { n: 99 } }])).rejects.toThrow(/stored with other content/);
    await expect(store.append(streamId, 'any', [newEvent({ data: { bad: Number.NaN } })])).rejects.toBeInstanceOf(InvalidEventError);
    expect(await store.readStream(streamId)).toHaveLength(1);
  });

  it("serialises concurrent 'any' appends to one stream: none fails, the chain verifies", async () => {
    const streamId = uniqueStreamId();
    const results = await Promise.all(Array.from({ length: 12 }, () => store.append(streamId, 'any', newEvents(2))));
    expect(results.map((r) => r.nextExpectedRevision).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => 2 * i + 1));
    const { verifyEvents } = await import('../verify');
    expect(verifyEvents(await store.readStream(streamId)).ok).toBe(true);
  });
});
