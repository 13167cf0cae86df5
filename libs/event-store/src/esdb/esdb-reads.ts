import {
  BACKWARDS,
  CancelledError,
  DeadlineExceededError,
  END,
  FORWARDS,
  NotLeaderError,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  type AllStreamRecordedEvent,
  type ReadAllOptions,
  type ReadPosition,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamingRead,
} from '@eventstore/db-client';
import type { StoredEvent } from '../envelope';
import type { EsdbClient } from './esdb-client';
import { isLedgerRecord, toReadPosition, toStoredEvent } from './esdb-layout';

/**
 * A read got no answer from EventStoreDB in time; the call was cancelled. @eventstore/db-client
 * sets no deadline on reads, and ignores the `deadline` option there (readStream and readAll pass
 * `deadline: Infinity` to gRPC, which wins over it), so a stuck server would hang a read for ever.
 */
export class EsdbReadTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EsdbReadTimeoutError';
  }
}

/** A start position for $all that is not the position of a ledger event in this store. */
export class EsdbInvalidPositionError extends Error {
  constructor(
    readonly position: number,
    message: string,
  ) {
    super(message);
    this.name = 'EsdbInvalidPositionError';
  }
}

/** Errors of a connection or of a busy server: trying again may succeed. */
export function isTransientError(error: unknown): boolean {
  return (
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    error instanceof CancelledError ||
    error instanceof NotLeaderError ||
    error instanceof TimeoutError ||
    error instanceof EsdbReadTimeoutError
  );
}

export interface ReadLimits {
  /** How long a read waits for the server's next answer before it is cancelled. */
  timeoutMs: number;
}

/**
 * Iterates one read of the client, cancelling it when the consumer stops early and when the
 * server sends nothing for `timeoutMs` (then it throws EsdbReadTimeoutError). The timer runs per
 * answer, not per read: a long read that keeps arriving is not cut off.
 */
export async function* withDeadline<T>(read: StreamingRead<T>, limits: ReadLimits, what: string): AsyncGenerator<T> {
  const iterator = read[Symbol.asyncIterator]();
  let settled = false;
  try {
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), limits.timeoutMs);
      });
      const next = await Promise.race([iterator.next(), timeout]).finally(() => clearTimeout(timer));
      if (next === 'timeout') throw new EsdbReadTimeoutError(`${what}: EventStoreDB did not answer within ${limits.timeoutMs} ms`);
      if (next.done === true) {
        settled = true;
        return;
      }
      yield next.value;
    }
  } catch (error) {
    // A read that failed has ended its call; only a timeout leaves one to cancel.
    if (!(error instanceof EsdbReadTimeoutError)) settled = true;
    throw error;
  } finally {
    if (!settled) {
      await read.cancel().catch(() => undefined);
      read.destroy();
    }
  }
}

/**
 * The records of a stream read, in the order read; none (not an error) when the stream does not
 * exist. A tombstoned stream makes the read throw the client's StreamDeletedError.
 */
export async function* readStreamRecords(
  client: EsdbClient,
  streamId: string,
  options: ReadStreamOptions,
  limits: ReadLimits,
): AsyncGenerator<RecordedEvent> {
  try {
    for await (const resolved of withDeadline(client.readStream(streamId, options), limits, `reading stream ${streamId}`)) {
      if (resolved.event !== undefined) yield resolved.event;
    }
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
}

/**
 * Up to `limit` ledger events with a position after `fromPosition`, in $all order. $all also holds
 * system and foreign records (with projections on, several links per event), so it is read in
 * pages until enough ledger events are found or $all ends.
 */
export async function readLedgerEventsAfter(
  client: EsdbClient,
  fromPosition: number,
  limit: number,
  limits: ReadLimits,
): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  let from: ReadPosition = toReadPosition(fromPosition);
  let after = BigInt(fromPosition);
  for (;;) {
    // Forward reads include the record at `from`, hence the + 1 and the `after` check.
    const maxCount = Math.min(Math.max(limit - events.length + 1, 64), 4096);
    const page = await readAllPage(client, { direction: FORWARDS, fromPosition: from, maxCount }, limits);
    for (const record of page.records) {
      if (record.position.commit <= after) continue;
      after = record.position.commit;
      if (!isLedgerRecord(record)) continue;
      events.push(toStoredEvent(record));
      if (events.length === limit) return events;
    }
    if (page.exhausted) return events;
    from = page.records[page.records.length - 1].position;
  }
}

/** The position of the latest ledger event in $all, 0 when there is none: readAll's horizon. */
export async function latestLedgerPosition(client: EsdbClient, limits: ReadLimits): Promise<number> {
  let from: ReadPosition = END;
  for (;;) {
    // Backward reads exclude the record at `from`.
    const page = await readAllPage(client, { direction: BACKWARDS, fromPosition: from, maxCount: 64 }, limits);
    const latest = page.records.find(isLedgerRecord);
    if (latest !== undefined) return toStoredEvent(latest).globalPosition;
    if (page.exhausted) return 0;
    from = page.records[page.records.length - 1].position;
  }
}

/**
 * Refuses a start position that is not where a ledger event of this store is (0, the start, always
 * is): a checkpoint carried over from another store, or a client's ?after= that was never a
 * position. A subscription from there would fail or skip at the server again on every retry.
 * Connection errors are left to the caller to retry; any other failure of this one-record read is
 * the server refusing the position, and is reported as EsdbInvalidPositionError too.
 */
export async function assertLedgerPosition(client: EsdbClient, position: number, limits: ReadLimits): Promise<void> {
  if (position === 0) return;
  let page: { records: AllStreamRecordedEvent[] };
  try {
    page = await readAllPage(client, { direction: FORWARDS, fromPosition: toReadPosition(position), maxCount: 1 }, limits);
  } catch (error) {
    if (isTransientError(error)) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new EsdbInvalidPositionError(position, `$all position ${position} was refused by EventStoreDB (${reason})`);
  }
  const [record] = page.records;
  if (record?.position.commit !== BigInt(position) || !isLedgerRecord(record)) {
    throw new EsdbInvalidPositionError(
      position,
      `$all position ${position} is not the position of a ledger event in this EventStoreDB ` +
        '(a checkpoint of another store, or a position that was never handed out): refusing to follow from it',
    );
  }
}

/** One page of $all. `exhausted` when the server had fewer than maxCount records left (or none). */
async function readAllPage(
  client: EsdbClient,
  options: ReadAllOptions & { maxCount: number },
  limits: ReadLimits,
): Promise<{ records: AllStreamRecordedEvent[]; exhausted: boolean }> {
  const records: AllStreamRecordedEvent[] = [];
  let count = 0;
  for await (const resolved of withDeadline(client.readAll(options), limits, 'reading $all')) {
    count += 1;
    if (resolved.event !== undefined) records.push(resolved.event);
  }
  return { records, exhausted: count < options.maxCount || records.length === 0 };
}
