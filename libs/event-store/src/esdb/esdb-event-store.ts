import {
  BACKWARDS,
  END,
  FORWARDS,
  MaxAppendSizeExceededError,
  NO_STREAM,
  WrongExpectedVersionError,
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
import { isIsoInstant } from '../validation';
import { assertAppendable, chainAfter, meetsExpectation, resolveRetry, revisionOf, type StreamHead } from './append-plan';
import { createClient, probe } from './esdb-connection';
import { isPermanentError, openAllFeed } from './esdb-feed';
import { EsdbLayoutError, isSystemRecord, toEventData, toStoredEvent } from './esdb-layout';
import { latestLedgerPosition, readLedgerEventsAfter, readStreamRecords } from './esdb-reads';
import { ResubscribingSubscription, type ResubscribeInfo } from './resubscribing-subscription';

export interface EsdbEventStoreOptions {
  /** esdb:// or esdb+discover:// (kurrentdb:// and kdb:// are accepted as the same). */
  connectionString: string;
  /** How long connect() waits for the server's first answer. Default 5,000 ms. */
  timeoutMs?: number;
  /** Told before each resubscription of a dropped subscription (to log it). */
  onResubscribe?: (info: ResubscribeInfo) => void;
}

/**
 * How often an append reads the head again after another writer got in between. A numeric or
 * 'no_stream' expectation settles on the second look (the stream has moved on); 'any' tries again.
 */
const APPEND_ATTEMPTS = 5;

/**
 * The event-store port on EventStoreDB / KurrentDB 22.6+ (layout: esdb-layout.ts).
 *
 * append: reads the stream's last event, chains the new hashes onto it and appends with that
 * revision as ESDB's expected revision, so a concurrent writer makes the append fail rather than
 * fork the chain. Idempotent retries are checked by this adapter, not left to ESDB's in-memory
 * idempotency window: when the expectation fails, and on every 'any' append, the stream is read for
 * the batch's ids. Consequences: 'any' appends cost a read of the whole stream; an id reused in
 * another stream is not detected (ESDB has no index by event id).
 */
export class EsdbEventStore implements EventStore {
  private readonly subscriptions = new Set<ResubscribingSubscription>();
  private closed = false;

  static async connect(options: EsdbEventStoreOptions): Promise<EsdbEventStore> {
    const timeoutMs = options.timeoutMs ?? 5_000;
    if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) throw new TypeError(`timeoutMs must be > 0, got ${String(timeoutMs)}`);
    const { client } = createClient(options.connectionString);
    await probe(client, options.connectionString, timeoutMs);
    return new EsdbEventStore(client, options);
  }

  private constructor(
    private readonly client: EventStoreDBClient,
    private readonly options: EsdbEventStoreOptions,
  ) {}

  async append(streamId: string, expected: ExpectedRevision, events: NewEvent[]): Promise<AppendResult> {
    this.assertOpen();
    assertAppendable(streamId, expected, events);
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
    const ids = new Set(events.map((event) => event.eventId));
    for (let attempt = 1; ; attempt++) {
      // 'any' has no expectation to fail, so a retry could hide anywhere: look for the ids at once.
      const look = expected === 'any' ? await this.scan(streamId, ids) : { head: await this.head(streamId), found: new Map() };
      if (look.found.size > 0) return resolveRetry(streamId, events, look.found);
      if (!meetsExpectation(expected, revisionOf(look.head))) {
        // An exact retry always lands here: its expectation was met once, so the stream has moved on.
        const scanned = await this.scan(streamId, ids);
        if (scanned.found.size > 0) return resolveRetry(streamId, events, scanned.found);
        throw new WrongExpectedRevisionError(streamId, expected, revisionOf(scanned.head));
      }
      try {
        return await this.write(streamId, look.head, events);
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        // Another writer (perhaps this very batch, retried concurrently) got in between: look again.
        if (attempt >= APPEND_ATTEMPTS) {
          const actual = error.actualVersion === NO_STREAM ? 'no_stream' : Number(error.actualVersion);
          throw new WrongExpectedRevisionError(streamId, expected, actual);
        }
      }
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    const { asOf, toRevision, fromRevision = 0 } = options;
    if (asOf !== undefined && !isIsoInstant(asOf)) throw new InvalidEventError(`asOf ${String(asOf)} is not in Date#toISOString() form`);
    for (const [name, value] of [
      ['toRevision', toRevision],
      ['fromRevision', fromRevision],
    ] as const) {
      if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) {
        throw new InvalidEventError(`${name} must be an integer >= 0, got ${String(value)}`);
      }
    }
    // No ledger event lives in a system stream; never return what is there.
    if (streamId.startsWith('$') || (toRevision !== undefined && toRevision < fromRevision)) return [];
    const read: EsdbReadStreamOptions = { fromRevision: BigInt(fromRevision), direction: FORWARDS };
    if (toRevision !== undefined) read.maxCount = toRevision - fromRevision + 1;
    const events: StoredEvent[] = [];
    for await (const record of readStreamRecords(this.client, streamId, read)) {
      if (isSystemRecord(record)) continue;
      const event = toStoredEvent(record);
      // Both are in toISOString() form, where string order is time order.
      if (asOf === undefined || event.metadata.occurredAt <= asOf) events.push(event);
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
    return readLedgerEventsAfter(this.client, fromPosition, limit);
  }

  /** The position of the latest ledger event in $all (0 when there is none). */
  async headPosition(): Promise<number> {
    this.assertOpen();
    return latestLedgerPosition(this.client);
  }

  subscribe(options: SubscribeOptions): Subscription {
    this.assertOpen();
    const source = {
      open: (fromPosition: number) => openAllFeed(this.client, fromPosition, options.batchSize ?? 500),
      isPermanent: isPermanentError,
      onResubscribe: this.options.onResubscribe,
    };
    const subscription = new ResubscribingSubscription(source, options, (stopped) => this.subscriptions.delete(stopped));
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** Closes every subscription (waiting for in-flight handlers), then the client's streams. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await this.client.dispose();
  }

  /** The stream's last event, or undefined when the stream does not exist. */
  private async head(streamId: string): Promise<StoredEvent | undefined> {
    for await (const record of readStreamRecords(this.client, streamId, { direction: BACKWARDS, fromRevision: END, maxCount: 1 })) {
      return toStoredEvent(record);
    }
    return undefined;
  }

  /** The head plus the stored events carrying any of `ids`; reads backwards, stops once all are found. */
  private async scan(
    streamId: string,
    ids: ReadonlySet<string>,
  ): Promise<{ head: StoredEvent | undefined; found: Map<string, StoredEvent> }> {
    let head: StoredEvent | undefined;
    const found = new Map<string, StoredEvent>();
    for await (const record of readStreamRecords(this.client, streamId, { direction: BACKWARDS, fromRevision: END })) {
      if (head === undefined) head = toStoredEvent(record);
      if (ids.has(record.id)) found.set(record.id, toStoredEvent(record));
      if (found.size === ids.size) break;
    }
    return { head, found };
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
      throw error;
    }
    // Read back rather than trust the append's position: it is what readStream and readAll will
    // report. It also catches ESDB answering a racing duplicate of these ids as an idempotent write.
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
    for await (const record of readStreamRecords(this.client, streamId, { fromRevision: BigInt(revision), maxCount: 1 })) {
      return toStoredEvent(record);
    }
    return undefined;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the event store is closed');
  }
}
