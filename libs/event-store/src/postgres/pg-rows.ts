import type { EventMetadata, StoredEvent } from '../envelope';

/** A row of the events table as node-postgres returns it: int8 as a string, json parsed. */
export interface EventRow {
  global_position: string;
  event_id: string;
  stream_id: string;
  stream_revision: string;
  type: string;
  schema_version: number;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  prev_hash: string;
  hash: string;
}

/** occurred_at is left out: a copy of metadata.occurredAt, kept as a column only for asOf queries. */
export const EVENT_COLUMNS = 'global_position, event_id, stream_id, stream_revision, type, schema_version, data, metadata, prev_hash, hash';

/** int8 arrives as a string; every position and revision the ledger makes is a safe integer. */
export function safeInteger(value: string | number): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`${String(value)} is not a safe integer`);
  return n;
}

export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    streamId: row.stream_id,
    streamRevision: safeInteger(row.stream_revision),
    globalPosition: safeInteger(row.global_position),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export function toStoredEvents(rows: EventRow[]): StoredEvent[] {
  return rows.map(toStoredEvent);
}
