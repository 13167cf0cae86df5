/**
 * The stored event envelope: the ledger format. docs/ledger-format.md documents it byte for byte.
 * `hash` = SHA-256 over the RFC 8785 (JCS) canonical JSON of the HashedFields below, UTF-8;
 * `prevHash` is the previous event's hash in the same stream, GENESIS_HASH for revision 0.
 * globalPosition is store-assigned and deliberately not hashed (it differs between stores).
 */
export interface EventMetadata {
  actorId: string;
  actorRole: string;
  /** ISO 8601 UTC instant with milliseconds, e.g. 2026-01-05T03:00:00.000Z. */
  occurredAt: string;
  correlationId: string;
  causationId: string;
  /** Present where the rule requires a reason. */
  reason?: string;
}

/** What a writer hands to append(). */
export interface NewEvent {
  eventId: string;
  type: string;
  schemaVersion: number;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

export interface StoredEvent extends NewEvent {
  streamId: string;
  /** 0-based position within its stream. */
  streamRevision: number;
  /** 1-based position across all streams, strictly increasing in commit order. */
  globalPosition: number;
  prevHash: string;
  hash: string;
}

/** Exactly the fields covered by `hash`, in the form that is canonicalised. */
export interface HashedFields {
  eventId: string;
  streamId: string;
  streamRevision: number;
  type: string;
  schemaVersion: number;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  prevHash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/**
 * What leaves the ledger (Kafka, the feed): exactly the StoredEvent fields, in the
 * ledger-format order, and nothing an adapter may carry besides.
 */
export function envelopeOf(event: StoredEvent): StoredEvent {
  return {
    eventId: event.eventId,
    streamId: event.streamId,
    streamRevision: event.streamRevision,
    globalPosition: event.globalPosition,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: event.metadata,
    prevHash: event.prevHash,
    hash: event.hash,
  };
}
