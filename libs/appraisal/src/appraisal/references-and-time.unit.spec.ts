import type { CorrectAppraisalUnit, DraftPlan, OpenAppraisal, RatePerformance, SetPlanDeadline, SubmitBehaviourSurvey } from '../commands';
import type { AppraisalEvent } from '../events';
import {
  ANNUAL_NOW,
  APPRAISAL_COMMANDS,
  APPRAISAL_ID,
  DIALOGUE,
  PLAN,
  RATER,
  UNIT_FACTS,
  UNIT_ID,
  YEAR,
  appraiser,
  as,
  ctx,
  delivered,
  employee,
  given,
  manager,
  opened,
  rated,
  raterAssigned,
  withApprovedPlan,
} from '../testing';
import type { Period } from '../vocabulary';

const open = (data: Partial<OpenAppraisal['data']> = {}): OpenAppraisal => ({
  type: 'OpenAppraisal',
  data: { ...APPRAISAL_COMMANDS.OpenAppraisal.data, ...data },
});
const correct = (data: Partial<CorrectAppraisalUnit['data']> = {}): CorrectAppraisalUnit => ({
  type: 'CorrectAppraisalUnit',
  data: { ...APPRAISAL_COMMANDS.CorrectAppraisalUnit.data, ...data },
});
const rate = (period: Period, unit: RatePerformance['data']['unit'] = UNIT_FACTS): RatePerformance => ({
  type: 'RatePerformance',
  data: { ...APPRAISAL_COMMANDS.RatePerformance.data, period, unit },
});
const OTHER_UNIT = { ...UNIT_FACTS, unitId: 'biro-umum' };

describe('every id a command names exists in the state the decision sees', () => {
  it('opens an appraisal only into a unit opened for the same year', () => {
    given([])
      .when(open({ unit: null }), ctx(manager))
      .thenThrows('UNKNOWN_UNIT', { field: 'unitId', value: UNIT_ID });
    given([])
      .when(open({ unit: undefined }), ctx(manager))
      .thenThrows('UNKNOWN_UNIT');
    given([])
      .when(open({ unit: OTHER_UNIT }), ctx(manager))
      .thenThrows('UNKNOWN_UNIT');
    given([])
      .when(open({ unit: { ...UNIT_FACTS, year: YEAR - 1 } }), ctx(manager))
      .thenThrows('UNKNOWN_UNIT', { year: YEAR });
  });

  it('does not open an appraisal into a unit whose annual result is final', () => {
    given([])
      .when(open({ unit: { ...UNIT_FACTS, finalisedPeriods: ['TAHUNAN'] } }), ctx(manager))
      .thenThrows('UNIT_YEAR_FINALISED');
    // A finalised quarter does not close the year: someone joining mid-year is appraised for the rest.
    expect(
      given([])
        .when(open({ unit: { ...UNIT_FACTS, finalisedPeriods: ['TRIWULAN_I'] } }), ctx(manager))
        .events(),
    ).toHaveLength(1);
  });

  it('does not rate a period the unit already finalised (the appraisal joined later: it could never be delivered)', () => {
    given(withApprovedPlan())
      .when(rate('TRIWULAN_I', { ...UNIT_FACTS, finalisedPeriods: ['TRIWULAN_I'] }), ctx(appraiser))
      .thenThrows('PERIOD_ALREADY_FINALISED', { period: 'TRIWULAN_I' });
  });

  it('rates only once the unit has its organisational predicate for the period (it comes first)', () => {
    given(withApprovedPlan()).when(rate('TRIWULAN_I', null), ctx(appraiser)).thenThrows('ORG_PREDICATE_FIRST', { period: 'TRIWULAN_I' });
    given(withApprovedPlan())
      .when(rate('TRIWULAN_I', { ...UNIT_FACTS, orgPredicates: { TAHUNAN: 'BAIK' } }), ctx(appraiser))
      .thenThrows('ORG_PREDICATE_FIRST');
  });
});

describe('CorrectAppraisalUnit', () => {
  it('moves the appraisal to another opened unit of its year, with a reason', () => {
    const state = given([opened()])
      .when(correct(), ctx(manager))
      .then([
        { type: 'AppraisalUnitCorrected', data: { unitId: 'biro-umum', previousUnitId: UNIT_ID, reason: 'Salah unit saat pembukaan' } },
      ]);
    expect(state.unitId).toBe('biro-umum');
  });

  it('needs the performance manager, a reason, another unit that exists and whose year is open', () => {
    given([opened()]).when(correct(), ctx(employee)).thenThrows('ROLE_NOT_ALLOWED');
    given([opened()])
      .when(correct({ reason: ' ' }), ctx(manager))
      .thenThrows('TEXT_REQUIRED', { field: 'reason' });
    given([opened()])
      .when(correct({ unitId: UNIT_ID, unit: UNIT_FACTS }), ctx(manager))
      .thenThrows('UNIT_UNCHANGED');
    given([opened()])
      .when(correct({ unit: null }), ctx(manager))
      .thenThrows('UNKNOWN_UNIT', { value: 'biro-umum' });
    given([opened()])
      .when(correct({ unit: UNIT_FACTS }), ctx(manager))
      .thenThrows('UNKNOWN_UNIT');
    given([opened()])
      .when(correct({ unit: { ...OTHER_UNIT, finalisedPeriods: ['TAHUNAN'] } }), ctx(manager))
      .thenThrows('UNIT_YEAR_FINALISED');
  });

  it('is refused once any result of the appraisal is final: a delivered result belongs to its unit', () => {
    const q1Final = [...withApprovedPlan(), rated('TRIWULAN_I'), delivered('TRIWULAN_I', '2025-04-05T03:00:00.000Z')];
    given(q1Final)
      .when(correct(), ctx(manager))
      .thenThrows('UNIT_FIXED_BY_FINAL_RESULT', { delivered: ['TRIWULAN_I'] });
    // Checked by a finalisation whose delivery has not arrived yet (a crash in between): final too.
    const checkedNotDelivered = { ...UNIT_FACTS, finalisedPeriods: ['TRIWULAN_I' as const], checkedAppraisalIds: [APPRAISAL_ID] };
    given([...withApprovedPlan(), rated('TRIWULAN_I')])
      .when(correct({ currentUnit: checkedNotDelivered }), ctx(manager))
      .thenThrows('UNIT_FIXED_BY_FINAL_RESULT', { checked: true });
  });
});

describe('time: the evaluation window and the dates people type', () => {
  const survey: SubmitBehaviourSurvey = {
    ...APPRAISAL_COMMANDS.SubmitBehaviourSurvey,
    data: { ...APPRAISAL_COMMANDS.SubmitBehaviourSurvey.data, period: 'TAHUNAN' },
  };
  const withRater: AppraisalEvent[] = [...withApprovedPlan(), raterAssigned('TAHUNAN')];
  const selfAssess = { ...APPRAISAL_COMMANDS.SelfAssess, data: { ...APPRAISAL_COMMANDS.SelfAssess.data, period: 'TAHUNAN' as const } };
  const LAST_MOMENT_OF_NOVEMBER_WIB = '2025-11-30T16:59:59.999Z';
  const FIRST_MOMENT_OF_DECEMBER_WIB = '2025-11-30T17:00:00.000Z';

  it.each([
    ['TRIWULAN_I', '2025-02-28T16:59:59.999Z', '2025-02-28T17:00:00.000Z', '2025-03-01'],
    ['TRIWULAN_II', '2025-05-31T16:59:59.999Z', '2025-05-31T17:00:00.000Z', '2025-06-01'],
    ['TRIWULAN_III', '2025-08-31T16:59:59.999Z', '2025-08-31T17:00:00.000Z', '2025-09-01'],
    ['TRIWULAN_IV', LAST_MOMENT_OF_NOVEMBER_WIB, FIRST_MOMENT_OF_DECEMBER_WIB, '2025-12-01'],
    ['TAHUNAN', LAST_MOMENT_OF_NOVEMBER_WIB, FIRST_MOMENT_OF_DECEMBER_WIB, '2025-12-01'],
  ] as const)('%s is rated from the first day of its last month, Jakarta time', (period, before, at, opensOn) => {
    given(withApprovedPlan())
      .when(rate(period), ctx(appraiser, before))
      .thenThrows('EVALUATION_NOT_OPEN', { period, opensOn, timeZone: 'Asia/Jakarta' });
    expect(given(withApprovedPlan()).when(rate(period), ctx(appraiser, at)).events()).toHaveLength(1);
  });

  it('a 2029 result cannot be rated, self-assessed or surveyed in 2025', () => {
    const later = [...withApprovedPlan(), raterAssigned('TAHUNAN')];
    given(later)
      .when(rate('TAHUNAN'), ctx(appraiser, ANNUAL_NOW.replace('2025', '2024')))
      .thenThrows('EVALUATION_NOT_OPEN');
    given(withRater)
      .when(survey, ctx(as('REKAN_KERJA', RATER), LAST_MOMENT_OF_NOVEMBER_WIB))
      .thenThrows('EVALUATION_NOT_OPEN');
    given(withApprovedPlan()).when(selfAssess, ctx(employee, LAST_MOMENT_OF_NOVEMBER_WIB)).thenThrows('EVALUATION_NOT_OPEN');
    expect(
      given(withRater)
        .when(survey, ctx(as('REKAN_KERJA', RATER), FIRST_MOMENT_OF_DECEMBER_WIB))
        .events(),
    ).toHaveLength(1);
    expect(given(withApprovedPlan()).when(selfAssess, ctx(employee, FIRST_MOMENT_OF_DECEMBER_WIB)).events()).toHaveLength(1);
  });

  it('the window is a policy setting: two months before the end opens TAHUNAN on 1 November', () => {
    const policy = { ...ctx(appraiser).policy, evaluationOpensMonthsBeforeEnd: 2 };
    expect(
      given(withApprovedPlan())
        .when(rate('TAHUNAN'), { ...ctx(appraiser, '2025-10-31T17:00:00.000Z'), policy })
        .events(),
    ).toHaveLength(1);
    given(withApprovedPlan())
      .when(rate('TAHUNAN'), { ...ctx(appraiser, '2025-10-31T16:59:00.000Z'), policy })
      .thenThrows('EVALUATION_NOT_OPEN', { opensOn: '2025-11-01' });
  });

  it('a dialogue date lies within the appraisal year or the quarter before it, and not in the future', () => {
    const draft = (heldOn: string): DraftPlan => ({ type: 'DraftPlan', data: { plan: PLAN, dialogue: { ...DIALOGUE, heldOn } } });
    given([opened()])
      .when(draft('1999-01-10'), ctx(employee))
      .thenThrows('DATE_OUTSIDE_APPRAISAL_YEAR', { field: 'dialogue.heldOn', from: '2024-10-01', to: '2025-12-31' });
    given([opened()]).when(draft('2024-09-30'), ctx(employee)).thenThrows('DATE_OUTSIDE_APPRAISAL_YEAR');
    expect(given([opened()]).when(draft('2024-10-01'), ctx(employee)).events()).toHaveLength(1);
    given([opened()]).when(draft('2025-03-02'), ctx(employee)).thenThrows('DATE_IN_FUTURE', { today: '2025-03-01' });
    given([opened()]).when(draft('2026-01-02'), ctx(employee, '2026-02-01T00:00:00.000Z')).thenThrows('DATE_OUTSIDE_APPRAISAL_YEAR');
  });

  it('a plan deadline lies in the appraisal year (agency time zone)', () => {
    const set = (planDeadline: string): SetPlanDeadline => ({ type: 'SetPlanDeadline', data: { planDeadline, reason: 'Perpanjangan' } });
    given([opened()])
      .when(set('2030-02-15T16:59:59.999Z'), ctx(manager))
      .thenThrows('DATE_OUTSIDE_APPRAISAL_YEAR', { field: 'planDeadline' });
    // 31 Dec 2025 18:00Z is already 1 January 2026 in Jakarta.
    given([opened()]).when(set('2025-12-31T18:00:00.000Z'), ctx(manager)).thenThrows('DATE_OUTSIDE_APPRAISAL_YEAR');
    given([])
      .when(open({ planDeadline: '1999-01-31T16:59:59.999Z' }), ctx(manager))
      .thenThrows('DATE_OUTSIDE_APPRAISAL_YEAR');
    expect(given([opened()]).when(set('2025-12-31T16:00:00.000Z'), ctx(manager)).events()).toHaveLength(1);
  });

  it('appraisals are opened for past years, this year or the next, never further ahead', () => {
    const year = (y: number) =>
      open({ year: y, appraisalId: `${y}-${APPRAISAL_COMMANDS.OpenAppraisal.data.employeeNip}`, unit: { ...UNIT_FACTS, year: y } });
    given([]).when(year(2027), ctx(manager)).thenThrows('YEAR_TOO_FAR_AHEAD', { value: 2027, latest: 2026 });
    expect(given([]).when(year(2026), ctx(manager)).events()).toHaveLength(1);
    expect(given([]).when(year(2021), ctx(manager)).events()).toHaveLength(1);
  });
});
