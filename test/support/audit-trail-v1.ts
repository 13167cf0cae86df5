import type { StoredEvent } from '@ledger/event-store';
import { describeEvent } from '@ledger/read-models';

/**
 * Version 2 of the audit trail stores a reference per event and renders the entry when it is read.
 * The answer must be what version 1 stored and served, byte for byte: `storedByVersion1` is that
 * fold (commit 69fea30's libs/read-models/src/projections/audit-trail.ts), restated without the
 * library's stream helpers so that a change there cannot move the reference the rendering is held
 * to; test/audit-trail.e2e.spec.ts's comparison passed against version 1 itself. Only the sentence
 * is the library's (describeEvent): the text is not what changed.
 */
export function storedByVersion1(event: StoredEvent): Record<string, unknown> {
  const unit = /^unit-(.+)-(\d{4})$/.exec(event.streamId);
  const appraisalId = /^(?:appraisal|access)-(.+)$/.exec(event.streamId)?.[1] ?? null;
  const opened = event.type === 'AppraisalOpened' && typeof event.data.unitId === 'string' ? event.data.unitId : null;
  const year = appraisalId === null ? undefined : /^(\d{4})-(\d{18})$/.exec(appraisalId)?.[1];
  const { metadata } = event;
  return {
    eventId: event.eventId,
    streamId: event.streamId,
    appraisalId,
    unitId: unit?.[1] ?? opened,
    year: unit === null ? (year === undefined ? null : Number(year)) : Number(unit[2]),
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

/** What version 1 answered for an appraisal: its stored entries (a JSON round trip) in position order. */
export const version1Trail = (events: readonly StoredEvent[], appraisalId: string) =>
  events
    .map(storedByVersion1)
    .filter((entry) => entry.appraisalId === appraisalId)
    .map((entry) => JSON.parse(JSON.stringify(entry)) as ReturnType<typeof storedByVersion1>);
