import {
  BACKWARDS,
  END,
  FORWARDS,
  StreamNotFoundError,
  type AllStreamRecordedEvent,
  type EventStoreDBClient,
  type ReadAllOptions,
  type ReadPosition,
  type ReadStreamOptions,
  type RecordedEvent,
} from '@eventstore/db-client';
import type { StoredEvent } from '../envelope';
import { isLedgerRecord, toReadPosition, toStoredEvent } from './esdb-layout';

/**
 * The records of a stream read, in the order read; none (not an error) when the stream does not
 * exist. A consumer that stops early cancels the gRPC call instead of leaving it to run out.
 */
export async function* readStreamRecords(
  client: EventStoreDBClient,
  streamId: string,
  options: ReadStreamOptions,
): AsyncGenerator<RecordedEvent> {
  const read = client.readStream(streamId, options);
  let finished = false;
  try {
    for await (const resolved of read) {
      if (resolved.event !== undefined) yield resolved.event;
    }
    finished = true;
  } catch (error) {
    finished = true;
    if (!(error instanceof StreamNotFoundError)) throw error;
  } finally {
    if (!finished) await read.cancel().catch(() => undefined);
  }
}

/**
 * Up to `limit` ledger events with a position after `fromPosition`, in $all order. $all also holds
 * system and foreign records (with projections on, several links per event), so it is read in
 * pages until enough ledger events are found or $all ends.
 */
export async function readLedgerEventsAfter(client: EventStoreDBClient, fromPosition: number, limit: number): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  let from: ReadPosition = toReadPosition(fromPosition);
  let after = BigInt(fromPosition);
  for (;;) {
    // Forward reads include the record at `from`, hence the + 1 and the `after` check.
    const maxCount = Math.min(Math.max(limit - events.length + 1, 64), 4096);
    const page = await readAllPage(client, { direction: FORWARDS, fromPosition: from, maxCount });
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
export async function latestLedgerPosition(client: EventStoreDBClient): Promise<number> {
  let from: ReadPosition = END;
  for (;;) {
    // Backward reads exclude the record at `from`.
    const page = await readAllPage(client, { direction: BACKWARDS, fromPosition: from, maxCount: 64 });
    const latest = page.records.find(isLedgerRecord);
    if (latest !== undefined) return toStoredEvent(latest).globalPosition;
    if (page.exhausted) return 0;
    from = page.records[page.records.length - 1].position;
  }
}

/** One page of $all. `exhausted` when the server had fewer than maxCount records left (or none). */
async function readAllPage(
  client: EventStoreDBClient,
  options: ReadAllOptions & { maxCount: number },
): Promise<{ records: AllStreamRecordedEvent[]; exhausted: boolean }> {
  const records: AllStreamRecordedEvent[] = [];
  let count = 0;
  for await (const resolved of client.readAll(options)) {
    count += 1;
    if (resolved.event !== undefined) records.push(resolved.event);
  }
  return { records, exhausted: count < options.maxCount || records.length === 0 };
}
