import type Database from 'better-sqlite3';
import { canonicalJson } from '../canonical-json';
import { hashEvent, toHashedFields } from '../chain';
import type { NewEvent } from '../envelope';
import { newEvent } from './events';

/**
 * What an insider with the sqlite3 shell can do: insert a row exactly as the adapter writes it,
 * linked to the stream's head and correctly hashed, at the next position. No per-stream chain
 * check can tell it from a real append; only the Merkle log can. Returns the row's event id.
 */
export function insertLinkedRow(db: Database.Database, streamId: string, event: NewEvent = newEvent({ data: { forged: true } })): string {
  const head = db
    .prepare<[string], { stream_revision: number; hash: string }>(
      'SELECT stream_revision, hash FROM events WHERE stream_id = ? ORDER BY stream_revision DESC LIMIT 1',
    )
    .get(streamId);
  if (head === undefined) throw new Error(`stream ${streamId} has no rows to link to`);
  const fields = { ...event, streamId, streamRevision: head.stream_revision + 1, prevHash: head.hash };
  db.prepare(
    `INSERT INTO events (event_id, stream_id, stream_revision, type, schema_version, data, metadata, occurred_at, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    event.eventId,
    streamId,
    fields.streamRevision,
    event.type,
    event.schemaVersion,
    canonicalJson(event.data),
    canonicalJson(event.metadata),
    event.metadata.occurredAt,
    head.hash,
    hashEvent(toHashedFields(fields)),
  );
  return event.eventId;
}
