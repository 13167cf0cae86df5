import { countPredicates, checkDistribution } from './distribution';
import type { OrgPredicate, Predicate } from '../vocabulary';

/** A unit of n appraisals: the given counts, the rest BAIK unless `rest` says otherwise. */
function unit(n: number, given: Partial<Record<Predicate, number>>, rest: Predicate = 'BAIK'): Predicate[] {
  const list = Object.entries(given).flatMap(([p, k]) => Array<Predicate>(k ?? 0).fill(p as Predicate));
  return [...list, ...Array<Predicate>(n - list.length).fill(rest)];
}
const check = (org: OrgPredicate, predicates: Predicate[]) => checkDistribution(org, countPredicates(predicates), predicates.length);
const ruleOk = (org: OrgPredicate, predicates: Predicate[], rule: string) => {
  const bound = check(org, predicates).find((b) => b.rule === rule);
  if (!bound) throw new Error(`no bound ${rule}`);
  return bound.ok;
};

describe('countPredicates', () => {
  it('counts every predicate, zero for the absent ones', () => {
    expect(countPredicates(['BAIK', 'BAIK', 'KURANG'])).toEqual({
      SANGAT_BAIK: 0,
      BAIK: 2,
      BUTUH_PERBAIKAN: 0,
      KURANG: 1,
      SANGAT_KURANG: 0,
    });
  });
});

describe('checkDistribution: SE MenPANRB 3/2023, exact count/n', () => {
  // [org, rule, case, predicates, ok]: at the boundary, just inside and just outside.
  const cases: [OrgPredicate, string, string, Predicate[], boolean][] = [
    ['ISTIMEWA', 'ISTIMEWA_MAX_70_PCT_SANGAT_BAIK', '7/10 at the boundary', unit(10, { SANGAT_BAIK: 7 }), true],
    ['ISTIMEWA', 'ISTIMEWA_MAX_70_PCT_SANGAT_BAIK', '6/10 inside', unit(10, { SANGAT_BAIK: 6 }), true],
    ['ISTIMEWA', 'ISTIMEWA_MAX_70_PCT_SANGAT_BAIK', '8/10 outside', unit(10, { SANGAT_BAIK: 8 }), false],
    ['ISTIMEWA', 'ISTIMEWA_MAX_70_PCT_SANGAT_BAIK', '4/7 (57%) inside', unit(7, { SANGAT_BAIK: 4 }), true],
    ['ISTIMEWA', 'ISTIMEWA_MAX_70_PCT_SANGAT_BAIK', '5/7 (71.4%) outside', unit(7, { SANGAT_BAIK: 5 }), false],
    ['BAIK', 'BAIK_MAX_70_PCT_BAIK', '7/10 at the boundary', unit(10, { BAIK: 7 }, 'SANGAT_BAIK'), true],
    ['BAIK', 'BAIK_MAX_70_PCT_BAIK', '6/10 inside', unit(10, { BAIK: 6 }, 'SANGAT_BAIK'), true],
    ['BAIK', 'BAIK_MAX_70_PCT_BAIK', '8/10 outside', unit(10, { BAIK: 8 }, 'SANGAT_BAIK'), false],
    ['BAIK', 'BAIK_MAX_70_PCT_BAIK', '5/7 (71.4%) outside', unit(7, { BAIK: 5 }, 'SANGAT_BAIK'), false],
    ['BAIK', 'BAIK_MIN_ONE_BUTUH_PERBAIKAN_OR_KURANG', 'one BUTUH_PERBAIKAN at the boundary', unit(10, { BUTUH_PERBAIKAN: 1 }), true],
    ['BAIK', 'BAIK_MIN_ONE_BUTUH_PERBAIKAN_OR_KURANG', 'one KURANG at the boundary', unit(10, { KURANG: 1 }), true],
    ['BAIK', 'BAIK_MIN_ONE_BUTUH_PERBAIKAN_OR_KURANG', 'two inside', unit(10, { KURANG: 1, BUTUH_PERBAIKAN: 1 }), true],
    [
      'BAIK',
      'BAIK_MIN_ONE_BUTUH_PERBAIKAN_OR_KURANG',
      'none outside (SANGAT_KURANG does not count)',
      unit(10, { SANGAT_KURANG: 3 }),
      false,
    ],
    ['BUTUH_PERBAIKAN', 'BUTUH_PERBAIKAN_MIN_60_PCT_BUTUH_PERBAIKAN', '6/10 at the boundary', unit(10, { BUTUH_PERBAIKAN: 6 }), true],
    ['BUTUH_PERBAIKAN', 'BUTUH_PERBAIKAN_MIN_60_PCT_BUTUH_PERBAIKAN', '7/10 inside', unit(10, { BUTUH_PERBAIKAN: 7 }), true],
    ['BUTUH_PERBAIKAN', 'BUTUH_PERBAIKAN_MIN_60_PCT_BUTUH_PERBAIKAN', '5/10 outside', unit(10, { BUTUH_PERBAIKAN: 5 }), false],
    ['BUTUH_PERBAIKAN', 'BUTUH_PERBAIKAN_MIN_60_PCT_BUTUH_PERBAIKAN', '5/7 (71.4%) inside', unit(7, { BUTUH_PERBAIKAN: 5 }), true],
    ['BUTUH_PERBAIKAN', 'BUTUH_PERBAIKAN_MIN_60_PCT_BUTUH_PERBAIKAN', '4/7 (57.1%) outside', unit(7, { BUTUH_PERBAIKAN: 4 }), false],
    ['BUTUH_PERBAIKAN', 'BUTUH_PERBAIKAN_MAX_10_PCT_SANGAT_BAIK', '1/10 at the boundary', unit(10, { SANGAT_BAIK: 1 }), true],
    ['BUTUH_PERBAIKAN', 'BUTUH_PERBAIKAN_MAX_10_PCT_SANGAT_BAIK', '0/10 inside', unit(10, {}), true],
    ['BUTUH_PERBAIKAN', 'BUTUH_PERBAIKAN_MAX_10_PCT_SANGAT_BAIK', '2/10 outside', unit(10, { SANGAT_BAIK: 2 }), false],
    ['BUTUH_PERBAIKAN', 'BUTUH_PERBAIKAN_MAX_10_PCT_SANGAT_BAIK', '1/7 (14.3%) outside', unit(7, { SANGAT_BAIK: 1 }), false],
    ['KURANG', 'KURANG_MIN_60_PCT_KURANG', '6/10 at the boundary', unit(10, { KURANG: 6 }), true],
    ['KURANG', 'KURANG_MIN_60_PCT_KURANG', '7/10 inside', unit(10, { KURANG: 7 }), true],
    ['KURANG', 'KURANG_MIN_60_PCT_KURANG', '5/10 outside', unit(10, { KURANG: 5 }), false],
    ['KURANG', 'KURANG_MIN_60_PCT_KURANG', '4/7 outside', unit(7, { KURANG: 4 }), false],
    ['KURANG', 'KURANG_MIN_10_PCT_BUTUH_PERBAIKAN', '1/10 at the boundary', unit(10, { BUTUH_PERBAIKAN: 1 }), true],
    ['KURANG', 'KURANG_MIN_10_PCT_BUTUH_PERBAIKAN', '2/10 inside', unit(10, { BUTUH_PERBAIKAN: 2 }), true],
    ['KURANG', 'KURANG_MIN_10_PCT_BUTUH_PERBAIKAN', '0/10 outside', unit(10, {}), false],
    ['KURANG', 'KURANG_MIN_10_PCT_BUTUH_PERBAIKAN', '1/11 (9.1%) outside', unit(11, { BUTUH_PERBAIKAN: 1 }), false],
    ['KURANG', 'KURANG_MAX_10_PCT_SANGAT_BAIK', '1/10 at the boundary', unit(10, { SANGAT_BAIK: 1 }), true],
    ['KURANG', 'KURANG_MAX_10_PCT_SANGAT_BAIK', '0/10 inside', unit(10, {}), true],
    ['KURANG', 'KURANG_MAX_10_PCT_SANGAT_BAIK', '2/10 outside', unit(10, { SANGAT_BAIK: 2 }), false],
    ['SANGAT_KURANG', 'SANGAT_KURANG_MIN_60_PCT_SANGAT_KURANG', '6/10 at the boundary', unit(10, { SANGAT_KURANG: 6 }), true],
    ['SANGAT_KURANG', 'SANGAT_KURANG_MIN_60_PCT_SANGAT_KURANG', '7/10 inside', unit(10, { SANGAT_KURANG: 7 }), true],
    ['SANGAT_KURANG', 'SANGAT_KURANG_MIN_60_PCT_SANGAT_KURANG', '5/10 outside', unit(10, { SANGAT_KURANG: 5 }), false],
    ['SANGAT_KURANG', 'SANGAT_KURANG_MIN_10_PCT_KURANG_OR_BUTUH_PERBAIKAN', '1 KURANG /10 at the boundary', unit(10, { KURANG: 1 }), true],
    [
      'SANGAT_KURANG',
      'SANGAT_KURANG_MIN_10_PCT_KURANG_OR_BUTUH_PERBAIKAN',
      '1 BUTUH_PERBAIKAN /10 at the boundary',
      unit(10, { BUTUH_PERBAIKAN: 1 }),
      true,
    ],
    [
      'SANGAT_KURANG',
      'SANGAT_KURANG_MIN_10_PCT_KURANG_OR_BUTUH_PERBAIKAN',
      '1+1 /10 inside',
      unit(10, { KURANG: 1, BUTUH_PERBAIKAN: 1 }),
      true,
    ],
    ['SANGAT_KURANG', 'SANGAT_KURANG_MIN_10_PCT_KURANG_OR_BUTUH_PERBAIKAN', '0/10 outside', unit(10, {}), false],
    ['SANGAT_KURANG', 'SANGAT_KURANG_MIN_10_PCT_KURANG_OR_BUTUH_PERBAIKAN', '1/11 outside', unit(11, { KURANG: 1 }), false],
    ['SANGAT_KURANG', 'SANGAT_KURANG_NO_SANGAT_BAIK', 'none at the boundary', unit(10, {}), true],
    ['SANGAT_KURANG', 'SANGAT_KURANG_NO_SANGAT_BAIK', 'one outside', unit(10, { SANGAT_BAIK: 1 }), false],
  ];

  it.each(cases)('%s %s: %s', (org, rule, _case, predicates, ok) => {
    expect(ruleOk(org, predicates, rule)).toBe(ok);
  });

  it('lists every bound of the pattern with rule, count, n and threshold', () => {
    expect(check('KURANG', unit(10, { KURANG: 6, BUTUH_PERBAIKAN: 1, SANGAT_BAIK: 2 }))).toEqual([
      {
        rule: 'KURANG_MIN_60_PCT_KURANG',
        description: 'at least 60% KURANG',
        predicates: ['KURANG'],
        comparison: 'AT_LEAST',
        threshold: 0.6,
        count: 6,
        n: 10,
        ok: true,
      },
      {
        rule: 'KURANG_MIN_10_PCT_BUTUH_PERBAIKAN',
        description: 'at least 10% BUTUH_PERBAIKAN',
        predicates: ['BUTUH_PERBAIKAN'],
        comparison: 'AT_LEAST',
        threshold: 0.1,
        count: 1,
        n: 10,
        ok: true,
      },
      {
        rule: 'KURANG_MAX_10_PCT_SANGAT_BAIK',
        description: 'at most 10% SANGAT_BAIK',
        predicates: ['SANGAT_BAIK'],
        comparison: 'AT_MOST',
        threshold: 0.1,
        count: 2,
        n: 10,
        ok: false,
      },
    ]);
  });

  it('has the number of bounds the table gives per organisational predicate', () => {
    const sizes = (['ISTIMEWA', 'BAIK', 'BUTUH_PERBAIKAN', 'KURANG', 'SANGAT_KURANG'] as const).map((o) => check(o, unit(10, {})).length);
    expect(sizes).toEqual([1, 2, 2, 3, 3]);
  });

  it('never lets float rounding decide: 63 of 90 is exactly 70%', () => {
    // A float formulation gets this wrong: 0.7 * 90 is 62.99999999999999 in binary floating point.
    expect(0.7 * 90 < 63).toBe(true);
    expect(ruleOk('ISTIMEWA', unit(90, { SANGAT_BAIK: 63 }), 'ISTIMEWA_MAX_70_PCT_SANGAT_BAIK')).toBe(true);
    expect(ruleOk('ISTIMEWA', unit(90, { SANGAT_BAIK: 64 }), 'ISTIMEWA_MAX_70_PCT_SANGAT_BAIK')).toBe(false);
  });
});
