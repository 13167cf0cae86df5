import { createHash } from 'node:crypto';
import { CanonicalJsonError, canonicalJson } from '../canonical-json';
import type { NewEvent } from '../envelope';
import { InvalidEventError } from '../errors';
import type { ExpectedRevision, TraceContextHeaders } from '../port';

/**
 * An event as the writer stores it: data and metadata already in their RFC 8785 canonical form,
 * the text the row keeps and the hash covers. Plain strings and numbers, so it crosses to the
 * writer thread as it is (a structured clone of the objects could change them: it drops
 * prototypes, so a toJSON, and refuses functions) and is canonicalised once, not for the row and
 * again for the hash.
 */
export interface PreparedEvent {
  eventId: string;
  type: string;
  schemaVersion: number;
  data: string;
  metadata: string;
  occurredAt: string;
}

export interface PreparedAppend {
  streamId: string;
  expected: ExpectedRevision;
  events: PreparedEvent[];
  traceContext?: TraceContextHeaders;
}

/** Canonicalises each event (already checked by assertValidAppend); one with no faithful JSON form is refused here. */
export function prepareAppend(
  streamId: string,
  expected: ExpectedRevision,
  events: readonly NewEvent[],
  traceContext?: TraceContextHeaders,
): PreparedAppend {
  try {
    return {
      streamId,
      expected,
      events: events.map((event) => ({
        eventId: event.eventId,
        type: event.type,
        schemaVersion: event.schemaVersion,
        data: canonicalJson(event.data),
        metadata: canonicalJson(event.metadata),
        occurredAt: event.metadata.occurredAt,
      })),
      ...(traceContext !== undefined && { traceContext }),
    };
  } catch (error) {
    // data or metadata that has no faithful JSON form (NaN, a bigint, a cycle…): nothing is stored.
    if (error instanceof CanonicalJsonError) throw new InvalidEventError(`stream ${streamId}: ${error.message}`);
    throw error;
  }
}

/**
 * hashEvent(toHashedFields(event)) from the canonical texts: the canonical JSON of the hashed
 * fields is their members in key order (data, eventId, metadata, prevHash, schemaVersion, streamId,
 * streamRevision, type), each value in canonical form, so the canonical data and metadata are put in
 * as they are. prepared-append.unit.spec.ts checks it against hashEvent.
 */
export function hashPrepared(event: PreparedEvent, streamId: string, streamRevision: number, prevHash: string): string {
  const text =
    `{"data":${event.data},"eventId":${canonicalJson(event.eventId)},"metadata":${event.metadata},` +
    `"prevHash":${canonicalJson(prevHash)},"schemaVersion":${canonicalJson(event.schemaVersion)},` +
    `"streamId":${canonicalJson(streamId)},"streamRevision":${canonicalJson(streamRevision)},"type":${canonicalJson(event.type)}}`;
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
