import type { StoredEvent } from '@ledger/event-store';
import { messageKey } from '../message';
import type { Received } from './topic-collector';

/**
 * What at-least-once, ordered-per-key delivery means, checked against the store's own events:
 * every event arrived; per key, first arrivals are in ledger order; any repeat carries the same
 * event id and the very same value as its first arrival (a republished batch, not a new event).
 * Returns how many repeats there were.
 */
export function expectCompleteAndOrderedPerKey(stored: StoredEvent[], received: Received[]): { duplicates: number } {
  const byId = new Map(stored.map((event) => [event.eventId, event]));
  const firstValue = new Map<string, string>();
  const firstOrder = new Map<string, number[]>();
  let duplicates = 0;
  const inOffsetOrder = [...received].sort((a, b) => a.partition - b.partition || a.offset - b.offset);
  for (const message of inOffsetOrder) {
    const id = message.headers.eventId;
    const event = byId.get(id);
    if (event === undefined) throw new Error(`received event ${id} that the store does not hold`);
    expect(message.key).toBe(messageKey(event.streamId));
    const seen = firstValue.get(id);
    if (seen !== undefined) {
      duplicates += 1;
      expect(message.value).toBe(seen);
      continue;
    }
    firstValue.set(id, message.value);
    const order = firstOrder.get(message.key) ?? [];
    order.push(event.globalPosition);
    firstOrder.set(message.key, order);
  }
  const missing = stored.filter((event) => !firstValue.has(event.eventId)).map((event) => event.globalPosition);
  expect(missing).toEqual([]);
  for (const [key, positions] of firstOrder) {
    const expected = stored.filter((event) => messageKey(event.streamId) === key).map((event) => event.globalPosition);
    expect({ key, positions }).toEqual({ key, positions: expected });
  }
  return { duplicates };
}
