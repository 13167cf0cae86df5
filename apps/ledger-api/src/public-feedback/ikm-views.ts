import { ikmOf, mergeTallies, PERIODS, type Period, type SkmScores, type SkmTally } from '@ledger/appraisal';
import type { OfficerFeedbackDoc, ServiceFeedbackDoc } from '@ledger/read-models';

/** One group's figure in one period; below the minimum only the count shows (no means, no IKM). */
export interface IkmFigure {
  responses: number;
  /** Whether the group reached the minimum number of responses (policy feedbackMinimumResponses). */
  shown: boolean;
  ikm: number | null;
  grade: 'A' | 'B' | 'C' | 'D' | null;
  gradeLabel: string | null;
  elementMeans: SkmScores | null;
}

export function figureOf(tally: SkmTally | undefined, minimum: number): IkmFigure {
  const result = tally === undefined ? null : ikmOf(tally);
  const responses = tally?.responses ?? 0;
  if (result === null || responses < minimum) {
    return { responses, shown: false, ikm: null, grade: null, gradeLabel: null, elementMeans: null };
  }
  return { responses, shown: true, ikm: result.ikm, grade: result.grade, gradeLabel: result.gradeLabel, elementMeans: result.elementMeans };
}

export const perPeriod = (periods: Partial<Record<Period, SkmTally>>, minimum: number): Record<Period, IkmFigure> =>
  Object.fromEntries(PERIODS.map((p) => [p, figureOf(periods[p], minimum)])) as Record<Period, IkmFigure>;

/** A unit's IKM is its services' responses together (the annex computes an index over all respondents). */
export function unitTally(services: readonly ServiceFeedbackDoc[], period: Period): SkmTally | undefined {
  const tallies = services.flatMap((s) => (s.periods[period] === undefined ? [] : [s.periods[period]]));
  return tallies.length === 0 ? undefined : mergeTallies(tallies);
}

export interface ServiceIkm {
  serviceId: string;
  name: string | null;
  periods: Record<Period, IkmFigure>;
}

export interface PublicUnitIkm {
  unitId: string;
  year: number;
  minimumResponses: number;
  unit: Record<Period, IkmFigure>;
  services: ServiceIkm[];
}

/** What the public sees of a unit's year: aggregates per service and for the unit, never a response. */
export function publicUnitIkm(unitId: string, year: number, services: readonly ServiceFeedbackDoc[], minimum: number): PublicUnitIkm {
  const sorted = [...services].sort((a, b) => a.serviceId.localeCompare(b.serviceId));
  return {
    unitId,
    year,
    minimumResponses: minimum,
    unit: Object.fromEntries(PERIODS.map((p) => [p, figureOf(unitTally(sorted, p), minimum)])) as Record<Period, IkmFigure>,
    services: sorted.map((s) => ({ serviceId: s.serviceId, name: s.name, periods: perPeriod(s.periods, minimum) })),
  };
}

/** Evidence for "Berorientasi Pelayanan": the officer's own SKM feedback of the appraisal year. */
export interface OfficerPublicFeedback {
  behaviour: 'BERORIENTASI_PELAYANAN';
  minimumResponses: number;
  periods: Record<Period, IkmFigure>;
  comments: OfficerFeedbackDoc['years'][string]['comments'];
}

export function officerPublicFeedback(doc: OfficerFeedbackDoc | null, year: number, minimum: number): OfficerPublicFeedback {
  const y = doc?.years[String(year)];
  return {
    behaviour: 'BERORIENTASI_PELAYANAN',
    minimumResponses: minimum,
    periods: perPeriod(y?.periods ?? {}, minimum),
    comments: y?.comments ?? [],
  };
}

export interface UnitPublicFeedback {
  minimumResponses: number;
  unit: IkmFigure;
  services: { serviceId: string; name: string | null; figure: IkmFigure }[];
}

/** The unit view's IKM for one period: what a leader may cite beside the organisational achievement. */
export function unitPublicFeedback(services: readonly ServiceFeedbackDoc[], period: Period, minimum: number): UnitPublicFeedback {
  const sorted = [...services].sort((a, b) => a.serviceId.localeCompare(b.serviceId));
  return {
    minimumResponses: minimum,
    unit: figureOf(unitTally(sorted, period), minimum),
    services: sorted.map((s) => ({ serviceId: s.serviceId, name: s.name, figure: figureOf(s.periods[period], minimum) })),
  };
}
