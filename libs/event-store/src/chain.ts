import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { GENESIS_HASH, type HashedFields, type NewEvent, type StoredEvent } from './envelope';

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

export type IntegrityProblemKind =
  /** A required field is missing or has the wrong type; no other check ran on that event. */
  | 'MALFORMED'
  /** The stored hash is not the hash of the event's own fields: the event was edited. */
  | 'HASH_MISMATCH'
  /** prevHash is not the previous event's hash (or GENESIS_HASH at revision 0). */
  | 'BROKEN_LINK'
  /** Revisions skip ahead: events are missing before this one. */
  | 'GAP'
  /** A revision at or below one already seen in the stream: duplicated or reordered. */
  | 'REVISION_OUT_OF_ORDER'
  | 'DUPLICATE_EVENT_ID'
  /** globalPosition is not greater than the previous event's (in the order given). */
  | 'POSITION_NOT_INCREASING';

export interface IntegrityProblem {
  kind: IntegrityProblemKind;
  /** Index of the event in the array given to verifyEvents (line number - 1 of a JSON-lines export). */
  index: number;
  /** null only for MALFORMED events that lack a usable value. */
  streamId: string | null;
  revision: number | null;
  eventId: string | null;
  /** Human-readable: what was found and what was expected. */
  message: string;
}

export interface StreamSummary {
  streamId: string;
  events: number;
  lastRevision: number;
  /** Publish or compare this to detect truncation: removing a stream's newest events breaks no link. */
  lastHash: string;
}

export interface IntegrityReport {
  ok: boolean;
  eventsChecked: number;
  streamsChecked: number;
  streams: StreamSummary[];
  problems: IntegrityProblem[];
}

/**
 * Verifies events in the order given (an export is in global order). Works on plain parsed JSON:
 * nothing is assumed about the input's shape until checked. Per stream: revisions contiguous from
 * 0, prevHash links, hashes recompute. Globally: positions strictly increase, event ids unique.
 * After a GAP the link is not checked (the event it links to is the missing one).
 */
export function verifyEvents(events: readonly StoredEvent[]): IntegrityReport {
  const problems: IntegrityProblem[] = [];
  const streams = new Map<string, StreamSummary>();
  const seenIds = new Set<string>();
  let lastPosition = -Infinity;

  events.forEach((event: unknown, index) => {
    const shapeError = describeShapeError(event);
    const report = (kind: IntegrityProblemKind, message: string) => problems.push({ kind, index, ...identify(event), message });
    if (shapeError !== undefined) return report('MALFORMED', shapeError);
    const e = event as StoredEvent;

    if (seenIds.has(e.eventId)) report('DUPLICATE_EVENT_ID', `event id ${e.eventId} appears more than once`);
    seenIds.add(e.eventId);
    if (!(e.globalPosition > lastPosition)) {
      report('POSITION_NOT_INCREASING', `globalPosition ${e.globalPosition} follows ${lastPosition}`);
    }
    lastPosition = Math.max(lastPosition, e.globalPosition);

    const previous = streams.get(e.streamId);
    const expectedRevision = previous === undefined ? 0 : previous.lastRevision + 1;
    if (e.streamRevision > expectedRevision) {
      report('GAP', `revision ${e.streamRevision} where ${expectedRevision} was expected`);
    } else if (e.streamRevision < expectedRevision) {
      report('REVISION_OUT_OF_ORDER', `revision ${e.streamRevision} after revision ${expectedRevision - 1}`);
    } else {
      const expectedPrev = previous === undefined ? GENESIS_HASH : previous.lastHash;
      if (e.prevHash !== expectedPrev) report('BROKEN_LINK', `prevHash ${e.prevHash}, previous event's hash ${expectedPrev}`);
    }

    let recomputed: string;
    try {
      recomputed = hashEvent(toHashedFields(e));
    } catch (error) {
      return report('MALFORMED', `cannot canonicalise: ${(error as Error).message}`);
    }
    if (recomputed !== e.hash) report('HASH_MISMATCH', `stored hash ${e.hash}, recomputed ${recomputed}`);

    const summary = previous ?? { streamId: e.streamId, events: 0, lastRevision: -1, lastHash: GENESIS_HASH };
    summary.events += 1;
    summary.lastRevision = Math.max(summary.lastRevision, e.streamRevision);
    if (summary.lastRevision === e.streamRevision) summary.lastHash = e.hash;
    streams.set(e.streamId, summary);
  });

  return { ok: problems.length === 0, eventsChecked: events.length, streamsChecked: streams.size, streams: [...streams.values()], problems };
}

const HEX_64 = /^[0-9a-f]{64}$/;

function identify(event: unknown): Pick<IntegrityProblem, 'streamId' | 'revision' | 'eventId'> {
  const e = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  return {
    streamId: typeof e.streamId === 'string' ? e.streamId : null,
    revision: typeof e.streamRevision === 'number' ? e.streamRevision : null,
    eventId: typeof e.eventId === 'string' ? e.eventId : null,
  };
}

function describeShapeError(event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return 'not an object';
  const e = event as Record<string, unknown>;
  for (const key of ['eventId', 'streamId', 'type'] as const) {
    if (typeof e[key] !== 'string' || e[key] === '') return `${key} must be a non-empty string`;
  }
  for (const key of ['streamRevision', 'schemaVersion', 'globalPosition'] as const) {
    if (!Number.isSafeInteger(e[key]) || (e[key] as number) < 0) return `${key} must be a non-negative integer`;
  }
  for (const key of ['data', 'metadata'] as const) {
    if (typeof e[key] !== 'object' || e[key] === null || Array.isArray(e[key])) return `${key} must be an object`;
  }
  for (const key of ['prevHash', 'hash'] as const) {
    if (typeof e[key] !== 'string' || !HEX_64.test(e[key] as string)) return `${key} must be 64 lower-case hex digits`;
  }
  return undefined;
}
