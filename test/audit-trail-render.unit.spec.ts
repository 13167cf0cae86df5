import { ALL_EVENT_TYPES } from '@ledger/appraisal';
import type { StoredEvent } from '@ledger/event-store';
import { auditRefOf, auditTrailOf, auditTrailProjection } from '@ledger/read-models';
import { storedByVersion1 } from './support/audit-trail-v1';
import { decidedYear } from './support/decided-year';

/** The JSON of a value after the read store's round trip (what version 1 served of its stored entry). */
const asStored = (value: unknown): string => JSON.stringify(JSON.parse(JSON.stringify(value)));

describe('audit trail version 2: render(compact(event)) is the version 1 entry, for every event type', () => {
  let events: StoredEvent[];
  beforeAll(async () => {
    events = await decidedYear();
  });

  it('covers every type the trail handles', () => {
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(auditTrailProjection.handles));
    expect(new Set(auditTrailProjection.handles)).toEqual(new Set(ALL_EVENT_TYPES));
  });

  it.each([...ALL_EVENT_TYPES])('%s: the reference, stored and read back, renders the entry version 1 stored, byte for byte', (type) => {
    const ofType = events.filter((e) => e.type === type);
    expect(ofType.length).toBeGreaterThan(0);
    for (const event of ofType) {
      const stored = JSON.parse(JSON.stringify(auditRefOf(event))) as ReturnType<typeof auditRefOf>;
      const { entries, missing } = auditTrailOf([{ id: event.eventId, position: event.globalPosition, doc: stored }], events);
      expect(missing).toEqual([]);
      expect(asStored(entries[0])).toBe(asStored(storedByVersion1(event)));
    }
  });

  it('keeps of an event only where it is and what the trail is found and ordered by', () => {
    for (const event of events) {
      const ref = auditRefOf(event);
      expect(Object.keys(ref)).toEqual(['streamId', 'appraisalId', 'position', 'type']);
      expect(JSON.stringify(ref).length).toBeLessThan(JSON.stringify(storedByVersion1(event)).length / 3);
    }
  });
});
