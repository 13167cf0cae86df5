/**
 * How a ledger event is laid out in EventStoreDB (KurrentDB). Layout 1, one ESDB record per event:
 *
 *   ESDB event id      = eventId (our lower-case UUID)
 *   ESDB event type    = type
 *   ESDB content type  = application/json
 *   ESDB data          = data, as JSON
 *   ESDB metadata      = JSON object:
 *     {
 *       "ledgerLayout":   1,            // marks a ledger event; other records in $all are not ours
 *       "schemaVersion":  <int >= 1>,
 *       "streamRevision": <int >= 0>,   // equals the ESDB revision; kept so the raw record shows what was hashed
 *       "prevHash":       "<64 hex>",
 *       "hash":           "<64 hex>",
 *       "metadata":       { actorId, actorRole, occurredAt, correlationId, causationId, reason? }
 *     }
 *   ESDB stream        = streamId;  ESDB revision = streamRevision
 *   $all position      = globalPosition
 *
 * globalPosition is the record's $all commit position: a byte offset into the transaction log, so
 * positions are strictly increasing but not dense (gaps of a few hundred bytes per event). Events of
 * one gRPC append are written as an implicit transaction whose every event has commit == prepare;
 * the adapter relies on that (it resumes from {commit: n, prepare: n}) and refuses any other
 * record loudly. Offsets stay exact as a JS number up to 2^53 bytes (8 PiB of log).
 *
 * Records of system streams or with system types ('$'-prefixed) are never returned.
 */
import { START, jsonEvent, type EventData, type Position, type ReadPosition, type RecordedEvent } from '@eventstore/db-client';
import type { EventMetadata, StoredEvent } from '../envelope';
import type { ChainedEvent } from './append-plan';

export const LEDGER_LAYOUT = 1;

/** What a ledger event's ESDB metadata holds (see the layout above). */
export interface LedgerRecordMetadata {
  ledgerLayout: typeof LEDGER_LAYOUT;
  schemaVersion: number;
  streamRevision: number;
  prevHash: string;
  hash: string;
  metadata: EventMetadata;
}

/** A record in EventStoreDB that claims to be a ledger event but is not a well-formed one. */
export class EsdbLayoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EsdbLayoutError';
  }
}

export function toEventData(event: ChainedEvent): EventData {
  const metadata: LedgerRecordMetadata = {
    ledgerLayout: LEDGER_LAYOUT,
    schemaVersion: event.schemaVersion,
    streamRevision: event.streamRevision,
    prevHash: event.prevHash,
    hash: event.hash,
    metadata: event.metadata,
  };
  return jsonEvent({ id: event.eventId, type: event.type, data: event.data, metadata });
}

/** '$'-prefixed streams ($all bookkeeping, $$metadata, projections' $ce-…) and types ($>, $metadata…). */
export function isSystemRecord(record: Pick<RecordedEvent, 'streamId' | 'type'>): boolean {
  return record.streamId.startsWith('$') || record.type.startsWith('$');
}

/** A record this adapter wrote: not a system record, and its metadata carries the layout marker. */
export function isLedgerRecord(record: RecordedEvent): boolean {
  return !isSystemRecord(record) && isPlainRecord(record.metadata) && 'ledgerLayout' in record.metadata;
}

/** Decodes a ledger record; anything malformed is an EsdbLayoutError naming the record. */
export function toStoredEvent(record: RecordedEvent): StoredEvent {
  const where = `EventStoreDB record ${record.id} (${record.streamId}@${String(record.revision)})`;
  const fail = (problem: string): never => {
    throw new EsdbLayoutError(`${where} is not a ledger event: ${problem}`);
  };
  if (isSystemRecord(record)) fail('it is a system record');
  const meta = record.metadata;
  if (!isPlainRecord(meta)) return fail('its metadata is not a JSON object');
  if (meta.ledgerLayout !== LEDGER_LAYOUT)
    return fail(`ledgerLayout is ${JSON.stringify(meta.ledgerLayout)}, this adapter reads ${LEDGER_LAYOUT}`);
  if (!record.isJson || !isPlainRecord(record.data)) fail('its data is not a JSON object');
  if (!Number.isSafeInteger(meta.schemaVersion) || (meta.schemaVersion as number) < 1) fail('schemaVersion must be an integer >= 1');
  for (const key of ['prevHash', 'hash'] as const) {
    if (typeof meta[key] !== 'string' || !HEX_64.test(meta[key])) fail(`${key} must be 64 lower-case hex digits`);
  }
  if (!isPlainRecord(meta.metadata)) fail('metadata.metadata must be an object');
  const revision = Number(record.revision);
  // The revision is hashed: a record whose own copy disagrees was moved or rewritten, not appended.
  if (meta.streamRevision !== revision) fail(`metadata says streamRevision ${String(meta.streamRevision)}, the stream says ${revision}`);
  return {
    eventId: record.id,
    type: record.type,
    schemaVersion: meta.schemaVersion as number,
    data: record.data as Record<string, unknown>,
    metadata: meta.metadata as EventMetadata,
    streamId: record.streamId,
    streamRevision: revision,
    globalPosition: toGlobalPosition(record.position, where),
    prevHash: meta.prevHash as string,
    hash: meta.hash as string,
  };
}

/** ESDB sends 2^64 - 1 for "no position" (servers older than 22.6 on stream reads). */
const NO_POSITION = 2n ** 64n - 1n;

/** The $all position of a record as our globalPosition (see the layout comment for why commit == prepare). */
export function toGlobalPosition(position: Position | undefined, where = 'an EventStoreDB record'): number {
  if (position === undefined || position.commit === NO_POSITION || position.commit <= 0n) {
    throw new EsdbLayoutError(`${where} carries no $all position: EventStoreDB 22.6 or later is required`);
  }
  if (position.commit !== position.prepare) {
    throw new EsdbLayoutError(
      `${where} has commit position ${position.commit} but prepare position ${position.prepare} ` +
        '(written by an explicit transaction): its position would not be unique',
    );
  }
  if (position.commit > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new EsdbLayoutError(`${where} has position ${position.commit}, beyond 2^53 - 1`);
  }
  return Number(position.commit);
}

/** Where to start reading $all forwards for events after `globalPosition` (0 = the start). */
export function toReadPosition(globalPosition: number): ReadPosition {
  if (globalPosition === 0) return START;
  const at = BigInt(globalPosition);
  return { commit: at, prepare: at };
}

const HEX_64 = /^[0-9a-f]{64}$/;

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/**
 * Event-id claims (see EsdbEventStore): one stream per event id, `ledger-event-id-<eventId>`,
 * whose first record (type LedgerEventIdClaimed, JSON data { streamId, after }) says which stream
 * the id belongs to and the stream's last revision the claimant saw (-1: none). Ledger appends to
 * such stream names are refused, and their records carry no ledger metadata, so readers skip them.
 */
export const CLAIM_STREAM_PREFIX = 'ledger-event-id-';
export const CLAIM_TYPE = 'LedgerEventIdClaimed';

export function claimStreamOf(eventId: string): string {
  return `${CLAIM_STREAM_PREFIX}${eventId}`;
}

export function toClaimData(streamId: string, after: number): { type: string; data: { streamId: string; after: number } } {
  return { type: CLAIM_TYPE, data: { streamId, after } };
}

/** Decodes a claim record; anything else in a claim stream is an EsdbLayoutError. */
export function toClaim(record: RecordedEvent): { streamId: string; after: number } {
  const data: unknown = record.isJson ? record.data : undefined;
  if (
    record.type === CLAIM_TYPE &&
    isPlainRecord(data) &&
    typeof data.streamId === 'string' &&
    data.streamId !== '' &&
    Number.isSafeInteger(data.after) &&
    (data.after as number) >= -1
  ) {
    return { streamId: data.streamId, after: data.after as number };
  }
  throw new EsdbLayoutError(`EventStoreDB record ${record.id} in ${record.streamId} is not an event-id claim`);
}
