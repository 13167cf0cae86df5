import type { Period } from './vocabulary';
import { PERIODS } from './vocabulary';

/** Settings the regulation leaves to the agency ([policy] in DOMAIN.md), with its defaults. */
export interface Policy {
  /** IANA time zone in which calendar days are counted. */
  timeZone: string;
  /** Plan deadline as month-day in the appraisal year, end of that day in timeZone. */
  planDeadlineMonthDay: string;
  /** Objection window in calendar days after delivery (day N is still in time). [law: 14] */
  objectionWindowDays: number;
  /** Days the superior has to decide an objection, counted from filing. */
  objectionDecisionDays: number;
  /**
   * A period's evaluation (self-assessment, 360 survey, rating, finalisation) opens on the first
   * day of the period's last N months, agency time zone [policy: 1, the period's last month].
   */
  evaluationOpensMonthsBeforeEnd: number;
  /** Evaluation periods in use. */
  periods: Period[];
  /**
   * Fewest 360 surveys of one period that the employee (and any analytics) may see the answers of,
   * pooled per behaviour; below it a group is too small to hide in [beyond: 3].
   */
  surveyMinimumGroup: number;
  /** Days a public feedback code stays valid after it was issued [policy: 7]. */
  feedbackCodeValidDays: number;
  /**
   * Fewest SKM responses of one group (a service, a unit, an officer, in one period) before its
   * means, IKM and grade are shown; below it only the count [beyond: 3, like surveyMinimumGroup].
   */
  feedbackMinimumResponses: number;
}

export const DEFAULT_POLICY: Policy = {
  timeZone: 'Asia/Jakarta',
  planDeadlineMonthDay: '01-31',
  objectionWindowDays: 14,
  objectionDecisionDays: 14,
  evaluationOpensMonthsBeforeEnd: 1,
  periods: [...PERIODS],
  surveyMinimumGroup: 3,
  feedbackCodeValidDays: 7,
  feedbackMinimumResponses: 3,
};
