import { requireRole } from '../authorise';
import type { DeliverResult, RatePerformance, ReviseRating } from '../commands';
import type { DecisionContext } from '../decider';
import { fail } from '../error-codes';
import { unitStreamId, type AppraisalEvent, type RatingPair } from '../events';
import { requireEvaluationOpen, requireOneOf, requirePeriod, requireText } from '../guards';
import { predicateFor } from '../rules/predicate';
import { RATINGS } from '../vocabulary';
import { requireApprovedPlan, requireNotFinal, requireRating } from './preconditions';
import { asAppraiser } from './relations';
import type { AppraisalState } from './state';

/** Both ratings with a written justification each [beyond]; shared by rating, revision and amendment. */
export function validateRatingPair(pair: RatingPair, prefix = ''): RatingPair {
  return {
    hasilKerja: requireOneOf(pair?.hasilKerja, RATINGS, `${prefix}hasilKerja`),
    hasilKerjaJustification: requireText(pair.hasilKerjaJustification, `${prefix}hasilKerjaJustification`),
    perilakuKerja: requireOneOf(pair.perilakuKerja, RATINGS, `${prefix}perilakuKerja`),
    perilakuKerjaJustification: requireText(pair.perilakuKerjaJustification, `${prefix}perilakuKerjaJustification`),
  };
}

export function ratePerformance(c: RatePerformance, s: AppraisalState, ctx: DecisionContext): AppraisalEvent[] {
  asAppraiser(s, ctx);
  requireApprovedPlan(s);
  const period = requirePeriod(c.data.period, ctx.policy);
  if (s.periods[period].rating) throw fail('ALREADY_RATED', { period, version: s.periods[period].rating?.version });
  requireEvaluationOpen(s.year, period, ctx);
  // SE MenPANRB 3/2023: the organisational predicate fixes the pattern before the appraisers rate.
  if (c.data.unit?.orgPredicates[period] === undefined) throw fail('ORG_PREDICATE_FIRST', { period, unitId: s.unitId });
  // Joined after the unit finalised this period: such a rating could never be delivered.
  if (c.data.unit.finalisedPeriods.includes(period)) throw fail('PERIOD_ALREADY_FINALISED', { period, unitId: s.unitId });
  const pair = validateRatingPair(c.data);
  const predicate = predicateFor(pair.hasilKerja, pair.perilakuKerja);
  return [{ type: 'PerformanceRated', data: { period, ...pair, version: 1, predicate } }];
}

/** A correction is a new version pointing at the one it supersedes; both stay in the ledger. */
export function reviseRating(c: ReviseRating, s: AppraisalState, ctx: DecisionContext): AppraisalEvent[] {
  asAppraiser(s, ctx);
  const period = requirePeriod(c.data.period, ctx.policy);
  const current = requireRating(s, period);
  requireNotFinal(s, period);
  const pair = validateRatingPair(c.data);
  const reason = requireText(c.data.reason, 'reason');
  if (pair.hasilKerja === current.hasilKerja && pair.perilakuKerja === current.perilakuKerja) {
    throw fail('REVISION_UNCHANGED', {
      period,
      hasilKerja: current.hasilKerja,
      perilakuKerja: current.perilakuKerja,
      version: current.version,
    });
  }
  const predicate = predicateFor(pair.hasilKerja, pair.perilakuKerja);
  return [
    {
      type: 'RatingRevised',
      data: { period, ...pair, version: current.version + 1, supersedesVersion: current.version, predicate, reason },
    },
  ];
}

/**
 * Issued by the unit finalisation in the name of the finalising unit leader (the appraisal
 * cannot see the unit's leaders; the finalisation handler is the only caller). The checked
 * version must still be in force, otherwise the unit checked something that no longer holds.
 */
export function deliverResult(c: DeliverResult, s: AppraisalState, ctx: DecisionContext): AppraisalEvent[] {
  requireRole(ctx, 'PIMPINAN_UNIT');
  const period = requirePeriod(c.data.period, ctx.policy);
  const checked = c.data.checked;
  const expectedUnit = unitStreamId(s.unitId, s.year);
  if (checked?.appraisalId !== s.appraisalId || c.data.unitStreamId !== expectedUnit) {
    throw fail('SNAPSHOT_MISMATCH', {
      appraisalId: checked?.appraisalId,
      unitStreamId: c.data.unitStreamId,
      expected: { appraisalId: s.appraisalId, unitStreamId: expectedUnit },
    });
  }
  const rating = requireRating(s, period);
  requireNotFinal(s, period);
  const unchanged =
    checked.ratingVersion === rating.version &&
    checked.predicate === rating.predicate &&
    checked.hasilKerja === rating.hasilKerja &&
    checked.perilakuKerja === rating.perilakuKerja;
  if (!unchanged)
    throw fail('RATING_CHANGED_SINCE_CHECK', { period, checkedVersion: checked.ratingVersion, currentVersion: rating.version });
  const { hasilKerja, perilakuKerja, predicate, version } = rating;
  return [
    {
      type: 'ResultDelivered',
      data: { period, hasilKerja, perilakuKerja, predicate, ratingVersion: version, unitStreamId: expectedUnit, deliveredAt: ctx.now },
    },
  ];
}
