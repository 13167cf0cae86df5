import type { AssignRater, SubmitBehaviourSurvey } from '../commands';
import type { AppraisalEvent } from '../events';
import {
  APPRAISAL_COMMANDS,
  APPRAISER,
  DELIVERED_AT,
  EMPLOYEE,
  OTHER_RATER,
  RATER,
  REVIEWER,
  SURVEY_ANSWERS,
  appraiser,
  as,
  ctx,
  delivered,
  drafted,
  employee,
  given,
  opened,
  rated,
  rater,
  raterAssigned,
  reviewerAssigned,
  withApprovedPlan,
  withObjection,
} from '../testing';

describe('SelfAssess', () => {
  const selfAssess = APPRAISAL_COMMANDS.SelfAssess;
  const assessed: AppraisalEvent = { type: 'SelfAssessed', data: selfAssess.data };

  it('records the employee view once per period', () => {
    given(withApprovedPlan()).when(selfAssess, ctx(employee)).then([assessed]);
    given([...withApprovedPlan(), assessed])
      .when(selfAssess, ctx(employee))
      .thenThrows('ALREADY_SELF_ASSESSED');
    const q2 = { ...selfAssess.data, period: 'TRIWULAN_II' as const };
    given([...withApprovedPlan(), assessed])
      .when({ ...selfAssess, data: q2 }, ctx(employee, '2025-06-01T00:00:00.000Z'))
      .then([{ type: 'SelfAssessed', data: q2 }]);
  });

  it('needs an approved plan and a period that is not final', () => {
    given([opened(), drafted()]).when(selfAssess, ctx(employee)).thenThrows('PLAN_NOT_APPROVED');
    given([...withApprovedPlan(), rated('TRIWULAN_I'), delivered('TRIWULAN_I', DELIVERED_AT)])
      .when(selfAssess, ctx(employee))
      .thenThrows('RESULT_ALREADY_FINAL');
  });

  it('needs ratings on the scale and a note of sane length', () => {
    given(withApprovedPlan())
      .when({ ...selfAssess, data: { ...selfAssess.data, hasilKerja: 'BAGUS' as never } }, ctx(employee))
      .thenThrows('INVALID_VALUE');
    given(withApprovedPlan())
      .when({ ...selfAssess, data: { ...selfAssess.data, note: 'x'.repeat(4001) } }, ctx(employee))
      .thenThrows('TEXT_TOO_LONG');
  });
});

describe('AssignRater (360)', () => {
  const assign = (raterId: string, period: AssignRater['data']['period'] = 'TRIWULAN_I'): AssignRater => ({
    type: 'AssignRater',
    data: { period, raterId, relation: 'REKAN_KERJA' },
  });

  it('the appraiser assigns a peer or subordinate per period', () => {
    given([opened()])
      .when(assign(RATER), ctx(appraiser))
      .then([raterAssigned('TRIWULAN_I')]);
    given([opened()])
      .when({ type: 'AssignRater', data: { period: 'TAHUNAN', raterId: RATER, relation: 'BAWAHAN' } }, ctx(appraiser))
      .then([{ type: 'RaterAssigned', data: { period: 'TAHUNAN', raterId: RATER, relation: 'BAWAHAN' } }]);
  });

  it('never the employee nor the appraiser', () => {
    given([opened()]).when(assign(EMPLOYEE), ctx(appraiser)).thenThrows('RATER_IS_EMPLOYEE');
    given([opened()]).when(assign(APPRAISER), ctx(appraiser)).thenThrows('RATER_IS_APPRAISER');
  });

  it('never twice for one period, but again for another period', () => {
    given([opened(), raterAssigned('TRIWULAN_I')])
      .when(assign(RATER), ctx(appraiser))
      .thenThrows('RATER_ALREADY_ASSIGNED');
    given([opened(), raterAssigned('TRIWULAN_I')])
      .when(assign(RATER, 'TRIWULAN_II'), ctx(appraiser))
      .then([raterAssigned('TRIWULAN_II')]);
  });

  it('never the reviewer of an objection, and not for a final period', () => {
    given([...withObjection(), reviewerAssigned('TAHUNAN')])
      .when(assign(REVIEWER, 'TRIWULAN_IV'), ctx(appraiser))
      .thenThrows('REVIEWER_HAS_OTHER_ROLE');
    given(withObjection()).when(assign(RATER, 'TAHUNAN'), ctx(appraiser)).thenThrows('RESULT_ALREADY_FINAL');
  });

  it('needs a NIP and a known relation', () => {
    given([opened()]).when(assign('budi'), ctx(appraiser)).thenThrows('INVALID_NIP');
    given([opened()])
      .when({ type: 'AssignRater', data: { period: 'TRIWULAN_I', raterId: RATER, relation: 'ATASAN' as never } }, ctx(appraiser))
      .thenThrows('INVALID_VALUE');
  });
});

describe('SubmitBehaviourSurvey (360)', () => {
  const survey = (data: Partial<SubmitBehaviourSurvey['data']> = {}): SubmitBehaviourSurvey => ({
    type: 'SubmitBehaviourSurvey',
    data: { period: 'TRIWULAN_I', answers: SURVEY_ANSWERS, ...data },
  });
  const submitted: AppraisalEvent = {
    type: 'BehaviourSurveySubmitted',
    data: { period: 'TRIWULAN_I', raterId: RATER, answers: SURVEY_ANSWERS },
  };
  const assigned = [opened(), raterAssigned('TRIWULAN_I')];

  it('the assigned rater answers all seven behaviours once per period', () => {
    given(assigned).when(survey(), ctx(rater)).then([submitted]);
    given(assigned)
      .when(survey({ comment: 'Kolaborasi perlu ditingkatkan' }), ctx(rater))
      .then([{ ...submitted, data: { ...submitted.data, comment: 'Kolaborasi perlu ditingkatkan' } }]);
    given([...assigned, submitted])
      .when(survey(), ctx(rater))
      .thenThrows('SURVEY_ALREADY_SUBMITTED');
  });

  it('only a rater assigned for that period', () => {
    given(assigned)
      .when(survey(), ctx(as('REKAN_KERJA', OTHER_RATER)))
      .thenThrows('NOT_AN_ASSIGNED_RATER');
    given(assigned)
      .when(survey({ period: 'TRIWULAN_II' }), ctx(rater))
      .thenThrows('NOT_AN_ASSIGNED_RATER');
  });

  it('answers exactly the seven behaviours on the rating scale', () => {
    const { LOYAL: _dropped, ...six } = SURVEY_ANSWERS;
    given(assigned)
      .when(survey({ answers: six as never }), ctx(rater))
      .thenThrows('SURVEY_INCOMPLETE', { missing: ['LOYAL'] });
    given(assigned)
      .when(survey({ answers: { ...SURVEY_ANSWERS, JUJUR: 'SESUAI_EKSPEKTASI' } as never }), ctx(rater))
      .thenThrows('SURVEY_INCOMPLETE', { extra: ['JUJUR'] });
    given(assigned)
      .when(survey({ answers: { ...SURVEY_ANSWERS, LOYAL: 'OK' } as never }), ctx(rater))
      .thenThrows('INVALID_VALUE', { field: 'answers.LOYAL' });
  });

  it('only while the period is not final', () => {
    const final = [...withApprovedPlan(), raterAssigned('TRIWULAN_I'), rated('TRIWULAN_I'), delivered('TRIWULAN_I', DELIVERED_AT)];
    given(final).when(survey(), ctx(rater)).thenThrows('RESULT_ALREADY_FINAL');
  });
});
