import {
  BACKWARDS,
  END,
  FORWARDS,
  MaxAppendSizeExceededError,
  NO_STREAM,
  StreamDeletedError,
  WrongExpectedVersionError,
  jsonEvent,
  type EventStoreDBClient,
  type ReadStreamOptions as EsdbReadStreamOptions,
} from '@eventstore/db-client';
import { CanonicalJsonError } from '../canonical-json';
import type { NewEvent, StoredEvent } from '../envelope';
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
import { validReadStreamOptions } from '../validation';
import { assertAppendable, chainAfter, meetsExpectation, resolveRetry, revisionOf, type StreamHead } from './append-plan';
import { trackChannels, type EsdbClient } from './esdb-client';
import { createClient, probe } from './esdb-connection';
import { StartCheckedFeed, isPermanentError, openAllFeed } from './esdb-feed';
import {
  CLAIM_STREAM_PREFIX,
  EsdbLayoutError,
  claimStreamOf,
  isSystemRecord,
  toClaim,
  toClaimData,
  toEventData,
  toStoredEvent,
} from './esdb-layout';
import {
  assertLedgerPosition,
  isTransientError,
  latestLedgerPosition,
  readLedgerEventsAfter,
  readStreamRecords,
  type ReadLimits,
} from './esdb-reads';
import { ResubscribingSubscription, type ResubscribeInfo } from './resubscribing-subscription';

export interface EsdbEventStoreOptions {
  /** esdb:// or esdb+discover:// (kurrentdb:// and kdb:// are accepted as the same). */
  connectionString: string;
  /** How long connect() waits for the server's first answer. Default 5,000 ms. */
  timeoutMs?: number;
  /** How long any read waits for the server's next answer before it is cancelled. Default 10,000 ms. */
  readTimeoutMs?: number;
  /** Told before each resubscription of a dropped subscription (to log it). */
  onResubscribe?: (info: ResubscribeInfo) => void;
}

/** An append refused because EventStoreDB holds the stream as deleted or truncated (the ledger never does either). */
export class EsdbStreamDeletedError extends Error {
  constructor(
    readonly streamId: string,
    message: string,
  ) {
    super(message);
    this.name = 'EsdbStreamDeletedError';
  }
}

/** A numeric or 'no_stream' expectation settles on the second look (the stream has moved on). */
const APPEND_ATTEMPTS = 5;
/** 'any' has no expectation to fail: it tries again, with a growing random pause, for this long. */
const ANY_CONTENTION_MS = 30_000;
/** An append whose outcome is unknown (deadline, lost connection) is looked for, and tried again, this often. */
const AMBIGUOUS_ATTEMPTS = 3;
/** Claims are written this many at a time. */
const CLAIM_CONCURRENCY = 32;

/**
 * The event-store port on EventStoreDB / KurrentDB 22.6+ (layout: esdb-layout.ts).
 *
 * append: reads the stream's last event on the leader, chains the new hashes onto it and appends
 * with that revision as ESDB's expected revision, so a concurrent writer makes the append fail
 * rather than fork the chain. A stream that reads as absent but whose metadata truncates it (a
 * soft delete) is refused: ESDB would number new events after the deleted ones.
 *
 * Event ids are unique across streams, as on the other adapters, though ESDB checks them only
 * within a stream: before its events, an append claims each id by writing one record to the id's
 * own stream (`ledger-event-id-<id>`, expected revision no_stream: ESDB's single-stream atomicity
 * makes the first claim win). A claim names the stream and the head the claimant saw, so every
 * record with that id sits after it: a retry (a claim for this stream already there) reads the
 * stream forward from there, and only from there. An id claimed for another stream is an
 * EventIdConflictError. A claim whose append then failed keeps its id for that stream.
 */
export class EsdbEventStore implements EventStore {
  private readonly subscriptions = new Set<ResubscribingSubscription>();
  private readonly limits: ReadLimits;
  private closed = false;

  static async connect(options: EsdbEventStoreOptions): Promise<EsdbEventStore> {
    const timeoutMs = options.timeoutMs ?? 5_000;
    if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) throw new TypeError(`timeoutMs must be > 0, got ${String(timeoutMs)}`);
    const { client } = createClient(options.connectionString);
    const closeChannels = trackChannels(client);
    try {
      await probe(client, options.connectionString, timeoutMs);
    } catch (error) {
      await closeChannels();
      throw error;
    }
    return EsdbEventStore.over(client, options, closeChannels);
  }

  /** The store over a client already made (tests use a scripted server); close() disposes it, then runs `closeChannels`. */
  static over(
    client: EsdbClient | EventStoreDBClient,
    options: Omit<EsdbEventStoreOptions, 'connectionString'>,
    closeChannels: () => Promise<void> = async () => undefined,
  ): EsdbEventStore {
    return new EsdbEventStore(client, options, closeChannels);
  }

  private constructor(
    private readonly client: EsdbClient,
    private readonly options: Omit<EsdbEventStoreOptions, 'connectionString'>,
    private readonly closeChannels: () => Promise<void>,
  ) {
    const timeoutMs = options.readTimeoutMs ?? 10_000;
    if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) throw new TypeError(`readTimeoutMs must be > 0, got ${String(timeoutMs)}`);
    this.limits = { timeoutMs };
  }

  async append(streamId: string, expected: ExpectedRevision, events: NewEvent[]): Promise<AppendResult> {
    this.assertOpen();
    assertAppendable(streamId, expected, events);
    if (streamId.startsWith(CLAIM_STREAM_PREFIX)) {
      throw new InvalidEventError(`stream ${streamId}: '${CLAIM_STREAM_PREFIX}' streams hold this adapter's event-id claims`);
    }
    try {
      return await this.appendValid(streamId, expected, events);
    } catch (error) {
      // data or metadata that has no faithful JSON form (NaN, a bigint, a cycle…): it is found
      // while hashing, before anything is written, so nothing was stored.
      if (error instanceof CanonicalJsonError) throw new InvalidEventError(`stream ${streamId}: ${error.message}`);
      throw error;
    }
  }

  private async appendValid(streamId: string, expected: ExpectedRevision, events: NewEvent[]): Promise<AppendResult> {
    // Hash before claiming: an unhashable batch must claim nothing.
    chainAfter(streamId, undefined, events);
    let head = await this.head(streamId);
    const claims = await this.claim(streamId, events, head);
    // Where these ids can sit in the stream, and whether they may be there at all.
    let mayBeStored = claims.earlier;
    const place = this.placeOfRetry(expected, claims.after, events.length);
    const started = Date.now();
    let contention = 0;
    let ambiguous = 0;
    for (let attempt = 1; ; attempt++) {
      if (mayBeStored) {
        const found = await this.findIds(streamId, events, place);
        if (found.size > 0) return resolveRetry(streamId, events, found);
      }
      if (!meetsExpectation(expected, revisionOf(head))) throw new WrongExpectedRevisionError(streamId, expected, revisionOf(head));
      try {
        return await this.write(streamId, head, events);
      } catch (error) {
        if (error instanceof WrongExpectedVersionError) {
          // Another writer got in between, perhaps this very batch retried concurrently.
          mayBeStored = true;
          if (expected === 'any') {
            if (Date.now() - started > ANY_CONTENTION_MS) {
              throw new Error(`stream ${streamId}: ${attempt} 'any' appends lost to concurrent writers within ${ANY_CONTENTION_MS} ms`, {
                cause: error,
              });
            }
            contention += 1;
            await pause(Math.random() * Math.min(200, 2 ** contention));
          } else if (attempt >= APPEND_ATTEMPTS) {
            const actual = error.actualVersion === NO_STREAM ? 'no_stream' : Number(error.actualVersion);
            throw new WrongExpectedRevisionError(streamId, expected, actual);
          }
        } else if (isTransientError(error) && ambiguous < AMBIGUOUS_ATTEMPTS) {
          // The append may have been stored: the server drops a duplicate that races its still
          // uncommitted original (IdempotentNotReady), and the client then hears a deadline.
          ambiguous += 1;
          mayBeStored = true;
        } else {
          throw error;
        }
        head = await this.head(streamId);
      }
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    const { asOf, toRevision, fromRevision } = validReadStreamOptions(options);
    // No ledger event lives in a system stream or a claim stream; never return what is there.
    if (streamId.startsWith('$') || streamId.startsWith(CLAIM_STREAM_PREFIX)) return [];
    if (toRevision !== undefined && toRevision < fromRevision) return [];
    const read: EsdbReadStreamOptions = { fromRevision: BigInt(fromRevision), direction: FORWARDS };
    if (toRevision !== undefined) read.maxCount = toRevision - fromRevision + 1;
    const events: StoredEvent[] = [];
    try {
      for await (const record of readStreamRecords(this.client, streamId, read, this.limits)) {
        if (isSystemRecord(record)) continue;
        const event = toStoredEvent(record);
        // Both are in toISOString() form, where string order is time order.
        if (asOf === undefined || event.metadata.occurredAt <= asOf) events.push(event);
      }
    } catch (error) {
      // A tombstoned (hard-deleted) stream has no events to read, as one that never existed.
      if (error instanceof StreamDeletedError) return [];
      throw error;
    }
    return events;
  }

  async readAll(options: ReadAllOptions): Promise<StoredEvent[]> {
    this.assertOpen();
    const { fromPosition, limit } = options;
    if (!(Number.isSafeInteger(fromPosition) && fromPosition >= 0)) {
      throw new InvalidEventError(`fromPosition must be an integer >= 0, got ${String(fromPosition)}`);
    }
    if (!(Number.isSafeInteger(limit) && limit > 0)) throw new InvalidEventError(`limit must be a positive integer, got ${String(limit)}`);
    return readLedgerEventsAfter(this.client, fromPosition, limit, this.limits);
  }

  /** The position of the latest ledger event in $all (0 when there is none). */
  async headPosition(): Promise<number> {
    this.assertOpen();
    return latestLedgerPosition(this.client, this.limits);
  }

  /**
   * Follows $all. The start position must be 0 or a ledger event's position in this store (a
   * checkpoint of another store is refused through onError, as a permanent error: retrying would
   * only repeat it).
   */
  subscribe(options: SubscribeOptions): Subscription {
    this.assertOpen();
    const batchSize = options.batchSize ?? 500;
    const source = {
      open: (fromPosition: number) =>
        new StartCheckedFeed(
          () => assertLedgerPosition(this.client, fromPosition, this.limits),
          () => openAllFeed(this.client, fromPosition, batchSize, { confirmTimeoutMs: this.limits.timeoutMs }),
        ),
      isPermanent: isPermanentError,
      onResubscribe: this.options.onResubscribe,
    };
    const subscription = new ResubscribingSubscription(source, options, (stopped) => this.subscriptions.delete(stopped));
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** Closes every subscription (waiting for in-flight handlers), then the client's calls and its gRPC channels. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    try {
      await this.client.dispose();
    } finally {
      await this.closeChannels();
    }
  }

  /**
   * The stream's last event as the leader has it, or undefined when the stream is new. A stream
   * ESDB holds as deleted or truncated is refused rather than taken for new: after a soft delete
   * ESDB numbers the next events after the deleted ones, so events hashed from revision 0 would
   * claim the wrong revisions.
   */
  private async head(streamId: string): Promise<StoredEvent | undefined> {
    try {
      for await (const record of readStreamRecords(
        this.client,
        streamId,
        { direction: BACKWARDS, fromRevision: END, maxCount: 1, requiresLeader: true },
        this.limits,
      )) {
        return toStoredEvent(record);
      }
    } catch (error) {
      if (error instanceof StreamDeletedError) {
        throw new EsdbStreamDeletedError(
          streamId,
          `stream ${streamId} was deleted (tombstoned) in EventStoreDB: nothing can be appended to it`,
        );
      }
      throw error;
    }
    const hiding = await this.hidingMetadata(streamId);
    if (hiding !== undefined) {
      throw new EsdbStreamDeletedError(
        streamId,
        `stream ${streamId} has no readable events but its EventStoreDB metadata has ${hiding}: it was deleted or truncated, ` +
          'and EventStoreDB would number new events after the old ones; refusing to append (the ledger never deletes)',
      );
    }
    return undefined;
  }

  /** The stream's metadata settings that hide events ($tb: truncate-before, set by a soft delete; $maxAge, $maxCount). */
  private async hidingMetadata(streamId: string): Promise<string | undefined> {
    for await (const record of readStreamRecords(
      this.client,
      `$$${streamId}`,
      { direction: BACKWARDS, fromRevision: END, maxCount: 1, requiresLeader: true },
      this.limits,
    )) {
      const data: unknown = record.isJson ? record.data : undefined;
      if (typeof data !== 'object' || data === null) return 'metadata that is not a JSON object';
      const settings = Object.keys(data).filter((key) => key === '$tb' || key === '$maxAge' || key === '$maxCount');
      return settings.length > 0
        ? settings.map((key) => `${key} ${JSON.stringify((data as Record<string, unknown>)[key])}`).join(', ')
        : undefined;
    }
    return undefined;
  }

  /**
   * Claims every id for `streamId`. `earlier`: some were claimed for it before (a retry, or a
   * failed attempt); `after`: the lowest head any claimant saw (every record with these ids sits after it).
   */
  private async claim(
    streamId: string,
    events: readonly NewEvent[],
    head: StreamHead | undefined,
  ): Promise<{ earlier: boolean; after: number }> {
    const seen = head === undefined ? -1 : head.streamRevision;
    const ids = events.map((event) => event.eventId);
    const claimOne = async (eventId: string): Promise<{ earlier: boolean; after: number }> => {
      try {
        await this.client.appendToStream(claimStreamOf(eventId), jsonEvent(toClaimData(streamId, seen)), { expectedRevision: NO_STREAM });
        return { earlier: false, after: seen };
      } catch (error) {
        // Already claimed, or perhaps claimed by this very call before a deadline: see whose it is.
        const claim = await this.readClaim(eventId);
        if (claim === undefined) throw error;
        if (claim.streamId !== streamId) {
          throw new EventIdConflictError(streamId, ids, `event ${eventId} is already stored in (or claimed for) stream ${claim.streamId}`);
        }
        return { earlier: true, after: claim.after };
      }
    };
    const results: { earlier: boolean; after: number }[] = [];
    for (let i = 0; i < ids.length; i += CLAIM_CONCURRENCY) {
      results.push(...(await Promise.all(ids.slice(i, i + CLAIM_CONCURRENCY).map(claimOne))));
    }
    return { earlier: results.some((r) => r.earlier), after: Math.min(...results.map((r) => r.after)) };
  }

  private async readClaim(eventId: string): Promise<{ streamId: string; after: number } | undefined> {
    for await (const record of readStreamRecords(
      this.client,
      claimStreamOf(eventId),
      { fromRevision: 0n, direction: FORWARDS, maxCount: 1, requiresLeader: true },
      this.limits,
    )) {
      return toClaim(record);
    }
    return undefined;
  }

  /**
   * Where an earlier append of these ids can be: right after the expected revision for a numeric
   * or 'no_stream' expectation (it was met once, so that is where it was written); for 'any',
   * anywhere after the head its claimant saw.
   */
  private placeOfRetry(expected: ExpectedRevision, after: number, count: number): { from: number; maxCount?: number } {
    if (expected === 'any') return { from: after + 1 };
    return { from: expected === 'no_stream' ? 0 : expected + 1, maxCount: count };
  }

  /** The stored events (on the leader) carrying the batch's ids, read forward from `place` only; stops once all are found. */
  private async findIds(
    streamId: string,
    events: readonly NewEvent[],
    place: { from: number; maxCount?: number },
  ): Promise<Map<string, StoredEvent>> {
    const ids = new Set(events.map((event) => event.eventId));
    const found = new Map<string, StoredEvent>();
    const read: EsdbReadStreamOptions = { fromRevision: BigInt(place.from), direction: FORWARDS, requiresLeader: true };
    if (place.maxCount !== undefined) read.maxCount = place.maxCount;
    try {
      for await (const record of readStreamRecords(this.client, streamId, read, this.limits)) {
        if (ids.has(record.id)) found.set(record.id, toStoredEvent(record));
        if (found.size === ids.size) break;
      }
    } catch (error) {
      if (error instanceof StreamDeletedError) return found;
      throw error;
    }
    return found;
  }

  private async write(streamId: string, head: StreamHead | undefined, events: readonly NewEvent[]): Promise<AppendResult> {
    const chained = chainAfter(streamId, head, events);
    const last = chained[chained.length - 1];
    const expectedRevision = head === undefined ? NO_STREAM : BigInt(head.streamRevision);
    try {
      const result = await this.client.appendToStream(streamId, chained.map(toEventData), { expectedRevision });
      if (Number(result.nextExpectedRevision) !== last.streamRevision) {
        throw new EsdbLayoutError(
          `stream ${streamId}: EventStoreDB stored the events up to revision ${result.nextExpectedRevision}, ` +
            `but they were hashed for revisions up to ${last.streamRevision} (was the stream deleted and recreated?)`,
        );
      }
    } catch (error) {
      if (error instanceof MaxAppendSizeExceededError) throw new InvalidEventError(`stream ${streamId}: ${error.message}`);
      if (error instanceof StreamDeletedError) {
        throw new EsdbStreamDeletedError(
          streamId,
          `stream ${streamId} was deleted (tombstoned) in EventStoreDB: nothing can be appended to it`,
        );
      }
      throw error;
    }
    // Read back (on the leader: a follower may not have the events yet) rather than trust the
    // append's position: it is what readStream and readAll will report. It also catches ESDB
    // answering a racing duplicate of these ids as an idempotent write.
    const stored = await this.eventAt(streamId, last.streamRevision);
    if (stored?.eventId !== last.eventId || stored.hash !== last.hash) {
      const ids = chained.map((event) => event.eventId);
      throw new EventIdConflictError(
        streamId,
        ids,
        `revision ${last.streamRevision} holds event ${stored?.eventId ?? 'none'} with hash ${stored?.hash ?? 'none'}, not this append`,
      );
    }
    return { nextExpectedRevision: last.streamRevision, position: stored.globalPosition };
  }

  private async eventAt(streamId: string, revision: number): Promise<StoredEvent | undefined> {
    for await (const record of readStreamRecords(
      this.client,
      streamId,
      { fromRevision: BigInt(revision), maxCount: 1, requiresLeader: true },
      this.limits,
    )) {
      return toStoredEvent(record);
    }
    return undefined;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the event store is closed');
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
