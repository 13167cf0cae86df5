import { Pool, type ClientConfig, type PoolClient } from 'pg';
import { hashEvent, toHashedFields } from '../chain';
import { CanonicalJsonError, canonicalJson } from '../canonical-json';
import { GENESIS_HASH, type NewEvent, type StoredEvent } from '../envelope';
import { EventIdConflictError, InvalidEventError } from '../errors';
import {
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type SubscribeOptions,
  type Subscription,
} from '../port';
import { assertValidAppend, validReadStreamOptions } from '../validation';
import { PostgresUnavailableError, findPrimary, isConnectionLoss, splitPostgresHosts } from './pg-connection';
import { EVENT_COLUMNS, safeInteger, toStoredEvents, type EventRow } from './pg-rows';
import { assertIdentifier, checkSchema, notifyChannel } from './pg-schema';
import { PollingSubscription } from '../sqlite/polling-subscription';
import { DURABILITY_MARK_SQL, NotReplicatedError, commitReplicated, readReplicated } from './pg-durability';
import { NotifyListener } from './pg-subscription';

export interface PostgresEventStoreOptions {
  /** postgres://user:pass@host:port/db; several servers as libpq's h1:p1,h2:p2 or a comma-separated list of URLs. */
  connectionString: string;
  /** Where the tables live (installSchema creates it). Default "ledger". */
  schema?: string;
  /** How long an operation keeps looking for a primary after losing its server (a failover). Default 30,000 ms. */
  failoverTimeoutMs?: number;
  /** Per connection attempt. Default 5,000 ms. */
  connectTimeoutMs?: number;
  /** Per statement, on the server (statement_timeout) and in the client (a server that stopped answering). Default 30,000 ms. */
  queryTimeoutMs?: number;
  /** Subscriptions read at least this often even without a NOTIFY. Default 1,000 ms. */
  pollIntervalMs?: number;
  /** Connections in the pool. Default 10. */
  poolSize?: number;
  /** Told when the store lost its server and looks for the primary again (to log it). */
  onReconnect?: (info: { error: Error; what: string }) => void;
}

/** Two appends that raced past each other on a unique key: the loser looks again this many times. */
const UNIQUE_RACE_ATTEMPTS = 3;

type IdRow = Pick<EventRow, 'event_id' | 'stream_id' | 'stream_revision' | 'global_position' | 'prev_hash' | 'hash'>;

/**
 * The event-store port on PostgreSQL 15+ (schema: pg-schema.ts).
 *
 * append: one transaction under a per-stream advisory lock (appends to one stream queue, so a
 * numeric or 'no_stream' expectation is decided on the committed head and 'any' never fails);
 * the (stream_id, stream_revision) and event_id unique keys stay the last word against any other
 * writer. Positions come from the insert trigger in commit order (see pg-schema.ts), so followers
 * reading "after N" never skip an event that commits late.
 * Failover: every operation that loses its server looks for the primary among the given
 * addresses and runs again, for up to failoverTimeoutMs; an append may, because a retry by event
 * id returns the original result when the lost attempt had in fact committed.
 * Synchronous replication (pg-durability.ts): an append is acknowledged, and an event read or
 * delivered, only once a synchronous standby has it, never on the strength of a local commit whose
 * wait for the standby was cut short, which a failover would lose.
 */
export class PostgresEventStore implements EventStore {
  private readonly subscriptions = new Set<PollingSubscription>();
  private listener: NotifyListener | undefined;
  private current: { pool: Pool; config: ClientConfig } | undefined;
  private connecting: Promise<{ pool: Pool; config: ClientConfig }> | undefined;
  private closed = false;
  private readonly addresses: string[];
  private readonly schema: string;
  private readonly settings: Required<Omit<PostgresEventStoreOptions, 'onReconnect' | 'connectionString' | 'schema'>>;

  /** Connects to the primary and checks the schema and the role's rights; fails at once (no failover wait) if it cannot. */
  static async connect(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const store = new PostgresEventStore(options);
    try {
      await store.pool();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  private constructor(private readonly options: PostgresEventStoreOptions) {
    this.addresses = splitPostgresHosts(options.connectionString);
    this.schema = options.schema ?? 'ledger';
    assertIdentifier('schema', this.schema);
    this.settings = {
      failoverTimeoutMs: positive('failoverTimeoutMs', options.failoverTimeoutMs ?? 30_000),
      connectTimeoutMs: positive('connectTimeoutMs', options.connectTimeoutMs ?? 5_000),
      queryTimeoutMs: positive('queryTimeoutMs', options.queryTimeoutMs ?? 30_000),
      pollIntervalMs: positive('pollIntervalMs', options.pollIntervalMs ?? 1_000),
      poolSize: positive('poolSize', options.poolSize ?? 10),
    };
  }

  async append(streamId: string, expected: ExpectedRevision, events: NewEvent[]): Promise<AppendResult> {
    this.assertOpen();
    assertValidAppend(streamId, expected, events);
    try {
      return await this.withFailover(`append to ${streamId}`, (pool) => this.appendOnce(pool, expected, { streamId, events }));
    } catch (error) {
      // data or metadata that has no faithful JSON form (NaN, a bigint, a cycle…): found while hashing, before the insert.
      if (error instanceof CanonicalJsonError) throw new InvalidEventError(`stream ${streamId}: ${error.message}`);
      throw error;
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    const { asOf, toRevision, fromRevision } = validReadStreamOptions(options);
    const sql = `SELECT ${EVENT_COLUMNS} FROM ${this.schema}.events
      WHERE stream_id = $1 AND stream_revision >= $2
        AND ($3::bigint IS NULL OR stream_revision <= $3::bigint)
        AND ($4::text IS NULL OR occurred_at <= $4::text)
      ORDER BY stream_revision`;
    const params = [streamId, fromRevision, toRevision ?? null, asOf ?? null];
    return this.withFailover(`read ${streamId}`, (pool) =>
      this.readOn(pool, async (client) => toStoredEvents((await client.query<EventRow>(sql, params)).rows)),
    );
  }

  async readAll(options: ReadAllOptions): Promise<StoredEvent[]> {
    this.assertOpen();
    const { fromPosition, limit } = options;
    // Any integer, as on SQLite: 0 is "from the start", every stored row whatever its position.
    if (!Number.isSafeInteger(fromPosition)) throw new InvalidEventError(`fromPosition must be an integer, got ${String(fromPosition)}`);
    if (!(Number.isSafeInteger(limit) && limit > 0)) throw new InvalidEventError(`limit must be a positive integer, got ${String(limit)}`);
    return this.withFailover('read all', (pool) => this.readRows(pool, fromPosition === 0 ? 'start' : fromPosition, limit));
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    return this.withFailover('read the head position', (pool) =>
      this.readOn(pool, async (client) => {
        const { rows } = await client.query<{ position: string | null }>(
          `SELECT max(global_position) AS position FROM ${this.schema}.events`,
        );
        return rows[0].position === null ? 0 : safeInteger(rows[0].position);
      }),
    );
  }

  subscribe(options: SubscribeOptions): Subscription {
    this.assertOpen();
    const subscription = new PollingSubscription(
      {
        read: (from, limit) => this.withFailover('follow', (pool) => this.readRows(pool, from, limit)),
        // withFailover already waited failoverTimeoutMs; a follower keeps waiting for its server after that.
        isTransient: (error) => !this.closed && (error instanceof PostgresUnavailableError || isConnectionLoss(error)),
        pollIntervalMs: this.settings.pollIntervalMs,
        onRetry: (error) => this.options.onReconnect?.({ error, what: 'follow' }),
      },
      options,
      (stopped) => this.subscriptions.delete(stopped),
    );
    this.subscriptions.add(subscription);
    this.listener ??= new NotifyListener(
      notifyChannel(this.schema),
      async () => (await this.primary()).config,
      () => {
        for (const s of this.subscriptions) s.wake();
      },
      (error) => this.options.onReconnect?.({ error, what: 'listen' }),
    );
    return subscription;
  }

  /** Closes every subscription (waiting for in-flight handlers), the listener, then the pool. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await this.listener?.stop();
    const current = this.current ?? (await this.connecting?.catch(() => undefined));
    this.current = undefined;
    await current?.pool.end().catch(() => undefined);
  }

  private async appendOnce(pool: Pool, expected: ExpectedRevision, rows: InsertRows): Promise<AppendResult> {
    return withClient(pool, async (client) => {
      for (let attempt = 1; ; attempt++) {
        await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
        try {
          const result = await this.appendInTransaction(client, expected, rows);
          await commitReplicated(client);
          return result;
        } catch (error) {
          if (isConnectionLoss(error)) throw error;
          // After a NotReplicatedError there is no transaction left: ROLLBACK only warns.
          await client.query('ROLLBACK');
          // A writer that does not take the stream lock, or the same ids sent to another stream at once: look again.
          if ((error as { code?: unknown }).code === '23505' && attempt < UNIQUE_RACE_ATTEMPTS) continue;
          throw error;
        }
      }
    });
  }

  /** A read in a transaction whose commit waits for the synchronous standbys (pg-durability.ts). */
  private readOn<T>(pool: Pool, read: (client: PoolClient) => Promise<T>): Promise<T> {
    return withClient(pool, (client) => readReplicated(client, () => read(client)));
  }

  private async appendInTransaction(client: PoolClient, expected: ExpectedRevision, rows: InsertRows): Promise<AppendResult> {
    const { streamId, events } = rows;
    const s = this.schema;
    // READ COMMITTED: each statement below sees what the previous holder of this lock committed.
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [streamId]);
    const ids = events.map((event) => event.eventId);
    const stored = await client.query<IdRow>(
      `SELECT event_id, stream_id, stream_revision, global_position, prev_hash, hash FROM ${s}.events WHERE event_id = ANY($1::uuid[])`,
      [ids],
    );
    if (stored.rows.length > 0) {
      const original = resolveRetry(streamId, events, stored.rows);
      // The lost attempt may be committed here only: the retry is acknowledged once a standby has it too.
      await client.query(DURABILITY_MARK_SQL);
      return original;
    }

    const head = await client.query<{ stream_revision: string; hash: string }>(
      `SELECT stream_revision, hash FROM ${s}.events WHERE stream_id = $1 ORDER BY stream_revision DESC LIMIT 1`,
      [streamId],
    );
    const actual = head.rows.length === 0 ? 'no_stream' : safeInteger(head.rows[0].stream_revision);
    if ((expected === 'no_stream' && actual !== 'no_stream') || (typeof expected === 'number' && expected !== actual)) {
      throw new WrongExpectedRevisionError(streamId, expected, actual);
    }
    let streamRevision = actual === 'no_stream' ? 0 : actual + 1;
    let prevHash = head.rows.length === 0 ? GENESIS_HASH : head.rows[0].hash;
    const columns: unknown[][] = [[], [], [], [], [], [], [], [], [], []];
    for (const event of events) {
      const hash = hashEvent(toHashedFields({ ...event, streamId, streamRevision, prevHash }));
      const values = [
        event.eventId,
        streamId,
        streamRevision,
        event.type,
        event.schemaVersion,
        canonicalJson(event.data),
        canonicalJson(event.metadata),
        event.metadata.occurredAt,
        prevHash,
        hash,
      ];
      values.forEach((value, i) => columns[i].push(value));
      prevHash = hash;
      streamRevision += 1;
    }
    // One statement whatever the batch size; rows go in revision order, so the trigger hands out positions in that order.
    const inserted = await client.query<{ global_position: string }>(
      `INSERT INTO ${s}.events (event_id, stream_id, stream_revision, type, schema_version, data, metadata, occurred_at, prev_hash, hash)
       SELECT e, st, r, t, v, d, m, o, p, h
         FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::text[], $5::integer[], $6::json[], $7::json[], $8::text[], $9::text[], $10::text[])
              WITH ORDINALITY AS u(e, st, r, t, v, d, m, o, p, h, n)
        ORDER BY n
       RETURNING global_position`,
      columns,
    );
    const positions = inserted.rows.map((row) => safeInteger(row.global_position));
    return { nextExpectedRevision: streamRevision - 1, position: Math.max(...positions) };
  }

  private async readRows(pool: Pool, fromPosition: number | 'start', limit: number): Promise<StoredEvent[]> {
    const s = this.schema;
    return this.readOn(pool, async (client) => {
      const { rows } =
        fromPosition === 'start'
          ? await client.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM ${s}.events ORDER BY global_position LIMIT $1`, [limit])
          : await client.query<EventRow>(
              `SELECT ${EVENT_COLUMNS} FROM ${s}.events WHERE global_position > $1 ORDER BY global_position LIMIT $2`,
              [fromPosition, limit],
            );
      return toStoredEvents(rows);
    });
  }

  /**
   * Runs `operation` on the primary's pool; when the server is lost, finds the primary again
   * (perhaps another address) and runs it again, until failoverTimeoutMs has passed.
   */
  private async withFailover<T>(what: string, operation: (pool: Pool) => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.settings.failoverTimeoutMs;
    for (let attempt = 1; ; attempt++) {
      let pool: Pool | undefined;
      try {
        pool = await this.pool();
        return await operation(pool);
      } catch (error) {
        const notReplicated = error instanceof NotReplicatedError;
        if (!(notReplicated || error instanceof PostgresUnavailableError || isConnectionLoss(error))) throw error;
        // Not replicated: the server is there, the standby is late; ask again on the same pool.
        if (pool !== undefined && !notReplicated) this.forget(pool);
        if (this.closed) throw new Error('the event store is closed', { cause: error });
        if (Date.now() >= deadline) {
          const message = error instanceof Error ? error.message : String(error);
          throw new PostgresUnavailableError(
            `${what}: no PostgreSQL primary answered within ${this.settings.failoverTimeoutMs} ms (${message})`,
            {
              cause: error,
            },
          );
        }
        if (attempt === 1) this.options.onReconnect?.({ error: error instanceof Error ? error : new Error(String(error)), what });
        await new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** attempt, 1_000)));
      }
    }
  }

  private async pool(): Promise<Pool> {
    return (await this.primary()).pool;
  }

  /** The primary's pool and address, connecting (and checking the schema) when there is none. */
  private async primary(): Promise<{ pool: Pool; config: ClientConfig }> {
    if (this.current !== undefined) return this.current;
    this.connecting ??= this.connectPrimary().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async connectPrimary(): Promise<{ pool: Pool; config: ClientConfig }> {
    const { connectTimeoutMs, queryTimeoutMs, poolSize } = this.settings;
    const { config } = await findPrimary(this.addresses, {
      connectionTimeoutMillis: connectTimeoutMs,
      keepAlive: true,
      application_name: 'appraisal-ledger',
    });
    const pool = new Pool({ ...config, max: poolSize, statement_timeout: queryTimeoutMs, query_timeout: queryTimeoutMs + 1_000 });
    // An idle connection that dies (the server went away) must not crash the process; the next query finds out.
    pool.on('error', () => undefined);
    try {
      const client = await pool.connect();
      try {
        await checkSchema(client, this.schema);
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await pool.end().catch(() => undefined);
      throw new Error('the event store is closed');
    }
    this.current = { pool, config };
    return this.current;
  }

  private forget(pool: Pool): void {
    if (this.current?.pool !== pool) return;
    this.current = undefined;
    void pool.end().catch(() => undefined);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the event store is closed');
  }
}

/** `work` on a client of `pool`; a client whose connection was lost is destroyed, not returned to the pool. */
async function withClient<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let lost: Error | undefined;
  // A connection that dies between two statements is reported by the next one; unheard, its 'error' would crash the process.
  const ignore = (): void => undefined;
  client.on('error', ignore);
  try {
    return await work(client);
  } catch (error) {
    if (isConnectionLoss(error)) lost = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    client.off('error', ignore);
    client.release(lost);
  }
}

interface InsertRows {
  streamId: string;
  events: readonly NewEvent[];
}

/**
 * Some ids are already stored. Only an exact retry is accepted, exactly as on SQLite: every id
 * stored, in this stream, as a contiguous run in the same order, with the same content (the hash
 * recomputed at its stored place matches). It returns what the original append returned and
 * stores nothing; anything else is an EventIdConflictError.
 */
function resolveRetry(streamId: string, events: readonly NewEvent[], stored: readonly IdRow[]): AppendResult {
  const ids = events.map((event) => event.eventId);
  const conflict = (reason: string) => new EventIdConflictError(streamId, ids, reason);
  const byId = new Map(stored.map((row) => [row.event_id, row]));
  const rows = ids.map((id) => byId.get(id));
  const found: IdRow[] = [];
  for (const row of rows) {
    if (row === undefined) throw conflict('only some of them are stored');
    if (row.stream_id !== streamId) throw conflict(`event ${row.event_id} is stored in stream ${row.stream_id}`);
    found.push(row);
  }
  const first = safeInteger(found[0].stream_revision);
  found.forEach((row, i) => {
    const streamRevision = safeInteger(row.stream_revision);
    if (streamRevision !== first + i) throw conflict('they are stored in another order or not contiguously');
    const hash = hashEvent(toHashedFields({ ...events[i], streamId, streamRevision, prevHash: row.prev_hash }));
    if (hash !== row.hash) throw conflict(`event ${row.event_id} is stored with other content`);
  });
  const last = found[found.length - 1];
  return { nextExpectedRevision: safeInteger(last.stream_revision), position: safeInteger(last.global_position) };
}

function positive(name: string, value: number): number {
  if (!(Number.isSafeInteger(value) && value > 0)) throw new TypeError(`${name} must be a positive integer, got ${String(value)}`);
  return value;
}
