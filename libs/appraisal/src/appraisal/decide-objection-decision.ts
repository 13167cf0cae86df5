import type { DecideObjection } from '../commands';
import type { DecisionContext } from '../decider';
import { fail } from '../error-codes';
import type { AppraisalEvent, ObjectionDecided } from '../events';
import { requireOneOf, requireText } from '../guards';
import { predicateFor } from '../rules/predicate';
import { OBJECTION_OUTCOMES, STATEMENT_PARTIES } from '../vocabulary';
import { validateRatingPair } from './decide-rating';
import { requireRating } from './preconditions';
import { asDecider } from './relations';
import type { AppraisalState } from './state';

/**
 * The superior decides, never the appraiser, after hearing both parties. The decision is final.
 * A decision after the decision deadline is still recorded: lateness is flagged by the read side.
 */
export function decideObjection(c: DecideObjection, s: AppraisalState, ctx: DecisionContext): AppraisalEvent[] {
  const period = asDecider(s, c.data.period, ctx);
  const objection = s.periods[period].objection;
  if (!objection) throw fail('NO_OBJECTION', { period });
  if (objection.decision) throw fail('OBJECTION_ALREADY_DECIDED', { period, outcome: objection.decision.outcome });
  const missing = STATEMENT_PARTIES.filter((p) => objection.statements[p] === undefined);
  if (missing.length > 0) throw fail('STATEMENTS_MISSING', { period, missing });
  const outcome = requireOneOf(c.data.outcome, OBJECTION_OUTCOMES, 'outcome');
  const reasons = requireText(c.data.reasons, 'reasons');
  const current = requireRating(s, period);
  const base = { period, outcome, reasons, previousPredicate: current.predicate };
  if (outcome === 'UPHELD') {
    if (c.data.amended !== undefined) throw fail('AMENDMENT_NOT_ALLOWED', { field: 'amended' });
    return [{ type: 'ObjectionDecided', data: base }];
  }
  if (c.data.amended === undefined || c.data.amended === null) throw fail('AMENDMENT_REQUIRED', { field: 'amended' });
  const pair = validateRatingPair(c.data.amended, 'amended.');
  if (pair.hasilKerja === current.hasilKerja && pair.perilakuKerja === current.perilakuKerja) {
    throw fail('AMENDMENT_UNCHANGED', { hasilKerja: current.hasilKerja, perilakuKerja: current.perilakuKerja });
  }
  const amended: ObjectionDecided['data']['amended'] = { ...pair, predicate: predicateFor(pair.hasilKerja, pair.perilakuKerja) };
  return [{ type: 'ObjectionDecided', data: { ...base, amended } }];
}
