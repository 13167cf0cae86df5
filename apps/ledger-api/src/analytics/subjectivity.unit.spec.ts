import { appraisalStreamId, BEHAVIOURS, predicateFor, type Actor, type Rating, type SurveyAnswers } from '@ledger/appraisal';
import { appraisalsProjection, type AppraisalView, type UnitDoc } from '@ledger/read-models';
import { StoredEventLog } from '@ledger/read-models/testing';
import { agreementOf, raterAgreements } from './agreement';
import { agencyAnalytics, appraisalAgreement, appraiserAnalytics, groupAgreement, unitAnalytics } from './subjectivity';

const K = 3;
const [A, S, D] = ['DI_ATAS_EKSPEKTASI', 'SESUAI_EKSPEKTASI', 'DI_BAWAH_EKSPEKTASI'] as const;
const LENIENT = '198001012005011002';
const STRICT = '198201012006011003';
const auditor: Actor = { id: 'auditor-01', role: 'AUDITOR' };
const plan = {
  results: [
    {
      id: 'r1',
      kind: 'UTAMA' as const,
      description: 'd',
      indicators: [{ id: 'i1', description: 'd', aspect: 'KUANTITAS' as const, target: { value: 1, unit: 'u' } }],
    },
  ],
};

/** Seven answers from a string of A/S/D, one letter per behaviour in BEHAVIOURS order. */
const answers = (code: string): SurveyAnswers =>
  Object.fromEntries(BEHAVIOURS.map((b, i) => [b, { A, S, D }[code[i] as 'A' | 'S' | 'D']])) as SurveyAnswers;

interface Spec {
  n: number;
  unitId: string;
  appraiserId: string;
  hasil: Rating;
  perilaku: Rating;
  surveys?: string[];
  final?: boolean;
}
const nipOf = (n: number) => `19900101201501${String(n).padStart(4, '0')}`;
const raterOf = (n: number, i: number) => `1991050520180${String(n).padStart(3, '0')}${i}`.padEnd(18, '7');

function view({ n, unitId, appraiserId, hasil, perilaku, surveys = [], final = false }: Spec): AppraisalView {
  const nip = nipOf(n);
  const log = new StoredEventLog();
  const s = appraisalStreamId(`2026-${nip}`);
  const appraiser = { id: appraiserId, role: 'PEJABAT_PENILAI' as const };
  const employee = { id: nip, role: 'PEGAWAI' as const };
  const opened = {
    appraisalId: `2026-${nip}`,
    employeeNip: nip,
    employeeName: 'x',
    year: 2026,
    unitId,
    appraiserId,
    superiorId: '197001012000011009',
    planDeadline: '2026-01-31T16:59:59.999Z',
  };
  log.record(s, 'AppraisalOpened', opened, { id: 'hr', role: 'PENGELOLA_KINERJA' });
  log.record(s, 'PlanDrafted', { plan, dialogue: { heldOn: '2026-01-05' } }, employee);
  log.record(s, 'PlanSubmitted', {}, employee);
  log.record(s, 'PlanApproved', { version: 1 }, appraiser);
  for (const [i, code] of surveys.entries()) {
    const raterId = raterOf(n, i);
    log.record(s, 'RaterAssigned', { period: 'TAHUNAN', raterId, relation: 'REKAN_KERJA' }, appraiser);
    log.record(s, 'BehaviourSurveySubmitted', { period: 'TAHUNAN', raterId, answers: answers(code) }, { id: raterId, role: 'REKAN_KERJA' });
  }
  const predicate = predicateFor(hasil, perilaku);
  const rated = { hasilKerja: hasil, hasilKerjaJustification: 'j', perilakuKerja: perilaku, perilakuKerjaJustification: 'j' };
  log.record(s, 'PerformanceRated', { period: 'TAHUNAN', version: 1, predicate, ...rated }, appraiser);
  if (final) {
    const delivered = { period: 'TAHUNAN' as const, hasilKerja: hasil, perilakuKerja: perilaku, predicate, ratingVersion: 1 };
    log.record(
      s,
      'ResultDelivered',
      { ...delivered, unitStreamId: `unit-${unitId}-2026`, deliveredAt: '2027-01-10T02:00:00.000Z' },
      appraiser,
    );
  }
  return log.events.reduce<AppraisalView | null>((doc, e) => appraisalsProjection.evolve(doc, e), null) as AppraisalView;
}

const unit = (unitId: string): UnitDoc => ({
  unitId,
  year: 2026,
  name: `Biro ${unitId}`,
  leaderId: '197001012000011001',
  upperLeaderId: '196501011990011001',
  opened: { at: '2026-01-01T00:00:00.000Z', by: 'hr' },
  revision: 0,
  lastEventAt: '2026-01-01T00:00:00.000Z',
  periods: {},
});

describe('360 agreement', () => {
  it("is one appraisal's raters as coders over its seven behaviours, ordinal", () => {
    // Three raters, seven behaviours: SSSSSSS, SSSSSSA, AAAAAAA; 21 pairable values, n_S = 13, n_A = 8.
    const surveys = ['SSSSSSS', 'SSSSSSA', 'AAAAAAA'].map((code, i) => ({ raterId: `r${i}`, answers: answers(code) }));
    const a = agreementOf([surveys]);
    expect(a).toMatchObject({ raters: 3, pairableValues: 21, appraisals: 1 });
    // Six behaviours answered S,S,A give o_SA = 2·1/(3 − 1) = 1 each, the seventh (S,A,A) 1 more: o_SA = o_AS = 7.
    // With two values every metric's δ² is one constant, so nominal and ordinal agree:
    // α = 1 − (n − 1)(o_SA + o_AS) / (2 n_S n_A) = 1 − 20 · 14 / 208 = −9/26 (worse than chance: two camps).
    expect(a.ordinalExact).toBe('-9/26');
    expect(a.ordinal).toBe(-0.346);
    expect(a.nominal).toBe(-0.346);
  });

  it('judges a rater only beside two others, and says who agrees with nobody (4 of 7 the same)', () => {
    const three = ['SSSSSSS', 'SSSSSAA', 'AAAAADD'].map((code, i) => ({ raterId: `r${i}`, answers: answers(code) }));
    expect(raterAgreements(three)).toEqual([
      { raterId: 'r0', agreesWith: 1, others: 2, agreesWithNobody: false },
      { raterId: 'r1', agreesWith: 1, others: 2, agreesWithNobody: false },
      { raterId: 'r2', agreesWith: 0, others: 2, agreesWithNobody: true },
    ]);
    expect(raterAgreements(three.slice(0, 2))).toEqual([]);
  });
});

describe('subjectivity analytics', () => {
  // biro-a: LENIENT rates three SANGAT_BAIK; STRICT rates three BAIK and one BUTUH_PERBAIKAN. biro-b: all BAIK.
  const views = [
    view({ n: 1, unitId: 'biro-a', appraiserId: LENIENT, hasil: A, perilaku: A, surveys: ['SSSSSSS', 'SSSSSSA', 'AAAAAAA'], final: true }),
    view({ n: 2, unitId: 'biro-a', appraiserId: LENIENT, hasil: A, perilaku: A, surveys: ['SSSSSSS', 'SSSSSAA', 'AAAAADD'] }),
    view({ n: 3, unitId: 'biro-a', appraiserId: LENIENT, hasil: A, perilaku: A, surveys: ['SSSSSSS', 'SSSSSSS'] }),
    view({ n: 4, unitId: 'biro-a', appraiserId: STRICT, hasil: S, perilaku: S }),
    view({ n: 5, unitId: 'biro-a', appraiserId: STRICT, hasil: S, perilaku: S }),
    view({ n: 6, unitId: 'biro-a', appraiserId: STRICT, hasil: S, perilaku: S }),
    view({ n: 7, unitId: 'biro-a', appraiserId: STRICT, hasil: D, perilaku: S }),
    view({ n: 8, unitId: 'biro-b', appraiserId: STRICT, hasil: S, perilaku: S }),
  ];
  const periods = ['TAHUNAN' as const];

  it('sets each appraiser of a unit against the others, and flags the lenient one by the stated rule', () => {
    const u = unitAnalytics(unit('biro-a'), views, 'TAHUNAN', periods, auditor, K);
    expect(u.appraisers.map((a) => [a.appraiserId, a.leniency])).toEqual([
      // 5,5,5 against 4,4,4,3 (mean 3.75, s² 0.25): SE = √(0 + 0.25/4) = 0.25, df = 3, t = 3.182.
      [
        LENIENT,
        { n: 3, comparisonN: 4, mean: 5, comparisonMean: 3.75, index: 1.25, standardError: 0.25, ci95: [0.455, 2.046], flag: 'LENIENT' },
      ],
      [
        STRICT,
        { n: 4, comparisonN: 3, mean: 3.75, comparisonMean: 5, index: -1.25, standardError: 0.25, ci95: [-2.046, -0.455], flag: 'SEVERE' },
      ],
    ]);
    expect(u.byPeriod).toEqual([
      {
        period: 'TAHUNAN',
        distribution: {
          n: 7,
          counts: { SANGAT_BAIK: 3, BAIK: 3, BUTUH_PERBAIKAN: 1, KURANG: 0, SANGAT_KURANG: 0 },
          shares: { SANGAT_BAIK: 0.429, BAIK: 0.429, BUTUH_PERBAIKAN: 0.143, KURANG: 0, SANGAT_KURANG: 0 },
        },
        // 3/7 − 0.11, 3/7 − 0.88, 1/7 − 0.01
        versusNational: { SANGAT_BAIK: 0.319, BAIK: -0.451, BELOW_BAIK: 0.133 },
        allBaikOrBetter: false,
      },
    ]);
    expect(u.flags.map((f) => [f.kind, f.subjectId])).toEqual([
      ['LENIENT_APPRAISER', LENIENT],
      ['SEVERE_APPRAISER', STRICT],
      ['RATER_AGREES_WITH_NOBODY', raterOf(1, 2)],
      ['RATER_AGREES_WITH_NOBODY', raterOf(2, 2)],
    ]);
  });

  it('gives the unit its pooled alpha and each appraisal its own; names raters only to readers not appraised there', () => {
    const u = unitAnalytics(unit('biro-a'), views, 'TAHUNAN', periods, auditor, K);
    expect(u.agreement.shown).toBe(true);
    expect(u.agreement.agreement).toMatchObject({ raters: 8, pairableValues: 56, appraisals: 3 });
    expect(u.agreement.appraisals.map((a) => [a.appraisalId, a.surveys, a.agreement.ordinal])).toEqual([
      [`2026-${nipOf(1)}`, 3, -0.346],
      [`2026-${nipOf(2)}`, 3, expect.any(Number)],
      // Two raters who agree on everything, all SESUAI: no variation, alpha undefined.
      [`2026-${nipOf(3)}`, 2, null],
    ]);
    // AAAAAAA beside SSSSSSS and SSSSSSA, and AAAAADD beside SSSSSSS and SSSSSAA.
    expect(u.ratersAgreeingWithNobody).toEqual([
      { raterId: raterOf(1, 2), appraisalsJudged: 1, agreedWithNobody: 1 },
      { raterId: raterOf(2, 2), appraisalsJudged: 1, agreedWithNobody: 1 },
    ]);
    // The performance manager who is appraisee 2 of this unit: no rater named, and their own appraisal not judged.
    const hrAppraisee: Actor = { id: nipOf(2), role: 'PENGELOLA_KINERJA' };
    const seen = unitAnalytics(unit('biro-a'), views, 'TAHUNAN', periods, hrAppraisee, K);
    expect(seen.raterIdsShown).toBe(false);
    expect(seen.ratersAgreeingWithNobody).toEqual([{ raterId: null, appraisalsJudged: 1, agreedWithNobody: 1 }]);
    expect(seen.agreement.appraisals.find((a) => a.employeeNip === nipOf(2))).toMatchObject({ shown: false, raters: [] });
    expect(seen.agreement.appraisals.every((a) => a.raters.length === 0)).toBe(true);
    expect(JSON.stringify(seen)).not.toContain('1991050520180');
  });

  it("shows the appraisee their own appraisal's alpha only where the 360 is pooled for them (K surveys, final)", () => {
    const me = (n: number): Actor => ({ id: nipOf(n), role: 'PEGAWAI' });
    expect(appraisalAgreement(views[0], 'TAHUNAN', me(1), K)).toMatchObject({ shown: true, raters: [], agreement: { ordinal: -0.346 } });
    // Three surveys but not final; two surveys: withheld, whatever the numbers.
    for (const [i, n] of [
      [1, 2],
      [2, 3],
    ]) {
      expect(appraisalAgreement(views[i], 'TAHUNAN', me(n), K)).toMatchObject({ shown: false, agreement: { ordinal: null, raters: 0 } });
    }
    // A group of raters smaller than K is withheld from an appraisee of the group, not from an auditor.
    const pair = [views[2]];
    expect(groupAgreement(pair, 'TAHUNAN', { id: nipOf(3), role: 'AUDITOR' }, K).shown).toBe(false);
    expect(groupAgreement(pair, 'TAHUNAN', auditor, K)).toMatchObject({ shown: true, agreement: { raters: 2 } });
  });

  it('flags a unit where every result is BAIK or better, at agency level too', () => {
    const agency = agencyAnalytics(2026, [unit('biro-a'), unit('biro-b')], views, 'TAHUNAN', periods, auditor, K);
    expect(agency.units.map((u) => [u.unitId, u.distribution.n, u.allBaikOrBetter])).toEqual([
      ['biro-a', 7, false],
      ['biro-b', 1, true],
    ]);
    expect(agency.flags.map((f) => [f.kind, f.unitId, f.subjectId])).toEqual([
      ['ALL_BAIK_OR_BETTER', 'biro-b', null],
      ['LENIENT_APPRAISER', null, LENIENT],
      ['SEVERE_APPRAISER', null, STRICT],
    ]);
  });

  it('extends the rater patterns with leniency per unit and against the agency, scoped for a unit leader', () => {
    const all = appraiserAnalytics(STRICT, 2026, 'TAHUNAN', views, null, K);
    expect(all.units.map((u) => [u.unitId, u.leniency.index, u.leniency.flag])).toEqual([
      ['biro-a', -1.25, 'SEVERE'],
      ['biro-b', null, null],
    ]);
    expect(all.versusAgency).toMatchObject({ n: 5, comparisonN: 3, index: -1.2 });
    expect(all.agency.n).toBe(8);
    const led = appraiserAnalytics(STRICT, 2026, 'TAHUNAN', views, ['biro-b'], K);
    expect([led.scope, led.appraiser.n, led.units.map((u) => u.unitId), led.agency.n]).toEqual([['biro-b'], 1, ['biro-b'], 8]);
  });
});
