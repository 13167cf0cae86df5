import { createHash } from 'node:crypto';
import { SCHEMA_VERSIONS, type DisputedAppraisalRead, type DomainEvent, type Role } from '@ledger/appraisal';
import { GENESIS_HASH, type NewEvent, type StoredEvent } from '@ledger/event-store';

/** Every event shape the ledger writes, by type. */
export type LedgerEvent = DomainEvent | DisputedAppraisalRead;
export type LedgerEventType = LedgerEvent['type'];
export type DataOf<T extends LedgerEventType> = Extract<LedgerEvent, { type: T }>['data'];

export interface FixtureActor {
  id: string;
  role: Role;
}

export interface EventOptions {
  /** ISO instant; default: the factory's clock, one minute per event. */
  at?: string;
  reason?: string;
}

/** Deterministic lower-case UUID (v4 layout) from a counter: fixtures stay reproducible. */
export const fixtureUuid = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/**
 * Builds domain-shaped NewEvents (type/data exactly as in @ledger/appraisal's events.ts) with
 * deterministic ids and a clock that advances one minute per event unless told the time.
 */
export class EventFactory {
  private seq = 0;
  private clock: number;

  constructor(start = '2026-01-05T03:00:00.000Z') {
    this.clock = Date.parse(start);
  }

  event<T extends LedgerEventType>(type: T, data: DataOf<T>, actor: FixtureActor, options: EventOptions = {}): NewEvent {
    this.seq += 1;
    this.clock += 60_000;
    const occurredAt = options.at ?? new Date(this.clock).toISOString();
    const eventId = fixtureUuid(this.seq);
    const schemaVersion = SCHEMA_VERSIONS[type];
    return {
      eventId,
      type,
      schemaVersion,
      data: data as Record<string, unknown>,
      metadata: {
        actorId: actor.id,
        actorRole: actor.role,
        occurredAt,
        correlationId: eventId,
        causationId: eventId,
        ...(options.reason === undefined ? {} : { reason: options.reason }),
      },
    };
  }
}

/**
 * Stored envelopes for projection unit tests, without an event store: revisions per stream,
 * global positions and a hash chain (sha256 of the event id: shaped like the real thing, not it).
 */
export class StoredEventLog {
  readonly events: StoredEvent[] = [];
  private readonly heads = new Map<string, { revision: number; hash: string }>();

  constructor(readonly factory = new EventFactory()) {}

  record<T extends LedgerEventType>(
    streamId: string,
    type: T,
    data: DataOf<T>,
    actor: FixtureActor,
    options: EventOptions = {},
  ): StoredEvent {
    const event = this.factory.event(type, data, actor, options);
    const head = this.heads.get(streamId);
    const stored: StoredEvent = {
      ...event,
      streamId,
      streamRevision: head === undefined ? 0 : head.revision + 1,
      globalPosition: this.events.length + 1,
      prevHash: head?.hash ?? GENESIS_HASH,
      hash: createHash('sha256').update(event.eventId).digest('hex'),
    };
    this.heads.set(streamId, { revision: stored.streamRevision, hash: stored.hash });
    this.events.push(stored);
    return stored;
  }
}

/** Folds events into one document from `start` (null: no document yet). */
export function foldEvents<D>(
  evolve: (doc: D | null, event: StoredEvent) => D | null,
  events: readonly StoredEvent[],
  start: D | null = null,
): D | null {
  return events.reduce<D | null>((doc, event) => evolve(doc, event), start);
}
