import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { type HashedFields, type NewEvent, type StoredEvent } from './envelope';

export { canonicalJson } from './canonical-json';

/** An event about to be stored: what the writer gave plus where it goes in its stream. */
export type ChainedNewEvent = NewEvent & { streamId: string; streamRevision: number; prevHash: string };

/**
 * Lower-case hex SHA-256 of the UTF-8 bytes of the RFC 8785 canonical JSON of `fields`.
 * This is the whole ledger byte format: an auditor can recompute it with any JCS library.
 */
export function hashEvent(fields: HashedFields): string {
  return createHash('sha256').update(canonicalJson(fields), 'utf8').digest('hex');
}

/**
 * Exactly the fields the hash covers. data and metadata are taken whole, so any key an export
 * adds to them changes the hash; globalPosition and hash itself are deliberately left out.
 */
export function toHashedFields(event: StoredEvent | ChainedNewEvent): HashedFields {
  return {
    eventId: event.eventId,
    streamId: event.streamId,
    streamRevision: event.streamRevision,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: event.metadata,
    prevHash: event.prevHash,
  };
}
