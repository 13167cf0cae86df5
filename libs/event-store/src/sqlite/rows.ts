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

export const EVENT_COLUMNS =
  'global_position, event_id, stream_id, stream_revision, type, schema_version, data, metadata, occurred_at, prev_hash, hash';

export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    data: JSON.parse(row.data) as Record<string, unknown>,
    metadata: JSON.parse(row.metadata) as EventMetadata,
    streamId: row.stream_id,
    streamRevision: row.stream_revision,
    globalPosition: row.global_position,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
