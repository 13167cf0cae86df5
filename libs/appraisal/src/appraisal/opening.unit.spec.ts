import type { OpenAppraisal } from '../commands';
import {
  APPRAISAL_COMMANDS,
  APPRAISAL_ID,
  APPRAISER,
  EMPLOYEE,
  RATER,
  REVIEWER,
  SUPERIOR,
  UNIT_ID,
  YEAR,
  ctx,
  given,
  manager,
  opened,
  raterAssigned,
  reviewerAssigned,
  withObjection,
} from '../testing';

const open = (data: Partial<OpenAppraisal['data']> = {}): OpenAppraisal => ({
  type: 'OpenAppraisal',
  data: { ...APPRAISAL_COMMANDS.OpenAppraisal.data, ...data },
});

describe('OpenAppraisal', () => {
  it('opens with the policy plan deadline: end of 31 January, Jakarta time', () => {
    given([])
      .when(open(), ctx(manager))
      .then([
        {
          type: 'AppraisalOpened',
          data: {
            appraisalId: APPRAISAL_ID,
            employeeNip: EMPLOYEE,
            employeeName: 'Siti Rahmawati',
            year: YEAR,
            unitId: UNIT_ID,
            appraiserId: APPRAISER,
            superiorId: SUPERIOR,
            planDeadline: '2025-01-31T16:59:59.999Z',
          },
        },
      ]);
  });

  it('keeps an explicit plan deadline and the functional position', () => {
    const [event] = given([])
      .when(
        open({ planDeadline: '2025-02-14T16:59:59.999Z', functionalPosition: { name: 'Analis SDM Ahli Muda', annualCoefficient: 25 } }),
        ctx(manager),
      )
      .events();
    expect(event.data).toMatchObject({
      planDeadline: '2025-02-14T16:59:59.999Z',
      functionalPosition: { name: 'Analis SDM Ahli Muda', annualCoefficient: 25 },
    });
  });

  it('opens an appraisal only once', () => {
    given([opened()]).when(open(), ctx(manager)).thenThrows('APPRAISAL_ALREADY_OPENED');
  });

  it('derives the appraisal id from year and NIP', () => {
    given([])
      .when(open({ appraisalId: `2024-${EMPLOYEE}` }), ctx(manager))
      .thenThrows('APPRAISAL_ID_MISMATCH', { expected: APPRAISAL_ID });
  });

  it.each([
    ['employeeNip', { employeeNip: '19900101201503100', appraisalId: `${YEAR}-19900101201503100` }],
    ['appraiserId', { appraiserId: '19800202200501100X' }],
    ['superiorId', { superiorId: 'atasan' }],
  ])('refuses a %s that is not an 18-digit NIP', (field, data) => {
    given([]).when(open(data), ctx(manager)).thenThrows('INVALID_NIP', { field });
  });

  it.each([
    ['employee = appraiser', { appraiserId: EMPLOYEE }],
    ['employee = superior', { superiorId: EMPLOYEE }],
    ['appraiser = superior', { superiorId: APPRAISER }],
  ])('needs three different people (%s)', (_case, data) => {
    given([]).when(open(data), ctx(manager)).thenThrows('PARTIES_NOT_DISTINCT');
  });

  it.each([1999, 2101, 2025.5])('refuses the year %s', (year) => {
    given([])
      .when(open({ year, appraisalId: `${year}-${EMPLOYEE}` }), ctx(manager))
      .thenThrows('INVALID_YEAR');
  });

  it('refuses a blank or overlong name, a blank unit, a local-time deadline and a negative coefficient', () => {
    given([])
      .when(open({ employeeName: '   ' }), ctx(manager))
      .thenThrows('TEXT_REQUIRED', { field: 'employeeName' });
    given([])
      .when(open({ employeeName: 'x'.repeat(201) }), ctx(manager))
      .thenThrows('TEXT_TOO_LONG', { field: 'employeeName', max: 200 });
    given([])
      .when(open({ unitId: '' }), ctx(manager))
      .thenThrows('TEXT_REQUIRED', { field: 'unitId' });
    given([])
      .when(open({ planDeadline: '2025-02-14T23:59:59' }), ctx(manager))
      .thenThrows('INVALID_INSTANT', { field: 'planDeadline' });
    given([])
      .when(open({ functionalPosition: { name: 'Analis', annualCoefficient: -1 } }), ctx(manager))
      .thenThrows('INVALID_NUMBER');
  });
});

describe('ReassignAppraiser', () => {
  const NEW = '198111112006041011';
  const reassign = (appraiserId: string, superiorId = SUPERIOR, reason = 'Mutasi jabatan') =>
    ({ type: 'ReassignAppraiser', data: { appraiserId, superiorId, reason } }) as const;

  it('names a new appraiser and superior, with a reason', () => {
    given([opened()])
      .when(reassign(NEW), ctx(manager))
      .then([{ type: 'AppraiserReassigned', data: { appraiserId: NEW, superiorId: SUPERIOR, reason: 'Mutasi jabatan' } }]);
  });

  it('needs a reason and three different people', () => {
    given([opened()])
      .when(reassign(NEW, SUPERIOR, ' '), ctx(manager))
      .thenThrows('TEXT_REQUIRED', { field: 'reason' });
    given([opened()]).when(reassign(EMPLOYEE), ctx(manager)).thenThrows('PARTIES_NOT_DISTINCT');
    given([opened()]).when(reassign(NEW, NEW), ctx(manager)).thenThrows('PARTIES_NOT_DISTINCT');
  });

  it('never makes a 360 rater the appraiser, nor the reviewer appraiser or superior', () => {
    given([opened(), raterAssigned('TRIWULAN_II')])
      .when(reassign(RATER), ctx(manager))
      .thenThrows('RATER_IS_APPRAISER');
    const reviewed = [...withObjection(), reviewerAssigned('TAHUNAN')];
    given(reviewed).when(reassign(REVIEWER), ctx(manager)).thenThrows('REVIEWER_HAS_OTHER_ROLE', { otherRole: 'appraiserId' });
    given(reviewed).when(reassign(NEW, REVIEWER), ctx(manager)).thenThrows('REVIEWER_HAS_OTHER_ROLE', { otherRole: 'superiorId' });
  });
});

describe('SetPlanDeadline', () => {
  it('moves the deadline with a reason', () => {
    given([opened()])
      .when(APPRAISAL_COMMANDS.SetPlanDeadline, ctx(manager))
      .then([{ type: 'PlanDeadlineSet', data: { planDeadline: '2025-02-15T16:59:59.999Z', reason: 'Perpanjangan' } }]);
  });

  it('needs a valid instant and a reason', () => {
    given([opened()])
      .when({ type: 'SetPlanDeadline', data: { planDeadline: '15/02/2025', reason: 'x' } }, ctx(manager))
      .thenThrows('INVALID_INSTANT');
    given([opened()])
      .when({ type: 'SetPlanDeadline', data: { planDeadline: '2025-02-15T00:00:00Z', reason: '' } }, ctx(manager))
      .thenThrows('TEXT_REQUIRED');
  });
});
