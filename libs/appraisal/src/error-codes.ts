import { DomainError, type ErrorKind } from './errors';

type Entry = { kind: ErrorKind; description: string };
const e = (kind: ErrorKind, description: string): Entry => ({ kind, description });

/**
 * Every stable error code the domain throws, with its kind. The API docs list this table; a code,
 * once published, never changes meaning. `details` always names the offending field or the facts.
 */
export const ERROR_CODES = {
  // ---- authorisation (by relationship) ----------------------------------------------------
  AUDITOR_READ_ONLY: e('FORBIDDEN', 'Auditors read and verify; they never write appraisal facts.'),
  ROLE_NOT_ALLOWED: e('FORBIDDEN', 'The acting role may not issue this command.'),
  NOT_THE_EMPLOYEE: e('FORBIDDEN', 'Only the appraised employee (pegawai) of this appraisal may do this.'),
  NOT_THE_APPRAISER: e('FORBIDDEN', 'Only the appraiser (pejabat penilai) named on this appraisal may do this.'),
  NOT_THE_SUPERIOR: e('FORBIDDEN', "Only the appraiser's superior named on this appraisal may do this."),
  NOT_AN_ASSIGNED_RATER: e('FORBIDDEN', 'Only a rater assigned for this period may submit the survey.'),
  NOT_THE_ASSIGNED_REVIEWER: e('FORBIDDEN', 'Only the reviewer assigned to this objection may submit findings.'),
  APPRAISER_CANNOT_DECIDE_OBJECTION: e('FORBIDDEN', 'The appraiser never decides an objection to their own rating.'),
  NOT_THE_UNIT_LEADER: e('FORBIDDEN', 'Only the leader of this unit may do this.'),
  NOT_THE_UPPER_LEADER: e('FORBIDDEN', 'Only the leader one level up may record a distribution exception.'),
  // ---- input validation ---------------------------------------------------------------------
  TEXT_REQUIRED: e('VALIDATION', 'A required text is missing or blank.'),
  TEXT_TOO_LONG: e('VALIDATION', 'A text exceeds its maximum length.'),
  INVALID_NIP: e('VALIDATION', 'A NIP must be exactly 18 digits.'),
  INVALID_VALUE: e('VALIDATION', 'A value is not one of the allowed choices.'),
  INVALID_NUMBER: e('VALIDATION', 'A number is missing, not finite or out of range.'),
  INVALID_YEAR: e('VALIDATION', 'The year must be an integer between 2000 and 2100.'),
  INVALID_INSTANT: e('VALIDATION', 'An instant must be an ISO 8601 date-time with a zone offset.'),
  INVALID_DATE: e('VALIDATION', 'A date must be a real calendar date written YYYY-MM-DD.'),
  INVALID_SHA256: e('VALIDATION', 'A document hash must be 64 lower-case hexadecimal characters.'),
  INVALID_URI: e('VALIDATION', 'A document reference must be an absolute URI without spaces.'),
  PERIOD_NOT_IN_USE: e('VALIDATION', "The period is not one of the agency's evaluation periods."),
  APPRAISAL_ID_MISMATCH: e('VALIDATION', 'The appraisal id must be derived from the year and the NIP.'),
  PARTIES_NOT_DISTINCT: e('VALIDATION', 'Employee, appraiser and superior must be three different people.'),
  PLAN_WITHOUT_MAIN_RESULT: e('VALIDATION', 'A plan needs at least one main (UTAMA) work result.'),
  RESULT_WITHOUT_INDICATOR: e('VALIDATION', 'Every work result needs at least one indicator.'),
  DUPLICATE_PLAN_ID: e('VALIDATION', 'Result ids, and indicator ids, must be unique within the plan.'),
  PLAN_TOO_LARGE: e('VALIDATION', 'The plan has more results or indicators than allowed.'),
  UNKNOWN_RESULT: e('VALIDATION', 'The referenced work result does not exist.'),
  UNKNOWN_INDICATOR: e('VALIDATION', 'The referenced indicator does not exist in that result.'),
  UNKNOWN_EVIDENCE: e('VALIDATION', 'The referenced evidence does not exist.'),
  FEEDBACK_SUBJECT_AMBIGUOUS: e('VALIDATION', 'Feedback may be about at most one result, behaviour or evidence.'),
  SURVEY_INCOMPLETE: e('VALIDATION', 'A survey answers exactly the seven BerAKHLAK behaviours.'),
  SNAPSHOT_MISMATCH: e('VALIDATION', 'The checked snapshot does not belong to this appraisal or unit.'),
  SNAPSHOT_INCONSISTENT: e('VALIDATION', 'A member snapshot predicate does not follow from its ratings.'),
  DUPLICATE_MEMBER: e('VALIDATION', 'An appraisal appears more than once among the unit members.'),
  NO_MEMBERS: e('VALIDATION', 'A unit cannot be finalised without member appraisals.'),
  AMENDMENT_REQUIRED: e('VALIDATION', 'An AMENDED decision needs the amended ratings.'),
  AMENDMENT_NOT_ALLOWED: e('VALIDATION', 'An UPHELD decision carries no amended ratings.'),
  AMENDMENT_UNCHANGED: e('VALIDATION', 'Amended ratings must differ from the current ratings.'),
  LEADERS_NOT_DISTINCT: e('VALIDATION', 'The unit leader and the leader one level up must differ.'),
  // ---- existence and conflicts ------------------------------------------------------------------
  APPRAISAL_NOT_FOUND: e('NOT_FOUND', 'No appraisal has been opened under this id.'),
  UNIT_NOT_FOUND: e('NOT_FOUND', 'No unit has been opened for this id and year.'),
  FEEDBACK_NOT_FOUND: e('NOT_FOUND', 'No feedback with this id exists on the appraisal.'),
  APPRAISAL_ALREADY_OPENED: e('CONFLICT', 'This appraisal is already open.'),
  UNIT_ALREADY_OPENED: e('CONFLICT', 'This unit is already open for the year.'),
  EVIDENCE_ID_TAKEN: e('CONFLICT', 'Evidence with this id was already recorded.'),
  FEEDBACK_ID_TAKEN: e('CONFLICT', 'Feedback with this id was already given.'),
  RATING_CHANGED_SINCE_CHECK: e('CONFLICT', 'The rating changed after the unit checked it.'),
  // ---- rules that said no ------------------------------------------------------------------------
  PLAN_NOT_EDITABLE: e('ILLEGAL_STATE', 'The plan is submitted or approved; it can no longer be drafted.'),
  PLAN_NOT_DRAFTED: e('ILLEGAL_STATE', 'There is no draft to submit.'),
  PLAN_NOT_SUBMITTED: e('ILLEGAL_STATE', 'The plan is not awaiting the appraiser.'),
  PLAN_NOT_APPROVED: e('ILLEGAL_STATE', 'This needs an approved plan.'),
  PLAN_ALREADY_SUBMITTED: e('ILLEGAL_STATE', 'A plan is awaiting the appraiser; no default plan is needed.'),
  PLAN_ALREADY_APPROVED: e('ILLEGAL_STATE', 'A plan is already approved; no default plan is needed.'),
  PLAN_DEADLINE_NOT_PASSED: e('ILLEGAL_STATE', 'A default plan may only be set after the plan deadline.'),
  REVISION_ALREADY_PENDING: e('ILLEGAL_STATE', 'A plan revision is already awaiting the appraiser.'),
  NO_PENDING_REVISION: e('ILLEGAL_STATE', 'No plan revision is awaiting the appraiser.'),
  RESULT_ALREADY_FINAL: e('ILLEGAL_STATE', 'The result of this period is final (delivered).'),
  ALREADY_SELF_ASSESSED: e('ILLEGAL_STATE', 'The employee already self-assessed this period.'),
  RATER_IS_EMPLOYEE: e('ILLEGAL_STATE', 'The employee never rates themself in the 360 survey.'),
  RATER_IS_APPRAISER: e('ILLEGAL_STATE', 'The appraiser is never a 360 rater of the same appraisal.'),
  RATER_ALREADY_ASSIGNED: e('ILLEGAL_STATE', 'This rater is already assigned for the period.'),
  SURVEY_ALREADY_SUBMITTED: e('ILLEGAL_STATE', 'This rater already submitted the survey for the period.'),
  ALREADY_RATED: e('ILLEGAL_STATE', 'The period is already rated; revise the rating instead.'),
  NOT_RATED: e('ILLEGAL_STATE', 'The period has no rating yet.'),
  RESULT_NOT_DELIVERED: e('ILLEGAL_STATE', 'The result of this period has not been delivered.'),
  OBJECTION_WINDOW_CLOSED: e('ILLEGAL_STATE', 'The objection window after delivery has closed.'),
  OBJECTION_ALREADY_FILED: e('ILLEGAL_STATE', 'An objection to this result was already filed.'),
  NO_OBJECTION: e('ILLEGAL_STATE', 'No objection was filed for this period.'),
  OBJECTION_ALREADY_DECIDED: e('ILLEGAL_STATE', 'The objection is decided; the decision is final.'),
  STATEMENT_ALREADY_RECORDED: e('ILLEGAL_STATE', "This party's statement is already recorded."),
  STATEMENTS_MISSING: e('ILLEGAL_STATE', 'Both statements must be recorded before deciding.'),
  REVIEWER_ALREADY_ASSIGNED: e('ILLEGAL_STATE', 'A reviewer is already assigned to this objection.'),
  REVIEWER_HAS_OTHER_ROLE: e('ILLEGAL_STATE', 'A reviewer has no other role in the appraisal.'),
  FINDINGS_ALREADY_SUBMITTED: e('ILLEGAL_STATE', 'The reviewer already submitted findings.'),
  PERIOD_ALREADY_FINALISED: e('ILLEGAL_STATE', 'The unit period is already finalised.'),
  ORG_PREDICATE_NOT_SET: e('ILLEGAL_STATE', 'The organisational predicate for the period is not set.'),
  MEMBERS_NOT_RATED: e('ILLEGAL_STATE', 'Some member appraisals are not rated for the period.'),
  DISTRIBUTION_NOT_FITTING: e('ILLEGAL_STATE', 'The predicates do not fit the organisational pattern.'),
  EXCEPTION_NOT_NEEDED: e('ILLEGAL_STATE', 'The distribution fits; no exception is needed.'),
} as const satisfies Record<string, Entry>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The one way the domain builds errors: the kind always comes from the table. */
export const fail = (code: ErrorCode, details?: Record<string, unknown>, message?: string): DomainError =>
  new DomainError(ERROR_CODES[code].kind, code, message ?? ERROR_CODES[code].description, details);
