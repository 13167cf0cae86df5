import type { MemberSnapshot, SetOrganisationalPredicate } from '../commands';
import type { UnitEvent } from '../events';
import type { DecisionContext } from '../decider';
import {
  ANNUAL_NOW,
  BASIS,
  LEADER,
  UNIT_COMMANDS,
  YEAR,
  as,
  auditor,
  ctx as ctxAt,
  givenUnit,
  leader,
  manager,
  upperLeader,
} from '../testing';
import type { Actor } from '../vocabulary';
import { predicateFor } from '../rules/predicate';
import { authoriseDeliveryCompletion } from './decide';
import { unitDecider } from './decider';
import type { OrgPredicate, Predicate, Rating } from '../vocabulary';

const opened: UnitEvent = { type: 'UnitOpened', data: UNIT_COMMANDS.OpenUnit.data };
/** Unit specs decide in December: the annual evaluation (and so finalisation) is open. */
const ctx = (actor: Actor, now: string = ANNUAL_NOW): DecisionContext => ctxAt(actor, now);
const orgSet = (predicate: OrgPredicate): UnitEvent => ({
  type: 'OrganisationalPredicateSet',
  data: { period: 'TAHUNAN', predicate, basis: BASIS },
});
const setOrg = (predicate: OrgPredicate, extra: Partial<SetOrganisationalPredicate['data']> = {}): SetOrganisationalPredicate => ({
  type: 'SetOrganisationalPredicate',
  data: { period: 'TAHUNAN', predicate, basis: BASIS, members: [], ...extra },
});

/** Ratings that produce each predicate, so snapshots stay consistent with the matrix. */
const RATINGS_FOR: Record<Predicate, [Rating, Rating]> = {
  SANGAT_BAIK: ['DI_ATAS_EKSPEKTASI', 'DI_ATAS_EKSPEKTASI'],
  BAIK: ['SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI'],
  BUTUH_PERBAIKAN: ['DI_BAWAH_EKSPEKTASI', 'SESUAI_EKSPEKTASI'],
  KURANG: ['SESUAI_EKSPEKTASI', 'DI_BAWAH_EKSPEKTASI'],
  SANGAT_KURANG: ['DI_BAWAH_EKSPEKTASI', 'DI_BAWAH_EKSPEKTASI'],
};
const member = (i: number, predicate: Predicate | null): MemberSnapshot => ({
  appraisalId: `${YEAR}-1990010120150310${String(i).padStart(2, '0')}`,
  revision: 7,
  rating: predicate ? { hasilKerja: RATINGS_FOR[predicate][0], perilakuKerja: RATINGS_FOR[predicate][1], predicate, version: 1 } : null,
});
const members = (...predicates: Predicate[]): MemberSnapshot[] => predicates.map((p, i) => member(i, p));
/** BAIK pattern fits: 7 BAIK, 2 SANGAT_BAIK, 1 BUTUH_PERBAIKAN of 10. */
const FITTING = members('BAIK', 'BAIK', 'BAIK', 'BAIK', 'BAIK', 'BAIK', 'BAIK', 'SANGAT_BAIK', 'SANGAT_BAIK', 'BUTUH_PERBAIKAN');
/** BAIK pattern broken twice: 9 BAIK, 1 SANGAT_BAIK, nobody below. */
const INFLATED = members('BAIK', 'BAIK', 'BAIK', 'BAIK', 'BAIK', 'BAIK', 'BAIK', 'BAIK', 'BAIK', 'SANGAT_BAIK');
const finalise = (list: MemberSnapshot[]) => ({ type: 'FinaliseUnit', data: { period: 'TAHUNAN', members: list } }) as const;
const withException = (list: MemberSnapshot[], reason = 'Capaian unit luar biasa tahun ini') =>
  ({ type: 'FinaliseUnitWithException', data: { period: 'TAHUNAN', members: list, reason } }) as const;
const ready = [opened, orgSet('BAIK')];

describe('OpenUnit', () => {
  it('the performance manager opens a unit for a year with its two leaders', () => {
    givenUnit([]).when(UNIT_COMMANDS.OpenUnit, ctx(manager)).then([opened]);
  });

  it('refuses a second opening, equal leaders, and anyone but the performance manager', () => {
    givenUnit([opened]).when(UNIT_COMMANDS.OpenUnit, ctx(manager)).thenThrows('UNIT_ALREADY_OPENED');
    givenUnit([])
      .when({ type: 'OpenUnit', data: { ...UNIT_COMMANDS.OpenUnit.data, upperLeaderId: LEADER } }, ctx(manager))
      .thenThrows('LEADERS_NOT_DISTINCT');
    givenUnit([]).when(UNIT_COMMANDS.OpenUnit, ctx(leader)).thenThrows('ROLE_NOT_ALLOWED');
    givenUnit([])
      .when({ type: 'OpenUnit', data: { ...UNIT_COMMANDS.OpenUnit.data, name: ' ' } }, ctx(manager))
      .thenThrows('TEXT_REQUIRED');
    givenUnit([])
      .when({ type: 'OpenUnit', data: { ...UNIT_COMMANDS.OpenUnit.data, year: 1990 } }, ctx(manager))
      .thenThrows('INVALID_YEAR');
  });

  it('other commands need an opened unit; the auditor is always refused', () => {
    givenUnit([]).when(UNIT_COMMANDS.SetOrganisationalPredicate, ctx(leader)).thenThrows('UNIT_NOT_FOUND');
    for (const command of Object.values(UNIT_COMMANDS)) givenUnit([opened]).when(command, ctx(auditor)).thenThrows('AUDITOR_READ_ONLY');
  });
});

describe('SetOrganisationalPredicate', () => {
  it('the unit leader sets it, and may change it until the period is finalised', () => {
    givenUnit([opened])
      .when(UNIT_COMMANDS.SetOrganisationalPredicate, ctx(leader))
      .then([orgSet('BAIK')]);
    givenUnit(ready)
      .when(setOrg('ISTIMEWA'), ctx(leader))
      .then([orgSet('ISTIMEWA')]);
  });

  it('refuses another leader, an unknown predicate, and a finalised period', () => {
    givenUnit([opened]).when(UNIT_COMMANDS.SetOrganisationalPredicate, ctx(upperLeader)).thenThrows('NOT_THE_UNIT_LEADER');
    givenUnit([opened])
      .when(setOrg('SANGAT_BAIK' as never), ctx(leader))
      .thenThrows('INVALID_VALUE');
    const finalised = givenUnit(ready).when(finalise(FITTING), ctx(leader)).events();
    givenUnit([...ready, ...finalised])
      .when(UNIT_COMMANDS.SetOrganisationalPredicate, ctx(leader))
      .thenThrows('PERIOD_ALREADY_FINALISED');
  });
});

describe('FinaliseUnit', () => {
  it('records exactly what it checked, the counts and every bound', () => {
    const state = givenUnit(ready)
      .when(finalise(FITTING), ctx(leader))
      .then([
        {
          type: 'UnitFinalised',
          data: {
            period: 'TAHUNAN',
            organisationalPredicate: 'BAIK',
            checked: FITTING.map((m) => ({
              appraisalId: m.appraisalId,
              revision: 7,
              predicate: m.rating?.predicate,
              hasilKerja: m.rating?.hasilKerja,
              perilakuKerja: m.rating?.perilakuKerja,
              ratingVersion: 1,
            })) as never,
            counts: { SANGAT_BAIK: 2, BAIK: 7, BUTUH_PERBAIKAN: 1, KURANG: 0, SANGAT_KURANG: 0 },
            n: 10,
            bounds: [
              expect.objectContaining({ rule: 'BAIK_MAX_70_PCT_BAIK', count: 7, n: 10, ok: true }),
              expect.objectContaining({ rule: 'BAIK_MIN_ONE_BUTUH_PERBAIKAN_OR_KURANG', count: 1, n: 10, ok: true }),
            ],
          },
        },
      ]);
    expect(state.periods.TAHUNAN.finalisation?.n).toBe(10);
  });

  it('refuses a distribution that does not fit, listing each failing bound with its counts', () => {
    givenUnit(ready)
      .when(finalise(INFLATED), ctx(leader))
      .thenThrows('DISTRIBUTION_NOT_FITTING', {
        failing: [
          { rule: 'BAIK_MAX_70_PCT_BAIK', comparison: 'AT_MOST', count: 9, n: 10, threshold: 0.7 },
          { rule: 'BAIK_MIN_ONE_BUTUH_PERBAIKAN_OR_KURANG', comparison: 'AT_LEAST_ONE', count: 0, n: 10, threshold: 0 },
        ],
      });
  });

  it('says in its message which bounds fail, with the counts', () => {
    const state = ready.reduce((s, e) => unitDecider.evolve(s, e), unitDecider.initialState());
    expect(() => unitDecider.decide(finalise(INFLATED), state, ctx(leader))).toThrow(
      'The predicates do not fit the pattern of BAIK: at most 70% BAIK: 9 of 10; at least one BUTUH_PERBAIKAN or KURANG: 0 of 10.',
    );
  });

  it('needs the organisational predicate, members, and every member rated', () => {
    givenUnit([opened]).when(finalise(FITTING), ctx(leader)).thenThrows('ORG_PREDICATE_NOT_SET');
    givenUnit(ready).when(finalise([]), ctx(leader)).thenThrows('NO_MEMBERS');
    givenUnit(ready)
      .when(finalise([...FITTING, member(20, null), member(21, null)]), ctx(leader))
      .thenThrows('MEMBERS_NOT_RATED', { unrated: [member(20, null).appraisalId, member(21, null).appraisalId] });
  });

  it('refuses duplicated members and a snapshot whose predicate does not follow from its ratings', () => {
    givenUnit(ready)
      .when(finalise([...FITTING, FITTING[0]]), ctx(leader))
      .thenThrows('DUPLICATE_MEMBER');
    const forged = {
      ...FITTING[0],
      rating: { hasilKerja: 'SESUAI_EKSPEKTASI', perilakuKerja: 'SESUAI_EKSPEKTASI', predicate: 'SANGAT_BAIK', version: 1 },
    } as MemberSnapshot;
    expect(predicateFor('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI')).toBe('BAIK');
    givenUnit(ready)
      .when(finalise([forged, ...FITTING.slice(1)]), ctx(leader))
      .thenThrows('SNAPSHOT_INCONSISTENT');
  });

  it('only by the unit leader, and only once per period', () => {
    givenUnit(ready).when(finalise(FITTING), ctx(upperLeader)).thenThrows('NOT_THE_UNIT_LEADER');
    givenUnit(ready)
      .when(finalise(FITTING), ctx(as('PENGELOLA_KINERJA', LEADER)))
      .thenThrows('ROLE_NOT_ALLOWED');
    const finalised = givenUnit(ready).when(finalise(FITTING), ctx(leader)).events();
    givenUnit([...ready, ...finalised])
      .when(finalise(FITTING), ctx(leader))
      .thenThrows('PERIOD_ALREADY_FINALISED');
  });
});

describe('FinaliseUnitWithException', () => {
  it('the leader one level up records a reasoned exception naming the failed rules', () => {
    const [event] = givenUnit(ready).when(withException(INFLATED), ctx(upperLeader)).events();
    expect(event).toMatchObject({
      type: 'UnitFinalised',
      data: {
        organisationalPredicate: 'BAIK',
        n: 10,
        exception: {
          reason: 'Capaian unit luar biasa tahun ini',
          failedRules: ['BAIK_MAX_70_PCT_BAIK', 'BAIK_MIN_ONE_BUTUH_PERBAIKAN_OR_KURANG'],
        },
      },
    });
  });

  it('is refused when the distribution fits: no exception needed', () => {
    givenUnit(ready).when(withException(FITTING), ctx(upperLeader)).thenThrows('EXCEPTION_NOT_NEEDED');
  });

  it('needs a reason, the same preconditions, and the upper leader', () => {
    givenUnit(ready).when(withException(INFLATED, ' '), ctx(upperLeader)).thenThrows('TEXT_REQUIRED', { field: 'reason' });
    givenUnit([opened]).when(withException(INFLATED), ctx(upperLeader)).thenThrows('ORG_PREDICATE_NOT_SET');
    givenUnit(ready)
      .when(withException([member(1, null)]), ctx(upperLeader))
      .thenThrows('MEMBERS_NOT_RATED');
    givenUnit(ready).when(withException(INFLATED), ctx(leader)).thenThrows('NOT_THE_UPPER_LEADER');
    const finalised = givenUnit(ready).when(withException(INFLATED), ctx(upperLeader)).events();
    givenUnit([...ready, ...finalised])
      .when(withException(INFLATED), ctx(upperLeader))
      .thenThrows('PERIOD_ALREADY_FINALISED');
  });

  it('finalises each period on its own', () => {
    const finalised = givenUnit(ready).when(finalise(FITTING), ctx(leader)).events();
    const q1 = [
      ...ready,
      ...finalised,
      { type: 'OrganisationalPredicateSet', data: { period: 'TRIWULAN_I', predicate: 'BAIK' } } as UnitEvent,
    ];
    expect(
      givenUnit(q1)
        .when({ type: 'FinaliseUnit', data: { period: 'TRIWULAN_I', members: FITTING } }, ctx(leader))
        .events(),
    ).toHaveLength(1);
  });
});

describe('SetOrganisationalPredicate: it comes first, rests on a basis, and a later change is recorded', () => {
  const rated = (...predicates: Predicate[]) => [...members(...predicates), member(30, null)];

  it('needs its basis: the organisational achievement document (URI and SHA-256)', () => {
    givenUnit([opened])
      .when(setOrg('BAIK', { basis: undefined as never }), ctx(leader))
      .thenThrows('TEXT_REQUIRED', { field: 'basis.uri' });
    givenUnit([opened])
      .when(setOrg('BAIK', { basis: { uri: 'capaian.pdf', sha256: 'b'.repeat(64) } }), ctx(leader))
      .thenThrows('INVALID_URI', { field: 'basis.uri' });
    givenUnit([opened])
      .when(setOrg('BAIK', { basis: { uri: BASIS.uri, sha256: 'B'.repeat(64) } }), ctx(leader))
      .thenThrows('INVALID_SHA256', { field: 'basis.sha256' });
  });

  it('before any member is rated it changes freely (a reason is kept when given)', () => {
    givenUnit(ready)
      .when(setOrg('ISTIMEWA', { members: [member(1, null)] }), ctx(leader))
      .then([orgSet('ISTIMEWA')]);
    const [event] = givenUnit(ready)
      .when(setOrg('ISTIMEWA', { reason: 'Capaian direvisi' }), ctx(leader))
      .events();
    expect(event.data).toEqual({ period: 'TAHUNAN', predicate: 'ISTIMEWA', basis: BASIS, reason: 'Capaian direvisi' });
  });

  it('refuses a change that changes nothing', () => {
    givenUnit(ready).when(setOrg('BAIK'), ctx(leader)).thenThrows('ORG_PREDICATE_UNCHANGED', { predicate: 'BAIK' });
    const newBasis = { uri: `${BASIS.uri}-rev`, sha256: 'c'.repeat(64) };
    expect(
      givenUnit(ready)
        .when(setOrg('BAIK', { basis: newBasis }), ctx(leader))
        .events(),
    ).toHaveLength(1);
  });

  it('once a member is rated, a change needs a reason and records the pattern under both predicates', () => {
    // The named escape: 2 BAIK + 2 SANGAT_BAIK is refused under BAIK; ISTIMEWA would let it pass.
    const after = rated('BAIK', 'BAIK', 'SANGAT_BAIK', 'SANGAT_BAIK');
    givenUnit(ready)
      .when(setOrg('ISTIMEWA', { members: after }), ctx(leader))
      .thenThrows('TEXT_REQUIRED', { field: 'reason' });
    givenUnit(ready)
      .when(setOrg('ISTIMEWA', { members: after, reason: 'Capaian organisasi dikoreksi BPK' }), ctx(leader))
      .then([
        {
          type: 'OrganisationalPredicateSet',
          data: {
            period: 'TAHUNAN',
            predicate: 'ISTIMEWA',
            basis: BASIS,
            reason: 'Capaian organisasi dikoreksi BPK',
            change: {
              previousPredicate: 'BAIK',
              ratedCount: 4,
              memberCount: 5,
              failedUnderPrevious: ['BAIK_MIN_ONE_BUTUH_PERBAIKAN_OR_KURANG'],
              failedUnderNew: [],
            },
          },
        },
      ]);
  });

  it('the first setting after ratings exist (an older ledger) needs no reason: there was nothing to change', () => {
    const [event] = givenUnit([opened])
      .when(setOrg('BAIK', { members: rated('BAIK') }), ctx(leader))
      .events();
    expect(event.data).not.toHaveProperty('change');
  });
});

describe('finalisation waits for the evaluation window', () => {
  it('is refused before the first day of the period’s last month, Jakarta time', () => {
    givenUnit(ready)
      .when(finalise(FITTING), ctx(leader, '2025-11-30T16:59:59.000Z'))
      .thenThrows('EVALUATION_NOT_OPEN', { opensOn: '2025-12-01' });
    givenUnit(ready).when(withException(INFLATED), ctx(upperLeader, '2025-03-01T00:00:00.000Z')).thenThrows('EVALUATION_NOT_OPEN');
    expect(givenUnit(ready).when(finalise(FITTING), ctx(leader, '2025-11-30T17:00:00.000Z')).events()).toHaveLength(1);
  });
});

describe('OpenUnit and the calendar', () => {
  it('opens a unit at most one year ahead', () => {
    givenUnit([])
      .when({ type: 'OpenUnit', data: { ...UNIT_COMMANDS.OpenUnit.data, year: 2027 } }, ctx(manager))
      .thenThrows('YEAR_TOO_FAR_AHEAD', { latest: 2026 });
  });
});

describe('completing the deliveries of a finalised period (the edge asks this of the domain)', () => {
  const plain = [...ready, ...givenUnit(ready).when(finalise(FITTING), ctx(leader)).events()];
  const excepted = [...ready, ...givenUnit(ready).when(withException(INFLATED), ctx(upperLeader)).events()];
  const state = (history: UnitEvent[]) => givenUnit(history).state;

  it('is for the people who may finalise, on the route that finalised, with the recorded reason', () => {
    expect(() => authoriseDeliveryCompletion(state(plain), 'TAHUNAN', leader, undefined)).not.toThrow();
    expect(() => authoriseDeliveryCompletion(state(excepted), 'TAHUNAN', upperLeader, 'Capaian unit luar biasa tahun ini')).not.toThrow();
    const codeOf = (run: () => void): string | undefined => {
      try {
        run();
      } catch (error) {
        return (error as { code?: string }).code;
      }
      return undefined;
    };
    expect(codeOf(() => authoriseDeliveryCompletion(state(plain), 'TAHUNAN', upperLeader, 'Alasan baru'))).toBe('PERIOD_ALREADY_FINALISED');
    expect(codeOf(() => authoriseDeliveryCompletion(state(excepted), 'TAHUNAN', upperLeader, 'Alasan lain'))).toBe(
      'PERIOD_ALREADY_FINALISED',
    );
    expect(codeOf(() => authoriseDeliveryCompletion(state(excepted), 'TAHUNAN', leader, undefined))).toBe('PERIOD_ALREADY_FINALISED');
    expect(codeOf(() => authoriseDeliveryCompletion(state(plain), 'TAHUNAN', upperLeader, undefined))).toBe('NOT_THE_UNIT_LEADER');
    expect(codeOf(() => authoriseDeliveryCompletion(state(plain), 'TAHUNAN', auditor, undefined))).toBe('AUDITOR_READ_ONLY');
    expect(codeOf(() => authoriseDeliveryCompletion(state(plain), 'TAHUNAN', manager, undefined))).toBe('ROLE_NOT_ALLOWED');
  });
});

describe('SetOrganisationalPredicate citing the unit IKM (SKM feedback, PermenPANRB 14/2017)', () => {
  const ikm = { ikm: 84.03, grade: 'B' as const, responses: 4, serviceIds: ['izin-usaha'] };

  it('records the IKM the handler computed beside the basis, never one a client could send', () => {
    const [event] = givenUnit([opened])
      .when(setOrg('BAIK', { citeIkm: true, unitIkm: ikm }), ctx(leader))
      .events();
    expect(event.data).toEqual({ period: 'TAHUNAN', predicate: 'BAIK', basis: BASIS, ikm });
    // Not asked to cite: a computed figure the handler attached is not recorded.
    const [plain] = givenUnit([opened])
      .when(setOrg('BAIK', { unitIkm: ikm }), ctx(leader))
      .events();
    expect(plain.data).toEqual({ period: 'TAHUNAN', predicate: 'BAIK', basis: BASIS });
  });

  it('refuses a citation with no feedback, or fewer responses than the minimum group', () => {
    givenUnit([opened])
      .when(setOrg('BAIK', { citeIkm: true, unitIkm: null }), ctx(leader))
      .thenThrows('IKM_NOT_AVAILABLE', { responses: 0, minimum: 3 });
    givenUnit([opened])
      .when(setOrg('BAIK', { citeIkm: true, unitIkm: { ...ikm, responses: 2 } }), ctx(leader))
      .thenThrows('IKM_NOT_AVAILABLE', { responses: 2, minimum: 3 });
  });

  it('adding the citation to an unchanged predicate and basis is a change; citing the same figure again is not', () => {
    expect(
      givenUnit(ready)
        .when(setOrg('BAIK', { citeIkm: true, unitIkm: ikm }), ctx(leader))
        .events(),
    ).toHaveLength(1);
    const cited: UnitEvent = { type: 'OrganisationalPredicateSet', data: { period: 'TAHUNAN', predicate: 'BAIK', basis: BASIS, ikm } };
    givenUnit([opened, cited])
      .when(setOrg('BAIK', { citeIkm: true, unitIkm: ikm }), ctx(leader))
      .thenThrows('ORG_PREDICATE_UNCHANGED', { predicate: 'BAIK' });
  });
});
