import { actAs } from '../authorise';
import type { DecisionContext } from '../decider';
import type { AppraisalState } from './state';

/** The relationships of one appraisal, as named when it was opened or last reassigned. */
export const asEmployee = (s: AppraisalState, ctx: DecisionContext): void => actAs(ctx, 'PEGAWAI', s.employeeNip, 'NOT_THE_EMPLOYEE');
export const asAppraiser = (s: AppraisalState, ctx: DecisionContext): void =>
  actAs(ctx, 'PEJABAT_PENILAI', s.appraiserId, 'NOT_THE_APPRAISER');
export const asSuperior = (s: AppraisalState, ctx: DecisionContext): void =>
  actAs(ctx, 'ATASAN_PEJABAT_PENILAI', s.superiorId, 'NOT_THE_SUPERIOR');
