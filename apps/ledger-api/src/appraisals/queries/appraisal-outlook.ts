import {
  ANNUAL_PERIOD,
  isObjectionOverdue,
  localDate,
  objectionDeadline,
  objectionDecisionDeadline,
  PERIODS,
  RATINGS,
  type FollowUpFlag,
  type Period,
  type Policy,
  type Predicate,
  type Rating,
} from '@ledger/appraisal';
import { annualOutcome, followUpFor, type AppraisalView, type PeriodView } from '@ledger/read-models';

/**
 * What the appraisal view derives at query time, with the configured policy and clock: the
 * lifecycle status, every deadline, the annual outcome with credit points and follow-up flags, and
 * per period how the three views of the same person compare (self, 360 peers, appraiser) — the
 * ledger's answer to subjectivity: where they diverge is visible to everyone entitled [beyond].
 */
export type LifecycleStatus = 'PLANNING' | 'IN_YEAR' | 'RATED' | 'FINAL' | 'IN_OBJECTION' | 'OBJECTION_DECIDED';

export interface SourceComparison {
  self: { hasilKerja: Rating; perilakuKerja: Rating } | null;
  /** All 360 answers pooled (7 behaviours × raters), anonymous by construction. */
  peers: { raters: number; answers: Record<Rating, number>; mostCommon: Rating | null };
  appraiser: { hasilKerja: Rating; perilakuKerja: Rating; predicate: Predicate; version: number } | null;
  /** Signed steps between the appraiser's rating and the others (+1: the appraiser rated higher). */
  gaps: { selfHasilKerja: number | null; selfPerilakuKerja: number | null; peersPerilakuKerja: number | null };
}

export interface PeriodOutlook {
  objection: { lastDayToFile: string; filingOpen: boolean } | null;
  decision: { deadline: string; overdue: boolean } | null;
  sources: SourceComparison;
}

export interface AppraisalOutlook {
  status: LifecycleStatus;
  planDeadline: string;
  planOverdue: boolean;
  annual: { predicate: Predicate | null; creditPoints: number | null; followUpFlags: FollowUpFlag[] };
  periods: Partial<Record<Period, PeriodOutlook>>;
}

// DI_ATAS = 2, SESUAI = 1, DI_BAWAH = 0: only differences are used, never averages of ratings.
const step = (r: Rating): number => RATINGS.length - 1 - RATINGS.indexOf(r);

export function appraisalOutlook(
  view: AppraisalView,
  employeeYears: readonly AppraisalView[],
  nowIso: string,
  policy: Policy,
): AppraisalOutlook {
  const periods: AppraisalOutlook['periods'] = {};
  for (const period of PERIODS) {
    const p = view.periods[period];
    if (p !== undefined) periods[period] = periodOutlook(p, nowIso, policy);
  }
  const { predicate, creditPoints } = annualOutcome(view);
  return {
    status: statusOf(view),
    planDeadline: view.planDeadline,
    planOverdue: nowIso > view.planDeadline && !['SUBMITTED', 'APPROVED'].includes(view.plan.status),
    annual: { predicate, creditPoints, followUpFlags: predicate === null ? [] : followUpFor([...employeeYears, view], view.year) },
    periods,
  };
}

function statusOf(view: AppraisalView): LifecycleStatus {
  const annual = view.periods[ANNUAL_PERIOD];
  if (annual?.objection?.decision) return 'OBJECTION_DECIDED';
  if (annual?.objection) return 'IN_OBJECTION';
  if (annual?.result) return 'FINAL';
  if (annual?.rating) return 'RATED';
  return view.plan.status === 'APPROVED' ? 'IN_YEAR' : 'PLANNING';
}

function periodOutlook(p: PeriodView, nowIso: string, policy: Policy): PeriodOutlook {
  const lastDayToFile = p.result ? objectionDeadline(p.result.deliveredAt, policy) : null;
  const objection = p.objection;
  return {
    objection:
      lastDayToFile === null
        ? null
        : { lastDayToFile, filingOpen: objection === null && localDate(nowIso, policy.timeZone) <= lastDayToFile },
    decision:
      objection === null
        ? null
        : {
            deadline: objectionDecisionDeadline(objection.filedAt, policy),
            overdue: isObjectionOverdue(objection.filedAt, nowIso, objection.decision !== null, policy),
          },
    sources: compareSources(p),
  };
}

function compareSources(p: PeriodView): SourceComparison {
  const answers = Object.fromEntries(RATINGS.map((r) => [r, 0])) as Record<Rating, number>;
  for (const survey of p.surveys) for (const rating of Object.values(survey.answers)) answers[rating] += 1;
  const total = RATINGS.reduce((sum, r) => sum + answers[r], 0);
  const mostCommon = total === 0 ? null : RATINGS.reduce((best, r) => (answers[r] > answers[best] ? r : best), RATINGS[1]);
  const self = p.selfAssessment ? { hasilKerja: p.selfAssessment.hasilKerja, perilakuKerja: p.selfAssessment.perilakuKerja } : null;
  const r = p.rating;
  const appraiser = r ? { hasilKerja: r.hasilKerja, perilakuKerja: r.perilakuKerja, predicate: r.predicate, version: r.version } : null;
  const gap = (mine: Rating | undefined, theirs: Rating | null | undefined) =>
    mine === undefined || theirs === undefined || theirs === null ? null : step(mine) - step(theirs);
  return {
    self,
    peers: { raters: p.surveys.length, answers, mostCommon },
    appraiser,
    gaps: {
      selfHasilKerja: gap(appraiser?.hasilKerja, self?.hasilKerja),
      selfPerilakuKerja: gap(appraiser?.perilakuKerja, self?.perilakuKerja),
      peersPerilakuKerja: gap(appraiser?.perilakuKerja, mostCommon),
    },
  };
}
