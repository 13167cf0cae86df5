import type { EventMetadata, StoredEvent } from '../envelope';

/** A row of the events table as better-sqlite3 returns it. */
export interface EventRow {
  global_position: number;
  event_id: string;
  stream_id: string;
  stream_revision: number;
  type: string;
  schema_version: number;
  data: string;
  metadata: string;
  occurred_at: string;
  prev_hash: string;
  hash: string;
}

/**
 * What readAll and readStream select, in the order toStoredEvent reads it. occurred_at is left
 * out: it is a copy of metadata.occurredAt, kept as a column only for asOf queries.
 */
export const EVENT_COLUMNS = 'global_position, event_id, stream_id, stream_revision, type, schema_version, data, metadata, prev_hash, hash';

/**
 * An event row in raw mode (`statement.raw(true)`): the values of EVENT_COLUMNS in order. A replay
 * decodes hundreds of thousands of rows, and raw arrays spare better-sqlite3 building a keyed
 * object per row that would be thrown away at once.
 */
export type EventRowValues = [
  globalPosition: number,
  eventId: string,
  streamId: string,
  streamRevision: number,
  type: string,
  schemaVersion: number,
  data: string,
  metadata: string,
  prevHash: string,
  hash: string,
];

export function toStoredEvent(row: EventRowValues): StoredEvent {
  return {
    eventId: row[1],
    type: row[4],
    schemaVersion: row[5],
    data: JSON.parse(row[6]) as Record<string, unknown>,
    metadata: JSON.parse(row[7]) as EventMetadata,
    streamId: row[2],
    streamRevision: row[3],
    globalPosition: row[0],
    prevHash: row[8],
    hash: row[9],
  };
}

/** A plain loop rather than rows.map: one pre-sized array, no callback per row. */
export function toStoredEvents(rows: EventRowValues[]): StoredEvent[] {
  const events = new Array<StoredEvent>(rows.length);
  for (let i = 0; i < rows.length; i++) events[i] = toStoredEvent(rows[i]);
  return events;
}
