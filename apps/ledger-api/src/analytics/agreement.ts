import { BEHAVIOURS, type Period, type Rating, type SurveyAnswers } from '@ledger/appraisal';
import type { AppraisalView } from '@ledger/read-models';
import { krippendorffAlpha } from './krippendorff';
import { round3 } from './leniency';

/**
 * Agreement among the 360 raters. Reliability data in Krippendorff's sense: the coders are the raters,
 * the units are the seven BerAKHLAK behaviours of one appraisal (across a unit: each appraisal's seven),
 * the values are the ratings on their order, DI_BAWAH 1 < SESUAI 2 < DI_ATAS 3. A behaviour of an
 * appraisal with a single survey is not pairable and counts for nothing.
 */
export const RATING_RANK: Record<Rating, number> = { DI_BAWAH_EKSPEKTASI: 1, SESUAI_EKSPEKTASI: 2, DI_ATAS_EKSPEKTASI: 3 };

/** Two raters agree when they give the same rating on at least this many of the seven behaviours (a majority). */
export const AGREEING_BEHAVIOURS = 4;
/** A rater is judged only beside at least two others: of two who differ, neither is the odd one out. */
export const SURVEYS_TO_JUDGE_A_RATER = 3;

export interface Agreement {
  /** Krippendorff's alpha, ordinal metric, 3 decimals; null when undefined (no pairable value, or none varies). */
  ordinal: number | null;
  /** The exact fraction behind `ordinal`. */
  ordinalExact: string | null;
  /** The same data on the nominal metric (any difference counts fully), 3 decimals. */
  nominal: number | null;
  /** Distinct raters whose answers are pairable (in an appraisal with at least two surveys). */
  raters: number;
  pairableValues: number;
  /** Appraisals whose surveys are pairable. */
  appraisals: number;
}

export interface RaterAgreement {
  raterId: string;
  /** Of the other raters of the same appraisal and period, how many agree with this one. */
  agreesWith: number;
  others: number;
  agreesWithNobody: boolean;
}

export type Survey = { raterId: string; answers: SurveyAnswers };

export const surveysOf = (view: AppraisalView, period: Period): Survey[] => view.periods[period]?.surveys ?? [];

const round = (x: number | null): number | null => (x === null ? null : round3(x));

/** Alpha over the 360 of several appraisals (one: an appraisal's own agreement). */
export function agreementOf(sets: ReadonlyArray<readonly Survey[]>): Agreement {
  const pairable = sets.filter((s) => s.length >= 2);
  const units = pairable.flatMap((surveys) => BEHAVIOURS.map((b) => surveys.map((s) => RATING_RANK[s.answers[b]])));
  const ordinal = krippendorffAlpha(units, 'ordinal');
  return {
    ordinal: round(ordinal.alpha),
    ordinalExact: ordinal.exact,
    nominal: round(krippendorffAlpha(units, 'nominal').alpha),
    raters: new Set(pairable.flat().map((s) => s.raterId)).size,
    pairableValues: ordinal.pairableValues,
    appraisals: pairable.length,
  };
}

const agree = (a: Survey, b: Survey): boolean => BEHAVIOURS.filter((x) => a.answers[x] === b.answers[x]).length >= AGREEING_BEHAVIOURS;

/** Per rater of one appraisal's period, whom they agree with; [] below SURVEYS_TO_JUDGE_A_RATER surveys. */
export function raterAgreements(surveys: readonly Survey[]): RaterAgreement[] {
  if (surveys.length < SURVEYS_TO_JUDGE_A_RATER) return [];
  return surveys.map((s) => {
    const agreesWith = surveys.filter((o) => o !== s && agree(s, o)).length;
    return { raterId: s.raterId, agreesWith, others: surveys.length - 1, agreesWithNobody: agreesWith === 0 };
  });
}
