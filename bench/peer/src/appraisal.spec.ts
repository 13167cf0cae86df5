import { DeciderSpecification, EmmettError } from '@event-driven-io/emmett';
import { describe, it } from 'node:test';
import { decide, evolve, initialState, type AppraisalEvent, type GiveFeedback, type Role } from './appraisal.js';
import { validateFeedback } from './feedback-dto.js';
import assert from 'node:assert/strict';

/**
 * The peer must refuse what the ledger refuses, or it would be measured doing less work:
 * given / when / then on its decider (Emmett's DeciderSpecification) and its DTO.
 * Run by bench/peer.ts after each compile (node --test), before anything is measured.
 */
const given = DeciderSpecification.for({ decide, evolve, initialState });
const APPRAISER = '198001012005011002';
const now = new Date('2026-03-01T02:00:00Z');
const opened: AppraisalEvent = {
  type: 'AppraisalOpened',
  data: { appraisalId: '2026-1', employeeNip: '199001012020121001', appraiserId: APPRAISER, superiorId: '197001012000011003' },
};
const drafted: AppraisalEvent = { type: 'PlanDrafted', data: { plan: { results: [{ id: 'r1' }] } } };
const feedback = (actor: { id: string; role: Role }, about?: GiveFeedback['data']['about']): GiveFeedback => ({
  type: 'GiveFeedback',
  data: about === undefined ? { feedbackId: 'f1', text: 'Lengkap.' } : { feedbackId: 'f1', text: 'Lengkap.', about },
  metadata: { actor, now, requestId: 'req-1' },
});
const appraiser = { id: APPRAISER, role: 'PEJABAT_PENILAI' as const };
const refusedWith = (status: number, code: string) => (error: Error) =>
  EmmettError.isInstanceOf(error, status) && error.message.startsWith(code);

void describe('the peer: GiveFeedback', () => {
  void it('records the appraiser’s feedback about a result of the plan', () =>
    given([opened, drafted])
      .when(feedback(appraiser, { resultId: 'r1' }))
      .then([
        {
          type: 'FeedbackGiven',
          data: { feedbackId: 'f1', text: 'Lengkap.', about: { resultId: 'r1' } },
          metadata: {
            actorId: APPRAISER,
            actorRole: 'PEJABAT_PENILAI',
            occurredAt: now.toISOString(),
            correlationId: 'req-1',
            causationId: 'req-1',
          },
        },
      ]));
  void it('refuses an auditor, a stranger, another role, a missing appraisal and an unknown result', () => {
    given([opened])
      .when(feedback({ id: 'aud', role: 'AUDITOR' }))
      .thenThrows(refusedWith(403, 'AUDITOR_READ_ONLY'));
    given([]).when(feedback(appraiser)).thenThrows(refusedWith(404, 'APPRAISAL_NOT_FOUND'));
    given([opened])
      .when(feedback({ id: APPRAISER, role: 'PEGAWAI' }))
      .thenThrows(refusedWith(403, 'ROLE_NOT_ALLOWED'));
    given([opened])
      .when(feedback({ id: 'someone-else', role: 'PEJABAT_PENILAI' }))
      .thenThrows(refusedWith(403, 'NOT_THE_APPRAISER'));
    given([opened, drafted])
      .when(feedback(appraiser, { resultId: 'r9' }))
      .thenThrows(refusedWith(400, 'UNKNOWN_RESULT'));
    given([opened, drafted])
      .when(feedback(appraiser, { resultId: 'r1', behaviour: 'LOYAL' }))
      .thenThrows(refusedWith(400, 'FEEDBACK_SUBJECT_AMBIGUOUS'));
  });
});

void describe('the peer: GiveFeedbackDto', () => {
  void it('accepts the measured body and refuses what the ledger’s DTO refuses', async () => {
    assert.deepEqual(await validateFeedback({ text: 'Lengkap.', about: { resultId: 'r1' } }), {
      ok: true,
      text: 'Lengkap.',
      about: { resultId: 'r1' },
    });
    for (const body of [
      { text: '' },
      { text: 'x'.repeat(4001) },
      { text: 'ok', extra: 1 },
      { text: 'ok', about: null },
      { text: 'ok', about: { behaviour: 'X' } },
      [],
    ]) {
      assert.equal((await validateFeedback(body)).ok, false, JSON.stringify(body).slice(0, 60));
    }
  });
});
