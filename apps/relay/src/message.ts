import { envelopeOf, type StoredEvent } from '@ledger/event-store';
import type { Message } from 'kafkajs';

/**
 * How one stored event becomes one Kafka record. This is a public contract (consumers parse it):
 *
 * - key: the appraisal id for the appraisal stream (`appraisal-<year>-<NIP>` -> `<year>-<NIP>`)
 *   and for its access log (`access-<year>-<NIP>` -> `<year>-<NIP>`), so that everything about
 *   one appraisal lands in one partition, in ledger order. Any other stream (the unit streams
 *   `unit-<unitId>-<year>`) is keyed by its stream id: a unit's year is its own ordering unit,
 *   and no appraisal id describes it.
 * - value: the stored envelope as UTF-8 JSON with exactly the StoredEvent fields
 *   (docs/ledger-format.md), so a consumer can recompute the hash.
 * - headers (UTF-8 strings): eventId, type, schemaVersion, globalPosition, hash, streamId, for
 *   routing and deduplication without parsing the value.
 */
export const RELAY_HEADERS = ['eventId', 'type', 'schemaVersion', 'globalPosition', 'hash', 'streamId'] as const;
export type RelayHeader = (typeof RELAY_HEADERS)[number];

const APPRAISAL_PREFIX = 'appraisal-';
const ACCESS_PREFIX = 'access-';

export function messageKey(streamId: string): string {
  if (streamId.startsWith(APPRAISAL_PREFIX)) return streamId.slice(APPRAISAL_PREFIX.length);
  if (streamId.startsWith(ACCESS_PREFIX)) return streamId.slice(ACCESS_PREFIX.length);
  return streamId;
}

export function toMessage(event: StoredEvent): Message {
  const headers: Record<RelayHeader, string> = {
    eventId: event.eventId,
    type: event.type,
    schemaVersion: String(event.schemaVersion),
    globalPosition: String(event.globalPosition),
    hash: event.hash,
    streamId: event.streamId,
  };
  return { key: messageKey(event.streamId), value: JSON.stringify(envelopeOf(event)), headers };
}

/**
 * Splits a batch so that no single send carries more than maxBytes of values: the broker refuses
 * a record batch above its message.max.bytes (1 MiB by default), and a catch-up batch of one
 * appraisal's events all goes to one partition. A single larger event still goes alone.
 */
export function chunkBySize<T>(items: T[], maxBytes: number, sizeOf: (item: T) => number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const item of items) {
    const bytes = sizeOf(item);
    if (current.length > 0 && size + bytes > maxBytes) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(item);
    size += bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
