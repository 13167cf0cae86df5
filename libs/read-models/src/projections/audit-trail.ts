import { ALL_EVENT_TYPES } from '@ledger/appraisal';
import type { StoredEvent } from '@ledger/event-store';
import type { ReadDoc } from '../port';
import type { Projection } from '../projection';
import { describeEvent } from './audit-text';
import { appraisalIdOfStream, partsOfAppraisalId, unitOfStream } from './stored';

export const AUDIT_TRAIL = 'audit_trail';

/** One entry of an audit trail as it is served: the envelope plus a readable summary, rendered from the event. */
export interface AuditEntry {
  eventId: string;
  streamId: string;
  appraisalId: string | null;
  unitId: string | null;
  year: number | null;
  streamRevision: number;
  position: number;
  occurredAt: string;
  actorId: string;
  actorRole: string;
  type: string;
  schemaVersion: number;
  summary: string;
  reason: string | null;
  data: Record<string, unknown>;
  correlationId: string;
  causationId: string;
  prevHash: string;
  hash: string;
}

/**
 * The `audit_trail` document (id = eventId), since version 2: a reference to the event and the
 * fields the trail is found and ordered by, nothing the event store already holds. Version 1 stored
 * the whole AuditEntry (~1 KB, most of a rebuild's write volume; bench/audit-entry-size.ts measures
 * both); the entry is now rendered at read time from the event itself (auditTrailOf). A version 1
 * document has these four fields too, so readers work on either while a rebuild swaps them.
 */
export interface AuditRef {
  streamId: string;
  appraisalId: string | null;
  position: number;
  type: string;
}

// Every stored type (ALL_EVENT_TYPES: the domain's and the access log's): nothing goes unaudited.
const HANDLES: readonly string[] = ALL_EVENT_TYPES;

const AUDITED_STREAMS = /^(appraisal|unit|access|service)-/;

export const auditTrailProjection: Projection<AuditRef> = {
  name: 'audit_trail',
  collection: AUDIT_TRAIL,
  version: 2,
  handles: HANDLES,
  idsOf: (event) => (AUDITED_STREAMS.test(event.streamId) ? [event.eventId] : []),
  evolve: evolveAuditRef,
  // Found by appraisal only (the api's trail); an index nobody queries would cost every rebuild its upkeep.
  indexes: ['appraisalId'],
  insertOnly: true, // one entry per event (id = eventId), never changed after
};

/** Pure. An entry is written once and never changes: the ledger it mirrors is append-only. */
export function evolveAuditRef(doc: AuditRef | null, event: StoredEvent): AuditRef | null {
  return doc ?? auditRefOf(event);
}

/** What the read model keeps of one event: where it is, and what the trail is found and ordered by. */
export const auditRefOf = (event: StoredEvent): AuditRef => ({
  streamId: event.streamId,
  appraisalId: appraisalIdOfStream(event.streamId),
  position: event.globalPosition,
  type: event.type,
});

/** Pure. The entry of one event, exactly as version 1 stored it (field order included: it is the JSON served). */
export function renderAuditEntry(event: StoredEvent): AuditEntry {
  const unit = unitOfStream(event.streamId);
  const appraisalId = appraisalIdOfStream(event.streamId);
  const opened = event.type === 'AppraisalOpened' && typeof event.data.unitId === 'string' ? event.data.unitId : null;
  const { metadata } = event;
  return {
    eventId: event.eventId,
    streamId: event.streamId,
    appraisalId,
    unitId: unit?.unitId ?? opened,
    year: unit?.year ?? (appraisalId === null ? null : partsOfAppraisalId(appraisalId).year),
    streamRevision: event.streamRevision,
    position: event.globalPosition,
    occurredAt: metadata.occurredAt,
    actorId: metadata.actorId,
    actorRole: metadata.actorRole,
    type: event.type,
    schemaVersion: event.schemaVersion,
    summary: describeEvent(event),
    reason: metadata.reason ?? null,
    data: event.data,
    correlationId: metadata.correlationId,
    causationId: metadata.causationId,
    prevHash: event.prevHash,
    hash: event.hash,
  };
}

export interface RenderedTrail {
  /** One per reference whose event was found, in the references' order. */
  entries: AuditEntry[];
  /**
   * References whose event the given events do not hold. Only an edit of the store (a deleted row)
   * or a read store built from another event store leaves one: the caller must say so, never
   * show the trail as if it were whole.
   */
  missing: Array<ReadDoc<AuditRef>>;
}

/**
 * The trail of the read model's references, each rendered from its event (matched by event id,
 * the document's id). Events the read model has not reached yet are not shown, as before
 * version 2: the trail is as consistent as its read model, which a query can wait for.
 */
export function auditTrailOf(refs: ReadonlyArray<ReadDoc<AuditRef>>, events: readonly StoredEvent[]): RenderedTrail {
  const byId = new Map(events.map((e) => [e.eventId, e]));
  const entries: AuditEntry[] = [];
  const missing: Array<ReadDoc<AuditRef>> = [];
  for (const ref of refs) {
    const event = byId.get(ref.id);
    if (event === undefined) missing.push(ref);
    else entries.push(renderAuditEntry(event));
  }
  return { entries, missing };
}
