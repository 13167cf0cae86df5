import type { MemberSnapshot } from '../commands';
import { fail } from '../error-codes';
import type { BoundCheck, CheckedAppraisal, UnitFinalised } from '../events';
import { checkDistribution, countPredicates } from '../rules/distribution';
import { predicateFor } from '../rules/predicate';
import type { Period } from '../vocabulary';
import type { UnitState } from './state';

type Checked = Omit<UnitFinalised['data'], 'exception'> & { failed: BoundCheck[] };

/**
 * Everything both finalisations share: the org predicate is set, the members are a non-empty
 * set, every one is rated with a predicate that follows from its ratings, and the distribution
 * is evaluated. The snapshot becomes `checked`: exactly what the finalisation looked at.
 */
export function checkFinalisation(s: UnitState, period: Period, members: MemberSnapshot[]): Checked {
  const organisationalPredicate = s.periods[period].orgPredicate;
  if (!organisationalPredicate) throw fail('ORG_PREDICATE_NOT_SET', { period });
  if (!Array.isArray(members) || members.length === 0) throw fail('NO_MEMBERS', { period });
  const ids = members.map((m) => m.appraisalId);
  const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (duplicates.length > 0) throw fail('DUPLICATE_MEMBER', { appraisalIds: [...new Set(duplicates)] });
  const unrated = members.filter((m) => !m.rating).map((m) => m.appraisalId);
  if (unrated.length > 0) throw fail('MEMBERS_NOT_RATED', { period, unrated });
  const checked = members.map(toChecked);
  const n = checked.length;
  const counts = countPredicates(checked.map((c) => c.predicate));
  const bounds = checkDistribution(organisationalPredicate, counts, n);
  return { period, organisationalPredicate, checked, counts, n, bounds, failed: bounds.filter((b) => !b.ok) };
}

function toChecked(m: MemberSnapshot): CheckedAppraisal {
  const r = m.rating;
  if (!r) throw fail('MEMBERS_NOT_RATED', { unrated: [m.appraisalId] });
  if (predicateFor(r.hasilKerja, r.perilakuKerja) !== r.predicate) {
    throw fail('SNAPSHOT_INCONSISTENT', { appraisalId: m.appraisalId, predicate: r.predicate });
  }
  return {
    appraisalId: m.appraisalId,
    revision: m.revision,
    predicate: r.predicate,
    hasilKerja: r.hasilKerja,
    perilakuKerja: r.perilakuKerja,
    ratingVersion: r.version,
  };
}
