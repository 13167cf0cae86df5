import { hashEvent, toHashedFields, type ChainedNewEvent } from '../chain';
import { GENESIS_HASH, type NewEvent, type StoredEvent } from '../envelope';
import { EventIdConflictError, InvalidEventError } from '../errors';
import type { AppendResult, ExpectedRevision } from '../port';
import { assertValidAppend } from '../validation';

/** An event ready to be written: placed in its stream, chained and hashed. */
export type ChainedEvent = ChainedNewEvent & { hash: string };

/** What an append needs to know about the stream's last event. */
export type StreamHead = Pick<StoredEvent, 'streamRevision' | 'hash'>;

/** The port's checks plus what EventStoreDB reserves ('$' names: such records are never read back). */
export function assertAppendable(streamId: string, expected: ExpectedRevision, events: readonly NewEvent[]): void {
  assertValidAppend(streamId, expected, events);
  if (streamId.startsWith('$')) throw new InvalidEventError(`stream ${streamId}: '$'-prefixed streams are EventStoreDB system streams`);
  events.forEach((event, index) => {
    if (event.type.startsWith('$'))
      throw new InvalidEventError(`stream ${streamId}, event #${index}: '$'-prefixed types are EventStoreDB system types`);
  });
}

export function revisionOf(head: StreamHead | undefined): number | 'no_stream' {
  return head === undefined ? 'no_stream' : head.streamRevision;
}

export function meetsExpectation(expected: ExpectedRevision, actual: number | 'no_stream'): boolean {
  return expected === 'any' || expected === actual;
}

/** Places `events` after `head` and chains their hashes (throws CanonicalJsonError on unhashable data). */
export function chainAfter(streamId: string, head: StreamHead | undefined, events: readonly NewEvent[]): ChainedEvent[] {
  let streamRevision = head === undefined ? 0 : head.streamRevision + 1;
  let prevHash = head === undefined ? GENESIS_HASH : head.hash;
  return events.map((event) => {
    const placed: ChainedNewEvent = { ...event, streamId, streamRevision, prevHash };
    const hash = hashEvent(toHashedFields(placed));
    streamRevision += 1;
    prevHash = hash;
    return { ...placed, hash };
  });
}

/**
 * Some of the appended ids are already in the stream (`stored`, by id). Only an exact retry is
 * accepted, as the port defines it: every id stored, as a contiguous run in the same order, with
 * the same content (recomputing each hash at its stored place gives the stored hash). It returns
 * what the original append returned; anything else is an EventIdConflictError.
 */
export function resolveRetry(streamId: string, events: readonly NewEvent[], stored: ReadonlyMap<string, StoredEvent>): AppendResult {
  const conflict = (reason: string) =>
    new EventIdConflictError(
      streamId,
      events.map((event) => event.eventId),
      reason,
    );
  const found: StoredEvent[] = [];
  for (const event of events) {
    const match = stored.get(event.eventId);
    if (match === undefined) throw conflict('only some of them are stored');
    found.push(match);
  }
  found.forEach((match, i) => {
    if (match.streamRevision !== found[0].streamRevision + i) throw conflict('they are stored in another order or not contiguously');
    const placed = { ...events[i], streamId, streamRevision: match.streamRevision, prevHash: match.prevHash };
    if (hashEvent(toHashedFields(placed)) !== match.hash) throw conflict(`event ${match.eventId} is stored with other content`);
  });
  const last = found[found.length - 1];
  return { nextExpectedRevision: last.streamRevision, position: last.globalPosition };
}
