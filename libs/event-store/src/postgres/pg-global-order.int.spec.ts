import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { StoredEvent } from '../envelope';
import { describeWithServer, newEvents, sleep, uniqueStreamId, waitUntil } from '../testing';
import { installTestSchema, openPostgresTestStore } from '../testing/postgres';
import type { PostgresEventStore } from './pg-event-store';

const SCHEMA = 'ledger_order_test';

/**
 * The global-order guarantee: a follower that reads "after the last position it saw" never
 * skips an event whose transaction commits after one with a higher position. The slow writers
 * here are raw transactions of the ledger's role that hold their insert open, as a slow
 * network or a long commit would; the table's own trigger orders them, not this adapter.
 */
describeWithServer('postgres', 'PostgreSQL global order', (connectionString) => {
  const adminUrl = process.env.POSTGRES_ADMIN_URL ?? '';
  let store: PostgresEventStore;
  let cleanup: () => Promise<void>;
  const clients: Client[] = [];
  const connect = async (url: string): Promise<Client> => {
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000, query_timeout: 20_000 });
    await client.connect();
    clients.push(client);
    return client;
  };
  beforeAll(async () => {
    await installTestSchema(connectionString, SCHEMA);
    ({ store, cleanup } = await openPostgresTestStore(connectionString, { schema: SCHEMA, pollIntervalMs: 50 }));
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
    await cleanup();
  });

  /** A row as the ledger's role could insert it by hand; followers do not verify hashes, so a placeholder one serves. */
  const insertRow = (client: Client, table: string, streamId: string, revision: number) =>
    client.query<{ position: string }>(
      `INSERT INTO ${table} (event_id, stream_id, stream_revision, type, schema_version, data, metadata, occurred_at, prev_hash, hash)
       VALUES ($1, $2, $3, 'TestEventRecorded', 1, '{}', $4, '2026-01-05T03:00:00.000Z', $5, $5) RETURNING global_position AS position`,
      [
        randomUUID(),
        streamId,
        revision,
        JSON.stringify({ actorId: 'a', actorRole: 'r', occurredAt: '2026-01-05T03:00:00.000Z', correlationId: 'c', causationId: 'c' }),
        '0'.repeat(64),
      ],
    );

  /** Reads "after the last position seen" every few ms, as a follower with a checkpoint does. */
  function poller(read: (after: number) => Promise<{ position: number; streamId: string }[]>, streams: Set<string>) {
    const seen: number[] = [];
    let after = 0;
    let running = true;
    const done = (async () => {
      while (running) {
        const rows = await read(after);
        for (const row of rows) if (streams.has(row.streamId)) seen.push(row.position);
        if (rows.length > 0) after = rows[rows.length - 1].position;
        await sleep(3);
      }
    })();
    return {
      seen,
      stop: async () => {
        running = false;
        await done;
      },
    };
  }

  it('a follower of a table with a plain sequence (the control) misses the slow transaction: the test can fail', async () => {
    const admin = await connect(adminUrl);
    const table = `public.naive_order_${randomUUID().replaceAll('-', '')}`;
    await admin.query(`CREATE TABLE ${table} (global_position bigserial PRIMARY KEY, event_id uuid, stream_id text, stream_revision bigint,
      type text, schema_version int, data json, metadata json, occurred_at text, prev_hash text, hash text)`);
    try {
      const [slow, fast, reader] = [await connect(adminUrl), await connect(adminUrl), await connect(adminUrl)];
      const streamId = uniqueStreamId();
      const follower = poller(
        async (after) => {
          const { rows } = await reader.query<{ position: string; stream_id: string }>(
            `SELECT global_position AS position, stream_id FROM ${table} WHERE global_position > $1 ORDER BY global_position`,
            [after],
          );
          return rows.map((row) => ({ position: Number(row.position), streamId: row.stream_id }));
        },
        new Set([streamId]),
      );
      await slow.query('BEGIN');
      const late = Number((await insertRow(slow, table, streamId, 0)).rows[0].position);
      const early = Number((await insertRow(fast, table, streamId, 1)).rows[0].position);
      await waitUntil(() => follower.seen.includes(early), 'the follower sees the fast commit');
      await slow.query('COMMIT');
      await sleep(100);
      await follower.stop();
      expect(late).toBeLessThan(early);
      expect(follower.seen).toEqual([early]);
    } finally {
      await admin.query(`DROP TABLE ${table}`);
    }
  });

  it('the ledger table makes a later writer wait for the slow one: the follower sees both, in order', async () => {
    const slow = await connect(connectionString);
    const streamId = uniqueStreamId('slow');
    const fastStream = uniqueStreamId('fast');
    const streams = new Set([streamId, fastStream]);
    const follower = poller(async (after) => (await store.readAll({ fromPosition: after, limit: 1_000 })).map(toSeen), streams);
    await slow.query('BEGIN');
    const late = Number((await insertRow(slow, `${SCHEMA}.events`, streamId, 0)).rows[0].position);
    let fastDone = false;
    const fast = store.append(fastStream, 'no_stream', newEvents(1)).then((result) => {
      fastDone = true;
      return result;
    });
    await sleep(300);
    expect(fastDone).toBe(false);
    expect(follower.seen).toEqual([]);
    await slow.query('COMMIT');
    const early = (await fast).position;
    await waitUntil(() => follower.seen.length === 2, 'the follower sees both');
    await follower.stop();
    expect(early).toBeGreaterThan(late);
    expect(follower.seen).toEqual([late, early]);
  });

  it('under interleaved slow and fast transactions (some rolled back) no follower misses or repeats a committed event', async () => {
    const streams = new Set<string>();
    const committed: number[] = [];
    const followers = [0, 1].map(() =>
      poller(async (after) => (await store.readAll({ fromPosition: after, limit: 50 })).map(toSeen), streams),
    );
    const subscribed: StoredEvent[] = [];
    const errors: Error[] = [];
    const subscription = store.subscribe({
      fromPosition: await store.headPosition(),
      batchSize: 7,
      onError: (error) => errors.push(error),
      handler: async (batch) => {
        subscribed.push(...batch.filter((e) => streams.has(e.streamId)));
      },
    });
    const random = (max: number) => Math.floor(Math.random() * max);
    const writer = async (index: number) => {
      const client = await connect(connectionString);
      for (let round = 0; round < 12; round++) {
        const streamId = uniqueStreamId(`w${index}`);
        streams.add(streamId);
        if (index % 3 === 0) {
          // The adapter's own appends, between the raw ones.
          const result = await store.append(streamId, 'no_stream', newEvents(1 + random(3)));
          const events = await store.readStream(streamId);
          committed.push(...events.map((e) => e.globalPosition));
          expect(result.position).toBe(events[events.length - 1].globalPosition);
          continue;
        }
        await client.query('BEGIN');
        await client.query('SELECT pg_sleep($1)', [random(15) / 1000]);
        const positions: number[] = [];
        for (let revision = 0; revision <= random(3); revision++) {
          positions.push(Number((await insertRow(client, `${SCHEMA}.events`, streamId, revision)).rows[0].position));
        }
        await client.query('SELECT pg_sleep($1)', [random(25) / 1000]);
        if (random(5) === 0) {
          await client.query('ROLLBACK');
        } else {
          await client.query('COMMIT');
          committed.push(...positions);
        }
      }
    };
    await Promise.all([0, 1, 2, 3, 4, 5].map(writer));
    const expected = [...committed].sort((a, b) => a - b);
    await waitUntil(
      () => followers.every((f) => f.seen.length >= expected.length) && subscribed.length >= expected.length,
      'every follower has caught up',
      10_000,
    );
    await sleep(200);
    await Promise.all(followers.map((f) => f.stop()));
    await subscription.close();
    for (const follower of followers) expect(follower.seen).toEqual(expected);
    expect(subscribed.map((e) => e.globalPosition)).toEqual(expected);
    expect(errors).toEqual([]);
    expect(expected.length).toBeGreaterThan(50);
  }, 60_000);
});

function toSeen(event: StoredEvent): { position: number; streamId: string } {
  return { position: event.globalPosition, streamId: event.streamId };
}
