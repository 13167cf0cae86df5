import { randomUUID } from 'node:crypto';
import type { EventStore, NewEvent, StoredEvent } from '@ledger/event-store';
import { messageKey } from '../message';

/**
 * Ledger-shaped events for relay tests: appraisal, access and unit streams with the real stream
 * ids and the types the example consumer reads (AppraisalOpened, ObjectionFiled, ObjectionDecided).
 * The relay does not interpret data; only the stream ids and envelope matter to it.
 */
export const UNITS = ['biro-sdm', 'biro-umum'] as const;

export function nipOf(index: number): string {
  return `1990010120150310${String(index % 100).padStart(2, '0')}`;
}

function event(type: string, data: Record<string, unknown>, minute: number): NewEvent {
  return {
    eventId: randomUUID(),
    type,
    schemaVersion: 1,
    data,
    metadata: {
      actorId: '198002022005011002',
      actorRole: 'PEJABAT_PENILAI',
      occurredAt: new Date(Date.UTC(2025, 2, 1, 3, minute % 60)).toISOString(),
      correlationId: randomUUID(),
      causationId: randomUUID(),
    },
  };
}

/** The n-th event of an appraisal's life: opened first, then filler, an objection at 5 and a decision at 9. */
export function appraisalEvent(appraisalId: string, unitId: string, n: number): NewEvent {
  if (n === 0) return event('AppraisalOpened', { appraisalId, unitId, year: 2025, employeeNip: appraisalId.slice(5) }, n);
  if (n % 10 === 5) return event('ObjectionFiled', { period: 'ANNUAL', reasons: `keberatan ${n}` }, n);
  if (n % 10 === 9) return event('ObjectionDecided', { period: 'ANNUAL', outcome: 'UPHELD', reasons: `putusan ${n}` }, n);
  return event('EvidenceRecorded', { evidenceId: `ev-${n}`, resultId: 'R1', indicatorId: 'R1-I1', period: 'ANNUAL' }, n);
}

/**
 * Appends `rounds` rounds; each round appends one event to every appraisal (interleaving them in
 * the global order), one access-log event to the first appraisal and, every fifth round, one
 * unit-stream event. Returns the appraisal ids.
 */
export async function appendInterleaved(store: EventStore, appraisals: number, rounds: number, offset = 0): Promise<string[]> {
  const ids = Array.from({ length: appraisals }, (_, i) => `2025-${nipOf(i)}`);
  for (let round = offset; round < offset + rounds; round++) {
    for (const [i, id] of ids.entries()) {
      await store.append(`appraisal-${id}`, round === 0 ? 'no_stream' : round - 1, [appraisalEvent(id, UNITS[i % UNITS.length], round)]);
    }
    await store.append(`access-${ids[0]}`, 'any', [event('DisputedAppraisalRead', { appraisalId: ids[0], view: 'HISTORY' }, round)]);
    if (round % 5 === 0) {
      await store.append(`unit-${UNITS[0]}-2025`, 'any', [
        event('OrganisationalPredicateSet', { period: 'ANNUAL', predicate: 'BAIK' }, round),
      ]);
    }
  }
  return ids;
}

/** What the tally must show: ObjectionFiled/Decided per unit of the appraisal (each counted once). */
export function expectedObjections(stored: StoredEvent[]): Array<{ unitId: string; filed: number; decided: number }> {
  const unitOf = new Map<string, string>();
  const counts = new Map<string, { unitId: string; filed: number; decided: number }>();
  for (const event of stored) {
    if (event.type === 'AppraisalOpened') unitOf.set(messageKey(event.streamId), String(event.data.unitId));
    if (event.type !== 'ObjectionFiled' && event.type !== 'ObjectionDecided') continue;
    const unitId = unitOf.get(messageKey(event.streamId)) ?? 'unknown';
    const entry = counts.get(unitId) ?? { unitId, filed: 0, decided: 0 };
    if (event.type === 'ObjectionFiled') entry.filed += 1;
    else entry.decided += 1;
    counts.set(unitId, entry);
  }
  return [...counts.values()].sort((a, b) => a.unitId.localeCompare(b.unitId));
}
