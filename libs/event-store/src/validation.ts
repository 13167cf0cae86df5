import type { NewEvent } from './envelope';
import { InvalidEventError } from './errors';
import type { ExpectedRevision, ReadStreamOptions } from './port';

// Lower-case only: 'A…' and 'a…' would be the same UUID under two ids, defeating uniqueness.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * True for exactly what Date#toISOString() produces for years 0000–9999, so that comparing two
 * such strings compares the instants (readStream's asOf relies on it).
 */
export function isIsoInstant(value: unknown): value is string {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value)) return false;
  const time = Date.parse(value);
  return !Number.isNaN(time) && new Date(time).toISOString() === value;
}

/** readStream's options checked once for every adapter (throws InvalidEventError), fromRevision defaulted to 0. */
export function validReadStreamOptions(options: ReadStreamOptions): { asOf?: string; toRevision?: number; fromRevision: number } {
  const { asOf, toRevision, fromRevision = 0 } = options;
  if (asOf !== undefined && !isIsoInstant(asOf)) throw new InvalidEventError(`asOf ${String(asOf)} is not in Date#toISOString() form`);
  for (const [name, value] of [
    ['toRevision', toRevision],
    ['fromRevision', fromRevision],
  ] as const) {
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) {
      throw new InvalidEventError(`${name} must be an integer >= 0, got ${String(value)}`);
    }
  }
  return { asOf, toRevision, fromRevision };
}

/** Checks everything an adapter needs before it touches storage; throws InvalidEventError. */
export function assertValidAppend(streamId: string, expected: ExpectedRevision, events: readonly NewEvent[]): void {
  if (typeof streamId !== 'string' || streamId === '') throw new InvalidEventError('streamId must be a non-empty string');
  if (expected !== 'any' && expected !== 'no_stream' && !(Number.isSafeInteger(expected) && expected >= 0)) {
    throw new InvalidEventError(`expected revision must be 'any', 'no_stream' or an integer >= 0, got ${String(expected)}`);
  }
  if (!Array.isArray(events) || events.length === 0) throw new InvalidEventError(`stream ${streamId}: nothing to append`);
  const ids = new Set<string>();
  const list: readonly NewEvent[] = events;
  list.forEach((event, index) => {
    const problem = describeInvalidEvent(event);
    if (problem !== undefined) throw new InvalidEventError(`stream ${streamId}, event #${index}: ${problem}`);
    if (ids.has(event.eventId)) throw new InvalidEventError(`stream ${streamId}: event id ${event.eventId} appears twice`);
    ids.add(event.eventId);
  });
}

function describeInvalidEvent(event: NewEvent): string | undefined {
  if (typeof event !== 'object' || event === null) return 'not an object';
  if (typeof event.eventId !== 'string' || !UUID.test(event.eventId))
    return `eventId ${JSON.stringify(event.eventId)} is not a lower-case UUID`;
  if (typeof event.type !== 'string' || event.type === '') return 'type must be a non-empty string';
  if (!Number.isSafeInteger(event.schemaVersion) || event.schemaVersion < 1) return 'schemaVersion must be an integer >= 1';
  if (!isPlainRecord(event.data)) return 'data must be an object';
  const m = event.metadata;
  if (!isPlainRecord(m)) return 'metadata must be an object';
  for (const key of ['actorId', 'actorRole', 'correlationId', 'causationId'] as const) {
    if (typeof m[key] !== 'string' || m[key] === '') return `metadata.${key} must be a non-empty string`;
  }
  if (!isIsoInstant(m.occurredAt)) {
    return `metadata.occurredAt ${String(m.occurredAt)} is not in Date#toISOString() form (YYYY-MM-DDTHH:mm:ss.sssZ)`;
  }
  if (m.reason !== undefined && (typeof m.reason !== 'string' || m.reason === '')) {
    return 'metadata.reason, when present, must be a non-empty string';
  }
  return undefined;
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
