import type { StoredEvent } from '../envelope';
import { EventIdConflictError } from '../errors';
import { newEvent, newEvents } from '../testing/events';
import { chainAfter, meetsExpectation, resolveRetry, revisionOf } from './append-plan';

/** A stream as stored: `batches` appended one after the other, positions 100 apart. */
function storedStream(streamId: string, ...batches: ReturnType<typeof newEvents>[]): StoredEvent[] {
  const stored: StoredEvent[] = [];
  for (const batch of batches) {
    const chained = chainAfter(streamId, stored.at(-1), batch);
    stored.push(...chained.map((e) => ({ ...e, globalPosition: (e.streamRevision + 1) * 100 })));
  }
  return stored;
}
const byId = (events: StoredEvent[]) => new Map(events.map((e) => [e.eventId, e]));

describe('resolveRetry', () => {
  const streamId = 'appraisal-2026-199001012015031001';
  const batch = newEvents(3);
  const stored = storedStream(streamId, newEvents(1), batch, newEvents(2));

  it('returns what the original append returned for an exact retry, even after later appends', () => {
    expect(resolveRetry(streamId, batch, byId(stored))).toEqual({ nextExpectedRevision: 3, position: 400 });
  });

  it.each([
    ['only some ids stored', () => [...batch, newEvent()], /only some of them are stored/],
    ['the same ids in another order', () => [batch[1], batch[0], batch[2]], /another order or not contiguously/],
    ['ids that are not a contiguous run', () => [batch[0], batch[2]], /another order or not contiguously/],
    ['an id stored with other content', () => [batch[0], { ...batch[1], data: { n: 99 } }, batch[2]], /stored with other content/],
  ])('refuses %s with EventIdConflictError', (_, retried, message) => {
    const attempt = () => resolveRetry(streamId, retried(), byId(stored));
    expect(attempt).toThrow(EventIdConflictError);
    expect(attempt).toThrow(message);
  });

  it('refuses the same ids appended to another stream (their hashes cover the stream id)', () => {
    const elsewhere = storedStream('other-stream', batch);
    expect(() => resolveRetry(streamId, batch, byId(elsewhere))).toThrow(/stored with other content/);
  });
});

describe('expectations', () => {
  it.each([
    ['any', 'no_stream', true],
    ['any', 4, true],
    ['no_stream', 'no_stream', true],
    ['no_stream', 0, false],
    [3, 3, true],
    [3, 4, false],
    [0, 'no_stream', false],
  ] as const)('expected %p, actual %p: met = %p', (expected, actual, met) => {
    expect(meetsExpectation(expected, actual)).toBe(met);
  });

  it('reads the actual revision off the head', () => {
    expect(revisionOf(undefined)).toBe('no_stream');
    expect(revisionOf({ streamRevision: 7, hash: 'a'.repeat(64) })).toBe(7);
  });
});
