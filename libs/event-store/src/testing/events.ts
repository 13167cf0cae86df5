import { randomUUID } from 'node:crypto';
import type { EventMetadata, NewEvent } from '../envelope';

/** The occurredAt every fixture gets unless told otherwise, so hashes are reproducible. */
export const FIXED_OCCURRED_AT = '2026-01-05T03:00:00.000Z';

export interface NewEventOverrides {
  eventId?: string;
  type?: string;
  schemaVersion?: number;
  data?: Record<string, unknown>;
  metadata?: Partial<EventMetadata>;
}

/** A valid NewEvent: random UUID, fixed occurredAt, a test actor; override what matters. */
export function newEvent(overrides: NewEventOverrides = {}): NewEvent {
  return {
    eventId: overrides.eventId ?? randomUUID(),
    type: overrides.type ?? 'TestEventRecorded',
    schemaVersion: overrides.schemaVersion ?? 1,
    data: overrides.data ?? {},
    metadata: {
      actorId: 'actor-test',
      actorRole: 'pegawai',
      occurredAt: FIXED_OCCURRED_AT,
      correlationId: 'correlation-test',
      causationId: 'causation-test',
      ...overrides.metadata,
    },
  };
}

/** `count` events whose data is `{ n: index }` unless `build` says otherwise. */
export function newEvents(count: number, build: (index: number) => NewEventOverrides = (n) => ({ data: { n } })): NewEvent[] {
  return Array.from({ length: count }, (_, index) => newEvent(build(index)));
}

/** A stream id no other test uses, so suites may share one store. */
export function uniqueStreamId(prefix = 'test'): string {
  return `${prefix}-${randomUUID()}`;
}

/** The ISO instant `minutes` after FIXED_OCCURRED_AT (negative for before). */
export function minutesAfterFixed(minutes: number): string {
  return new Date(Date.parse(FIXED_OCCURRED_AT) + minutes * 60_000).toISOString();
}
