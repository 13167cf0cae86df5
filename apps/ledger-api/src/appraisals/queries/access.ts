import { PERIODS, type Actor, type AppraisalState } from '@ledger/appraisal';
import type { AppraisalView } from '@ledger/read-models';
import { ProblemException } from '../../problems/problem';

/**
 * Who may read one appraisal. Authorisation is by relationship, as for commands: the role must
 * fit AND the person must hold that relationship to this appraisal.
 */
export interface ReadRelations {
  employeeNip: string;
  appraiserId: string;
  superiorId: string;
  /** Leader and leader one level up of the appraisal's unit (empty if the unit is unknown). */
  unitLeaders: string[];
  /** Reviewers assigned to an objection on this appraisal that is not decided yet. */
  activeReviewers: string[];
  /** Some period has an objection (decided or not): reads by reviewers and auditors are logged. */
  disputed: boolean;
}

export function assertMayRead(actor: Actor, r: ReadRelations): void {
  if (!mayRead(actor, r)) {
    throw new ProblemException('NOT_ENTITLED', `A ${actor.role} without a relationship to this appraisal may not read it`, {
      details: { role: actor.role },
    });
  }
}

export function mayRead(actor: Actor, r: ReadRelations): boolean {
  switch (actor.role) {
    case 'AUDITOR':
    case 'PENGELOLA_KINERJA':
      return true;
    case 'PEGAWAI':
      return actor.id === r.employeeNip;
    case 'PEJABAT_PENILAI':
      return actor.id === r.appraiserId;
    case 'ATASAN_PEJABAT_PENILAI':
      return actor.id === r.superiorId;
    case 'PIMPINAN_UNIT':
      return r.unitLeaders.includes(actor.id);
    // A reviewer reads only while assigned: once the objection is decided, the review is over.
    case 'PENINJAU':
      return r.activeReviewers.includes(actor.id);
    // Raters submit a survey; they do not read the appraisal.
    case 'REKAN_KERJA':
      return false;
    // A service follows the whole ledger through /feed (or Kafka), not appraisal by appraisal.
    case 'LAYANAN_INTERNAL':
      return false;
    // The public reads aggregates on the public pages, never an appraisal.
    case 'MASYARAKAT':
      return false;
    default:
      return unreachable(actor.role);
  }
}

/** Reads by a reviewer or an auditor of a disputed appraisal become ledger facts [beyond]. */
export const isLoggedRead = (actor: Actor, r: ReadRelations): boolean =>
  r.disputed && (actor.role === 'PENINJAU' || actor.role === 'AUDITOR');

export function relationsOfView(view: AppraisalView, unitLeaders: string[]): ReadRelations {
  const objections = Object.values(view.periods).flatMap((p) => (p?.objection ? [p.objection] : []));
  return {
    employeeNip: view.employeeNip,
    appraiserId: view.appraiserId,
    superiorId: view.superiorId,
    unitLeaders,
    activeReviewers: objections.flatMap((o) => (o.decision === null && o.reviewerId !== null ? [o.reviewerId] : [])),
    disputed: objections.length > 0,
  };
}

export function relationsOfState(state: AppraisalState, unitLeaders: string[]): ReadRelations {
  const objections = PERIODS.flatMap((p) => (state.periods[p].objection ? [state.periods[p].objection] : []));
  return {
    employeeNip: state.employeeNip,
    appraiserId: state.appraiserId,
    superiorId: state.superiorId,
    unitLeaders,
    activeReviewers: objections.flatMap((o) => (o !== null && o.decision === null && o.reviewerId !== null ? [o.reviewerId] : [])),
    disputed: objections.length > 0,
  };
}

function unreachable(value: never): never {
  throw new Error(`unhandled role ${String(value)}`);
}
