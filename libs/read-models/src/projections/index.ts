import type { AnyProjection } from '../projection';
import { appraisalsProjection } from './appraisals';
import { auditTrailProjection } from './audit-trail';
import { disputesProjection } from './disputes';
import { officerFeedbackProjection, serviceFeedbackProjection } from './public-feedback';
import { unitsProjection } from './units';

export * from './appraisal-view';
export { APPRAISALS, appraisalsProjection, evolveAppraisalView } from './appraisals';
export { annualOutcome, followUpFor } from './appraisal-query';
export {
  AUDIT_TRAIL,
  auditRefOf,
  auditTrailOf,
  auditTrailProjection,
  evolveAuditRef,
  renderAuditEntry,
  type AuditEntry,
  type AuditRef,
  type RenderedTrail,
} from './audit-trail';
export { describeEvent } from './audit-text';
export { DISPUTES, disputeId, disputesProjection, evolveDispute, type DisputeView } from './disputes';
export { disputeTimeliness, withParticipants, type DisputeWithParticipants } from './disputes-query';
export { UNITS, evolveUnit, unitsProjection, type FinalisationView, type UnitDoc, type UnitPeriodView } from './units';
export { composeUnitView, type UnitAmendment, type UnitMemberView, type UnitPeriodComposite } from './unit-view';
export type { Stamp } from './stored';
export {
  OFFICER_FEEDBACK,
  SERVICE_FEEDBACK,
  evolveOfficerFeedback,
  evolveServiceFeedback,
  officerFeedbackProjection,
  serviceFeedbackProjection,
  type OfficerComment,
  type OfficerFeedbackDoc,
  type ServiceFeedbackDoc,
} from './public-feedback';

/** The read models the ledger keeps. */
export const PROJECTIONS: readonly AnyProjection[] = [
  appraisalsProjection,
  auditTrailProjection,
  disputesProjection,
  unitsProjection,
  serviceFeedbackProjection,
  officerFeedbackProjection,
];
