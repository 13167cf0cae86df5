import { ALL_EVENT_TYPES } from '@ledger/appraisal';
import type { StoredEvent } from '@ledger/event-store';
import type { Projection } from '../projection';
import { describeEvent } from './audit-text';
import { appraisalIdOfStream, partsOfAppraisalId, unitOfStream } from './stored';

export const AUDIT_TRAIL = 'audit_trail';

/** The `audit_trail` document (id = eventId): one per event, the envelope plus a readable summary. */
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

// Every stored type (ALL_EVENT_TYPES: the domain's and the access log's): nothing goes unaudited.
const HANDLES: readonly string[] = ALL_EVENT_TYPES;

const AUDITED_STREAMS = /^(appraisal|unit|access|service)-/;

export const auditTrailProjection: Projection<AuditEntry> = {
  name: 'audit_trail',
  collection: AUDIT_TRAIL,
  handles: HANDLES,
  idsOf: (event) => (AUDITED_STREAMS.test(event.streamId) ? [event.eventId] : []),
  evolve: evolveAuditEntry,
  indexes: ['streamId', 'appraisalId'],
  insertOnly: true, // one entry per event (id = eventId), never changed after
};

/** Pure. An entry is written once and never changes: the ledger it mirrors is append-only. */
export function evolveAuditEntry(doc: AuditEntry | null, event: StoredEvent): AuditEntry | null {
  if (doc !== null) return doc;
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
