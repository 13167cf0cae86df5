import { hashEvent, toHashedFields } from './chain';
import { GENESIS_HASH, type StoredEvent } from './envelope';

/** The one list of what a verifier can find (docs/ledger-format.md names each). */
export const INTEGRITY_PROBLEM_KINDS = [
  /** A required field is missing or has the wrong type; no other check ran on that event. */
  'MALFORMED',
  /** The stored hash is not the hash of the event's own fields: the event was edited. */
  'HASH_MISMATCH',
  /** prevHash is not the previous revision's hash (or GENESIS_HASH at revision 0). */
  'BROKEN_LINK',
  /** The stream's revisions skip ahead: events are missing before this one. */
  'GAP',
  /** A second event with a revision the stream already holds. */
  'DUPLICATE_REVISION',
  /** The stream's revision order disagrees with commit order: this revision was stored before an earlier one. */
  'REVISION_OUT_OF_ORDER',
  'DUPLICATE_EVENT_ID',
  /** globalPosition is not greater than the previous event's (in the order given). */
  'POSITION_NOT_INCREASING',
  /** globalPosition below 1: the store assigns positions from 1. */
  'POSITION_INVALID',
  /** Positions the store would have assigned are missing (only where the source promises dense positions). */
  'POSITION_GAP',
  /** A stored JSON column is not the canonical JSON of its value (duplicate members, other spelling): readers could differ. */
  'NOT_CANONICAL',
  /** The occurred_at column (used for asOf reads) differs from the hashed metadata.occurredAt. */
  'OCCURRED_AT_MISMATCH',
  /** The store's schema (table, constraints, append-only triggers, version) is not the one the adapter creates. */
  'SCHEMA_ALTERED',
  /** The number of rows in the table differs from the number of rows read. */
  'ROW_COUNT_MISMATCH',
  /** An event the Merkle log has no leaf for: it was put into the store, not appended by the ledger. */
  'NOT_IN_LOG',
  /** An event whose hash or position differs from what the log recorded for it at its leaf: rewritten or moved. */
  'LOG_ENTRY_MISMATCH',
  /** A leaf of the log whose event is no longer in the store: removed (a cut tail, a deleted row). */
  'LOG_ENTRY_MISSING',
  /** A hash stored in the log's tables is not the one its leaves give: the log itself was edited. */
  'LOG_HASH_MISMATCH',
  /** A signed checkpoint's root is not the root of the store's first tree-size events. */
  'CHECKPOINT_ROOT_MISMATCH',
  /** A checkpoint whose signature does not verify with the log's key (or that is not a well-formed checkpoint). */
  'CHECKPOINT_SIGNATURE_INVALID',
  /** A trusted checkpoint (kept by the auditor) that the store's tree does not extend: history was rewritten. */
  'CHECKPOINT_INCONSISTENT',
  /** Two validly signed checkpoints of the same size with different roots: the log showed two histories. */
  'SPLIT_VIEW',
] as const;
export type IntegrityProblemKind = (typeof INTEGRITY_PROBLEM_KINDS)[number];

export interface IntegrityProblem {
  kind: IntegrityProblemKind;
  /** Index of the event in the array given to verifyEvents (line number - 1 of a JSON-lines export); -1 for the schema. */
  index: number;
  /** The event's globalPosition when it has a usable one. */
  position: number | null;
  /** null only for MALFORMED events that lack a usable value. */
  streamId: string | null;
  revision: number | null;
  eventId: string | null;
  /** Human-readable: what was found and what was expected. */
  message: string;
  /** The Merkle log leaf the problem concerns, when it concerns one. */
  leafIndex?: number;
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

export interface VerifyOptions {
  /** The source promises positions 1, 2, 3… with none missing (the embedded store's whole table). */
  densePositions?: boolean;
  /**
   * The first n events are byte for byte rows whose hashes an earlier call recomputed (the embedded
   * store's verified-prefix cache): their hashes are not recomputed again. Every other check still
   * covers them (shape, ids, positions, revisions, links).
   */
  hashesVerified?: number;
}

interface Checked {
  event: StoredEvent;
  index: number;
}

/**
 * Verifies events in the order given (an export is in global order). Works on plain parsed JSON:
 * nothing is assumed about the input's shape until checked. Globally: positions >= 1 and strictly
 * increasing (dense if promised), event ids unique, each hash recomputes. Per stream, in revision
 * order: revisions 0, 1, 2… each once, prevHash links, revision order = commit order. Each problem
 * names the event that is wrong, never the genuine one after it: a forged row at a low position
 * is blamed itself, not the revision that the stream's real history puts next.
 */
export function verifyEvents(events: readonly StoredEvent[], options: VerifyOptions = {}): IntegrityReport {
  const problems: IntegrityProblem[] = [];
  const report = (kind: IntegrityProblemKind, index: number, event: unknown, message: string) =>
    problems.push({ kind, index, ...identify(event), message });
  const byStream = new Map<string, Checked[]>();
  const seenIds = new Set<string>();
  let lastPosition: number | undefined;

  events.forEach((event: unknown, index) => {
    const shapeError = describeShapeError(event);
    if (shapeError !== undefined) {
      // Its position still counts, so the dense check does not blame the row after it.
      const position = (event as { globalPosition?: unknown } | null)?.globalPosition;
      if (Number.isSafeInteger(position)) lastPosition = Math.max(lastPosition ?? -Infinity, position as number);
      return void report('MALFORMED', index, event, shapeError);
    }
    const e = event as StoredEvent;
    if (seenIds.has(e.eventId)) report('DUPLICATE_EVENT_ID', index, e, `event id ${e.eventId} appears more than once`);
    seenIds.add(e.eventId);
    if (e.globalPosition < 1)
      report('POSITION_INVALID', index, e, `globalPosition ${e.globalPosition}: the store assigns positions from 1`);
    if (lastPosition !== undefined && !(e.globalPosition > lastPosition)) {
      report('POSITION_NOT_INCREASING', index, e, `globalPosition ${e.globalPosition} follows ${lastPosition}`);
    } else if (options.densePositions && e.globalPosition > (lastPosition ?? 0) + 1 && e.globalPosition > 1) {
      const from = (lastPosition ?? 0) + 1;
      report('POSITION_GAP', index, e, `positions ${from}..${e.globalPosition - 1} are missing before ${e.globalPosition}`);
    }
    lastPosition = Math.max(lastPosition ?? -Infinity, e.globalPosition);
    if (index < (options.hashesVerified ?? 0)) {
      const stream = byStream.get(e.streamId) ?? [];
      stream.push({ event: e, index });
      byStream.set(e.streamId, stream);
      return;
    }
    let recomputed: string;
    try {
      recomputed = hashEvent(toHashedFields(e));
    } catch (error) {
      return void report('MALFORMED', index, e, `cannot canonicalise: ${(error as Error).message}`);
    }
    if (recomputed !== e.hash) report('HASH_MISMATCH', index, e, `stored hash ${e.hash}, recomputed ${recomputed}`);
    const stream = byStream.get(e.streamId) ?? [];
    stream.push({ event: e, index });
    byStream.set(e.streamId, stream);
  });

  const streams = [...byStream.entries()].map(([streamId, checked]) => verifyStreamChain(streamId, checked, report));
  problems.sort((a, b) => a.index - b.index);
  return { ok: problems.length === 0, eventsChecked: events.length, streamsChecked: streams.length, streams, problems };
}

function verifyStreamChain(
  streamId: string,
  checked: Checked[],
  report: (kind: IntegrityProblemKind, index: number, event: unknown, message: string) => void,
): StreamSummary {
  // Revision order; for equal revisions the earlier committed one is the original.
  const ordered = [...checked].sort(
    (a, b) => a.event.streamRevision - b.event.streamRevision || a.event.globalPosition - b.event.globalPosition,
  );
  let previous: StoredEvent | undefined;
  for (const { event, index } of ordered) {
    const expected = previous === undefined ? 0 : previous.streamRevision + 1;
    if (previous !== undefined && event.streamRevision === previous.streamRevision) {
      report('DUPLICATE_REVISION', index, event, `revision ${event.streamRevision} is already held by event ${previous.eventId}`);
      continue;
    }
    if (event.streamRevision > expected) {
      report(
        'GAP',
        index,
        event,
        `revision ${event.streamRevision} where ${expected} was expected: revisions ${expected}..${event.streamRevision - 1} are missing`,
      );
    } else {
      const expectedPrev = previous === undefined ? GENESIS_HASH : previous.hash;
      if (event.prevHash !== expectedPrev)
        report('BROKEN_LINK', index, event, `prevHash ${event.prevHash}, previous event's hash ${expectedPrev}`);
    }
    if (previous !== undefined && event.globalPosition < previous.globalPosition) {
      report(
        'REVISION_OUT_OF_ORDER',
        index,
        event,
        `revision ${event.streamRevision} at position ${event.globalPosition} was stored before revision ${previous.streamRevision} at ${previous.globalPosition}`,
      );
    }
    previous = event;
  }
  const last = ordered[ordered.length - 1].event;
  return { streamId, events: checked.length, lastRevision: last.streamRevision, lastHash: last.hash };
}

const HEX_64 = /^[0-9a-f]{64}$/;

function identify(event: unknown): Pick<IntegrityProblem, 'position' | 'streamId' | 'revision' | 'eventId'> {
  const e = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  return {
    position: Number.isSafeInteger(e.globalPosition) ? (e.globalPosition as number) : null,
    streamId: typeof e.streamId === 'string' ? e.streamId : null,
    revision: Number.isSafeInteger(e.streamRevision) ? (e.streamRevision as number) : null,
    eventId: typeof e.eventId === 'string' ? e.eventId : null,
  };
}

function describeShapeError(event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return 'not an object';
  const e = event as Record<string, unknown>;
  for (const key of ['eventId', 'streamId', 'type'] as const) {
    if (typeof e[key] !== 'string' || e[key] === '') return `${key} must be a non-empty string, got ${describeValue(e[key])}`;
  }
  for (const key of ['streamRevision', 'schemaVersion'] as const) {
    if (!Number.isSafeInteger(e[key]) || (e[key] as number) < 0)
      return `${key} must be a non-negative integer, got ${describeValue(e[key])}`;
  }
  // Any integer: a position below 1 is its own finding (POSITION_INVALID), not an unreadable event.
  if (!Number.isSafeInteger(e.globalPosition)) return `globalPosition must be an integer, got ${describeValue(e.globalPosition)}`;
  for (const key of ['data', 'metadata'] as const) {
    if (typeof e[key] !== 'object' || e[key] === null || Array.isArray(e[key]))
      return `${key} must be an object, got ${describeValue(e[key])}`;
  }
  for (const key of ['prevHash', 'hash'] as const) {
    if (typeof e[key] !== 'string' || !HEX_64.test(e[key])) return `${key} must be 64 lower-case hex digits`;
  }
  return undefined;
}

/** The value and its JSON type, so a '3' stored as text reads differently from 3. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  const type = Array.isArray(value) ? 'array' : typeof value;
  const text =
    typeof value === 'string'
      ? value
      : typeof value === 'number' || typeof value === 'bigint'
        ? value.toString()
        : (JSON.stringify(value) ?? type);
  return `${type} ${text.length > 40 ? `${text.slice(0, 40)}…` : text}`;
}
