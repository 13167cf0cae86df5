import { BEHAVIOURS } from '@ledger/appraisal';
import type { StoredEvent } from '@ledger/event-store';
import { describeEvent } from './audit-text';

const RATER = '197707072099097799';

const survey = (actorRole: string): StoredEvent => ({
  eventId: 'e1',
  streamId: 'appraisal-2026-199001012020121001',
  streamRevision: 5,
  globalPosition: 9,
  type: 'BehaviourSurveySubmitted',
  schemaVersion: 1,
  data: { period: 'TRIWULAN_I', raterId: RATER, answers: Object.fromEntries(BEHAVIOURS.map((b) => [b, 'SESUAI_EKSPEKTASI'])) },
  metadata: { actorId: RATER, actorRole, occurredAt: '2026-04-03T02:00:00.000Z', correlationId: 'c', causationId: 'k' },
  prevHash: '0'.repeat(64),
  hash: '1'.repeat(64),
});

describe('audit text', () => {
  it('never names the rater of a 360 survey, whatever relation they answered in', () => {
    for (const role of ['REKAN_KERJA', 'BAWAHAN']) {
      const text = describeEvent(survey(role));
      expect(text).not.toContain(RATER);
      expect(text).toBe('a 360 rater submitted the behaviour survey for TRIWULAN_I');
    }
  });
});
