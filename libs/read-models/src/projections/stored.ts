import type { AppraisalEvent, DisputedAppraisalRead, UnitEvent } from '@ledger/appraisal';
import type { StoredEvent } from '@ledger/event-store';

/** A stored envelope whose type/data are one of the domain's event shapes (narrowable by `type`). */
export type Stored<E extends { type: string; data: unknown }> = Omit<StoredEvent, 'type' | 'data'> & E;

/**
 * The trust boundary from the untyped envelope to domain types: the projector only hands a
 * projection the types listed in its `handles`, and the store validated the shapes on append.
 */
export const asDomain = <E extends { type: string; data: unknown }>(event: StoredEvent): Stored<E> => event as unknown as Stored<E>;

export type StoredAppraisalEvent = Stored<AppraisalEvent>;
export type StoredUnitEvent = Stored<UnitEvent>;
export type StoredAccessEvent = Stored<DisputedAppraisalRead>;

/** Who and when, as every view records it. */
export interface Stamp {
  at: string;
  by: string;
}
export const stampOf = (event: Pick<StoredEvent, 'metadata'>): Stamp => ({ at: event.metadata.occurredAt, by: event.metadata.actorId });

const APPRAISAL_PREFIX = 'appraisal-';
const ACCESS_PREFIX = 'access-';
const UNIT_PREFIX = 'unit-';

/** The appraisal an appraisal stream (`appraisal-<id>`) or access stream (`access-<id>`) is about. */
export function appraisalIdOfStream(streamId: string): string | null {
  if (streamId.startsWith(APPRAISAL_PREFIX)) return streamId.slice(APPRAISAL_PREFIX.length);
  if (streamId.startsWith(ACCESS_PREFIX)) return streamId.slice(ACCESS_PREFIX.length);
  return null;
}

/** `unit-<unitId>-<year>` → its key `<unitId>-<year>` and parts (unit ids may contain '-'). */
export function unitOfStream(streamId: string): { key: string; unitId: string; year: number } | null {
  if (!streamId.startsWith(UNIT_PREFIX)) return null;
  const key = streamId.slice(UNIT_PREFIX.length);
  const match = /^(.+)-(\d{4})$/.exec(key);
  return match === null ? null : { key, unitId: match[1], year: Number(match[2]) };
}

/** Appraisal ids are `<year>-<nip>` (appraisalIdFor); anything else yields nulls, not guesses. */
export function partsOfAppraisalId(appraisalId: string): { year: number | null; employeeNip: string | null } {
  const match = /^(\d{4})-(\d{18})$/.exec(appraisalId);
  return match === null ? { year: null, employeeNip: null } : { year: Number(match[1]), employeeNip: match[2] };
}

/** The event types of a union as a list, checked complete by the compiler (a Record needs every key). */
export const typesOf = <T extends string>(all: Record<T, true>): readonly T[] => Object.keys(all) as T[];

/** Exhaustive at compile time; at run time a type from a newer writer leaves the document as it was. */
export const ignoreUnknown = <D>(doc: D, _event: never): D => doc;
