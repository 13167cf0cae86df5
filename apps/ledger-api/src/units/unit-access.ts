import type { Actor } from '@ledger/appraisal';

/**
 * Who reads a unit, in one place: the unit view, the unit's analytics and the appraisal search
 * ask the same question. AUDITOR and PENGELOLA_KINERJA read every unit; a PIMPINAN_UNIT reads the
 * units they lead (as leader or as the leader one level up), judged by person.
 */
export const readsEveryUnit = (actor: Actor): boolean => actor.role === 'AUDITOR' || actor.role === 'PENGELOLA_KINERJA';

export const leadsUnit = (actor: Actor, unit: { leaderId: string; upperLeaderId: string }): boolean =>
  actor.role === 'PIMPINAN_UNIT' && (actor.id === unit.leaderId || actor.id === unit.upperLeaderId);

export const mayReadUnit = (actor: Actor, unit: { leaderId: string; upperLeaderId: string }): boolean =>
  readsEveryUnit(actor) || leadsUnit(actor, unit);
