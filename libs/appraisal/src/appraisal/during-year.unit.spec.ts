import type { GiveFeedback, RecordEvidence } from '../commands';
import type { AppraisalEvent } from '../events';
import { DEFAULT_POLICY } from '../policy';
import {
  APPRAISAL_COMMANDS,
  DELIVERED_AT,
  appraiser,
  ctx,
  delivered,
  drafted,
  employee,
  given,
  opened,
  rated,
  withApprovedPlan,
} from '../testing';

const DOC = { uri: 'https://dms.example.go.id/doc/1', sha256: 'a'.repeat(64) };
const evidence = (data: Partial<RecordEvidence['data']> = {}): RecordEvidence => ({
  type: 'RecordEvidence',
  data: { ...APPRAISAL_COMMANDS.RecordEvidence.data, ...data },
});
const recorded: AppraisalEvent = {
  type: 'EvidenceRecorded',
  data: { evidenceId: 'E1', resultId: 'R1', indicatorId: 'R1-I1', period: 'TRIWULAN_I', value: 3, document: DOC },
};

describe('RecordEvidence', () => {
  it('records a value against an indicator of the plan in force, with the document reference and hash', () => {
    given(withApprovedPlan()).when(evidence(), ctx(employee)).then([recorded]);
    given(withApprovedPlan())
      .when(evidence({ note: 'Laporan Q1' }), ctx(employee))
      .then([{ ...recorded, data: { ...recorded.data, note: 'Laporan Q1' } }]);
  });

  it('needs an approved plan', () => {
    given([opened(), drafted()]).when(evidence(), ctx(employee)).thenThrows('PLAN_NOT_APPROVED');
  });

  it('refers to an existing result and indicator of that result', () => {
    given(withApprovedPlan())
      .when(evidence({ resultId: 'R9' }), ctx(employee))
      .thenThrows('UNKNOWN_RESULT', { value: 'R9' });
    given(withApprovedPlan())
      .when(evidence({ indicatorId: 'R9-I1' }), ctx(employee))
      .thenThrows('UNKNOWN_INDICATOR', { value: 'R9-I1' });
  });

  it.each([
    ['upper-case hex', 'A'.repeat(64)],
    ['63 characters', 'a'.repeat(63)],
    ['not hex', 'g'.repeat(64)],
  ])('refuses a SHA-256 in %s', (_case, sha256) => {
    given(withApprovedPlan())
      .when(evidence({ document: { ...DOC, sha256 } }), ctx(employee))
      .thenThrows('INVALID_SHA256');
  });

  it('needs a plausible absolute URI', () => {
    given(withApprovedPlan())
      .when(evidence({ document: { ...DOC, uri: ' ' } }), ctx(employee))
      .thenThrows('TEXT_REQUIRED', { field: 'document.uri' });
    given(withApprovedPlan())
      .when(evidence({ document: { ...DOC, uri: 'laporan q1.pdf' } }), ctx(employee))
      .thenThrows('INVALID_URI');
    given(withApprovedPlan())
      .when(evidence({ document: { ...DOC, uri: 'https://x/' + 'a'.repeat(2048) } }), ctx(employee))
      .thenThrows('TEXT_TOO_LONG');
    expect(
      given(withApprovedPlan())
        .when(evidence({ document: { ...DOC, uri: 'urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66' } }), ctx(employee))
        .events(),
    ).toHaveLength(1);
  });

  it.each([Number.NaN, Number.NEGATIVE_INFINITY, '3'])('refuses the value %p', (value) => {
    given(withApprovedPlan())
      .when(evidence({ value: value as number }), ctx(employee))
      .thenThrows('INVALID_NUMBER', { field: 'value' });
  });

  it('needs a unique evidence id', () => {
    given([...withApprovedPlan(), recorded])
      .when(evidence(), ctx(employee))
      .thenThrows('EVIDENCE_ID_TAKEN');
  });

  it('needs a period in use and not yet final', () => {
    const quarterlyOff = { ...DEFAULT_POLICY, periods: ['TAHUNAN' as const] };
    given(withApprovedPlan())
      .when(evidence(), { ...ctx(employee), policy: quarterlyOff })
      .thenThrows('PERIOD_NOT_IN_USE');
    given(withApprovedPlan())
      .when(evidence({ period: 'SEMESTER_I' as never }), ctx(employee))
      .thenThrows('PERIOD_NOT_IN_USE');
    const final = [...withApprovedPlan(), rated('TRIWULAN_I'), delivered('TRIWULAN_I', DELIVERED_AT)];
    given(final).when(evidence(), ctx(employee)).thenThrows('RESULT_ALREADY_FINAL');
    expect(
      given(final)
        .when(evidence({ period: 'TRIWULAN_II' }), ctx(employee))
        .events(),
    ).toHaveLength(1);
  });
});

describe('GiveFeedback and RespondToFeedback', () => {
  const feedback = (about?: GiveFeedback['data']['about'], feedbackId = 'F1'): GiveFeedback => ({
    type: 'GiveFeedback',
    data: about ? { feedbackId, text: 'Pertahankan', about } : { feedbackId, text: 'Pertahankan' },
  });
  const given1 = (about?: GiveFeedback['data']['about']): AppraisalEvent => ({
    type: 'FeedbackGiven',
    data: about ? { feedbackId: 'F1', text: 'Pertahankan', about } : { feedbackId: 'F1', text: 'Pertahankan' },
  });

  it('gives feedback, optionally about a result, a behaviour or a piece of evidence', () => {
    given([opened()]).when(feedback(), ctx(appraiser)).then([given1()]);
    given([opened(), drafted()])
      .when(feedback({ resultId: 'R1' }), ctx(appraiser))
      .then([given1({ resultId: 'R1' })]);
    given([opened()])
      .when(feedback({ behaviour: 'HARMONIS' }), ctx(appraiser))
      .then([given1({ behaviour: 'HARMONIS' })]);
    given([...withApprovedPlan(), recorded])
      .when(feedback({ evidenceId: 'E1' }), ctx(appraiser))
      .then([given1({ evidenceId: 'E1' })]);
  });

  it('is about at most one thing, and that thing exists', () => {
    given([...withApprovedPlan(), recorded])
      .when(feedback({ resultId: 'R1', evidenceId: 'E1' }), ctx(appraiser))
      .thenThrows('FEEDBACK_SUBJECT_AMBIGUOUS');
    given(withApprovedPlan())
      .when(feedback({ resultId: 'R7' }), ctx(appraiser))
      .thenThrows('UNKNOWN_RESULT');
    given(withApprovedPlan())
      .when(feedback({ evidenceId: 'E7' }), ctx(appraiser))
      .thenThrows('UNKNOWN_EVIDENCE');
    given(withApprovedPlan())
      .when(feedback({ behaviour: 'JUJUR' as never }), ctx(appraiser))
      .thenThrows('INVALID_VALUE');
  });

  it('needs a unique id and a non-blank text', () => {
    given([opened(), given1()]).when(feedback(), ctx(appraiser)).thenThrows('FEEDBACK_ID_TAKEN');
    given([opened()])
      .when({ type: 'GiveFeedback', data: { feedbackId: 'F2', text: ' ' } }, ctx(appraiser))
      .thenThrows('TEXT_REQUIRED');
  });

  it('the employee responds to an existing feedback', () => {
    given([opened(), given1()])
      .when(APPRAISAL_COMMANDS.RespondToFeedback, ctx(employee))
      .then([{ type: 'FeedbackResponded', data: { feedbackId: 'F1', text: 'Terima kasih' } }]);
    given([opened()]).when(APPRAISAL_COMMANDS.RespondToFeedback, ctx(employee)).thenThrows('FEEDBACK_NOT_FOUND');
    given([opened(), given1()])
      .when({ type: 'RespondToFeedback', data: { feedbackId: 'F1', text: '' } }, ctx(employee))
      .thenThrows('TEXT_REQUIRED');
  });
});
