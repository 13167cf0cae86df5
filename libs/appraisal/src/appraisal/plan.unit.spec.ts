import type { DraftPlan } from '../commands';
import type { ErrorCode } from '../error-codes';
import type { AppraisalEvent } from '../events';
import { DIALOGUE, PLAN, appraiser, approved, ctx, drafted, employee, given, opened, submitted, withApprovedPlan } from '../testing';
import type { PlanContent, WorkResult } from '../vocabulary';

const draft = (plan: PlanContent = PLAN, dialogue = DIALOGUE): DraftPlan => ({ type: 'DraftPlan', data: { plan, dialogue } });
const returned: AppraisalEvent = { type: 'PlanReturned', data: { reason: 'Indikator belum terukur' } };
const R1 = PLAN.results[0];
const withResult = (change: Partial<WorkResult>): PlanContent => ({ results: [{ ...R1, ...change }] });
const withIndicator = (change: object): PlanContent => withResult({ indicators: [{ ...R1.indicators[0], ...change }] });

describe('DraftPlan', () => {
  it('records the plan and the performance dialogue', () => {
    given([opened()]).when(draft(), ctx(employee)).then([drafted()]);
  });

  it('may be redrafted while a draft, and after the plan was returned', () => {
    given([opened(), drafted()]).when(draft(), ctx(employee)).then([drafted()]);
    given([opened(), drafted(), submitted, returned]).when(draft(), ctx(employee)).then([drafted()]);
  });

  it('is refused once submitted or approved', () => {
    given([opened(), drafted(), submitted]).when(draft(), ctx(employee)).thenThrows('PLAN_NOT_EDITABLE', { planStatus: 'SUBMITTED' });
    given(withApprovedPlan()).when(draft(), ctx(employee)).thenThrows('PLAN_NOT_EDITABLE', { planStatus: 'APPROVED' });
  });

  it('stores only the known fields of the plan', () => {
    const noisy = { results: [{ ...R1, colour: 'red', indicators: [{ ...R1.indicators[0], extra: 1 }] }] } as unknown as PlanContent;
    given([opened()])
      .when(draft(noisy, { heldOn: '2025-01-10', junk: true } as never), ctx(employee))
      .then([drafted()]);
  });

  describe('the shape of an SKP', () => {
    const refuse = (plan: PlanContent, code: ErrorCode, details?: Record<string, unknown>) =>
      given([opened()]).when(draft(plan), ctx(employee)).thenThrows(code, details);

    it('needs at least one UTAMA result', () => {
      refuse({ results: [] }, 'PLAN_WITHOUT_MAIN_RESULT');
      refuse(withResult({ kind: 'TAMBAHAN' }), 'PLAN_WITHOUT_MAIN_RESULT');
    });

    it('needs at least one indicator per result', () => {
      refuse(withResult({ indicators: [] }), 'RESULT_WITHOUT_INDICATOR', { resultId: 'R1' });
    });

    it('needs unique result ids and unique indicator ids', () => {
      refuse({ results: [R1, { ...R1, indicators: [{ ...R1.indicators[0], id: 'X' }] }] }, 'DUPLICATE_PLAN_ID', { id: 'R1' });
      refuse({ results: [R1, { ...R1, id: 'R2' }] }, 'DUPLICATE_PLAN_ID', { id: 'R1-I1' });
    });

    it('needs a known kind and aspect', () => {
      refuse(withResult({ kind: 'UTAMA_SEKALI' as never }), 'INVALID_VALUE', { field: 'plan.results[0].kind' });
      refuse(withIndicator({ aspect: 'KECEPATAN' }), 'INVALID_VALUE', { field: 'plan.results[0].indicators[0].aspect' });
    });

    it.each([-1, Number.NaN, Number.POSITIVE_INFINITY, '12'])('refuses the target value %p', (value) => {
      refuse(withIndicator({ target: { value, unit: 'laporan' } }), 'INVALID_NUMBER', {
        field: 'plan.results[0].indicators[0].target.value',
      });
    });

    it('accepts a target of zero (e.g. zero complaints)', () => {
      const zero = withIndicator({ target: { value: 0, unit: 'keluhan' } });
      given([opened()])
        .when(draft(zero), ctx(employee))
        .then([drafted(zero)]);
    });

    it('needs non-blank texts of sane length', () => {
      refuse(withIndicator({ target: { value: 1, unit: '  ' } }), 'TEXT_REQUIRED', { field: 'plan.results[0].indicators[0].target.unit' });
      refuse(withResult({ description: '' }), 'TEXT_REQUIRED', { field: 'plan.results[0].description' });
      refuse(withIndicator({ description: 'x'.repeat(2001) }), 'TEXT_TOO_LONG', { max: 2000 });
      refuse(withResult({ id: ' ' }), 'TEXT_REQUIRED', { field: 'plan.results[0].id' });
    });

    it('bounds the size of a plan', () => {
      const many = {
        results: Array.from({ length: 101 }, (_, i) => ({ ...R1, id: `R${i}`, indicators: [{ ...R1.indicators[0], id: `I${i}` }] })),
      };
      refuse(many, 'PLAN_TOO_LARGE');
    });
  });

  it.each(['2025-02-30', '10/01/2025', '', '2025-1-5'])('needs a real dialogue date, not %p', (heldOn) => {
    given([opened()]).when(draft(PLAN, { heldOn }), ctx(employee)).thenThrows('INVALID_DATE', { field: 'dialogue.heldOn' });
  });
});

describe('SubmitPlan, ApprovePlan, ReturnPlan', () => {
  it('submits a draft', () => {
    given([opened(), drafted()]).when({ type: 'SubmitPlan', data: {} }, ctx(employee)).then([submitted]);
  });

  it('cannot submit without a draft, nor a returned plan before redrafting', () => {
    given([opened()]).when({ type: 'SubmitPlan', data: {} }, ctx(employee)).thenThrows('PLAN_NOT_DRAFTED', { planStatus: 'NONE' });
    given([opened(), drafted(), submitted, returned]).when({ type: 'SubmitPlan', data: {} }, ctx(employee)).thenThrows('PLAN_NOT_DRAFTED');
    given([opened(), drafted(), submitted]).when({ type: 'SubmitPlan', data: {} }, ctx(employee)).thenThrows('PLAN_NOT_DRAFTED');
  });

  it('approves a submitted plan as version 1, which is then in force', () => {
    const state = given([opened(), drafted(), submitted]).when({ type: 'ApprovePlan', data: {} }, ctx(appraiser)).then([approved]);
    expect(state).toMatchObject({ planStatus: 'APPROVED', planVersion: 1, approvedPlan: PLAN });
  });

  it('returns a submitted plan with a reason', () => {
    given([opened(), drafted(), submitted])
      .when({ type: 'ReturnPlan', data: { reason: 'Indikator belum terukur' } }, ctx(appraiser))
      .then([returned]);
    given([opened(), drafted(), submitted])
      .when({ type: 'ReturnPlan', data: { reason: ' ' } }, ctx(appraiser))
      .thenThrows('TEXT_REQUIRED', { field: 'reason' });
  });

  it('approves or returns only a submitted plan', () => {
    given([opened(), drafted()]).when({ type: 'ApprovePlan', data: {} }, ctx(appraiser)).thenThrows('PLAN_NOT_SUBMITTED');
    given(withApprovedPlan()).when({ type: 'ApprovePlan', data: {} }, ctx(appraiser)).thenThrows('PLAN_NOT_SUBMITTED');
    given([opened(), drafted()])
      .when({ type: 'ReturnPlan', data: { reason: 'x' } }, ctx(appraiser))
      .thenThrows('PLAN_NOT_SUBMITTED');
  });
});

describe('SetBehaviourExpectation', () => {
  it('adds a specific expectation to one of the seven behaviours', () => {
    const state = given([opened()])
      .when(
        { type: 'SetBehaviourExpectation', data: { behaviour: 'KOLABORATIF', expectation: 'Aktif di tim lintas biro' } },
        ctx(appraiser),
      )
      .then([{ type: 'BehaviourExpectationSet', data: { behaviour: 'KOLABORATIF', expectation: 'Aktif di tim lintas biro' } }]);
    expect(state.behaviourExpectations).toEqual({ KOLABORATIF: 'Aktif di tim lintas biro' });
  });

  it('refuses an unknown behaviour and a blank or overlong expectation', () => {
    const set = (behaviour: string, expectation: string) =>
      ({ type: 'SetBehaviourExpectation', data: { behaviour, expectation } }) as never;
    given([opened()]).when(set('JUJUR', 'x'), ctx(appraiser)).thenThrows('INVALID_VALUE', { field: 'behaviour' });
    given([opened()]).when(set('LOYAL', '\n\t'), ctx(appraiser)).thenThrows('TEXT_REQUIRED', { field: 'expectation' });
    given([opened()])
      .when(set('LOYAL', 'x'.repeat(4001)), ctx(appraiser))
      .thenThrows('TEXT_TOO_LONG', { max: 4000 });
  });
});
