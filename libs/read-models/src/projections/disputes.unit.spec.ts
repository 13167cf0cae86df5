import { DEFAULT_POLICY, objectionDecisionDeadline } from '@ledger/appraisal';
import type { StoredEvent } from '@ledger/event-store';
import { StoredEventLog, type FixtureActor } from '@ledger/read-models/testing';
import type { AppraisalView } from './appraisal-view';
import { disputeTimeliness, withParticipants } from './disputes-query';
import { disputesProjection, evolveDispute, type DisputeView } from './disputes';

const NIP = '199001012020121001';
const ID = `2026-${NIP}`;
const STREAM = `appraisal-${ID}`;
const employee: FixtureActor = { id: NIP, role: 'PEGAWAI' };
const superior: FixtureActor = { id: 'S1', role: 'ATASAN_PEJABAT_PENILAI' };
const fold = (events: StoredEvent[]) => events.reduce<DisputeView | null>((doc, e) => evolveDispute(doc, e), null);

describe('disputes projection', () => {
  it('opens one dispute per objection, keyed by appraisal and period', () => {
    const log = new StoredEventLog();
    const filed = log.record(STREAM, 'ObjectionFiled', { period: 'TAHUNAN', reasons: 'Tidak adil' }, employee, {
      at: '2027-01-12T03:00:00.000Z',
    });
    expect(disputesProjection.idsOf(filed)).toEqual([`${ID}:TAHUNAN`]);
    expect(fold(log.events)).toEqual({
      appraisalId: ID,
      period: 'TAHUNAN',
      employeeNip: NIP,
      year: 2026,
      filedAt: '2027-01-12T03:00:00.000Z',
      filedBy: NIP,
      reasons: 'Tidak adil',
      decisionDeadline: objectionDecisionDeadline('2027-01-12T03:00:00.000Z', DEFAULT_POLICY),
      status: 'OPEN',
      statements: [],
      reviewerId: null,
      findingsSubmitted: false,
      findings: null,
      outcome: null,
      decisionReasons: null,
      previousPredicate: null,
      predicate: null,
      decidedAt: null,
      decidedBy: null,
      lastEventAt: '2027-01-12T03:00:00.000Z',
    });
  });

  it('ignores objection steps without a filed objection, and non-objection events never reach it', () => {
    const log = new StoredEventLog();
    const stray = log.record(STREAM, 'ReviewerAssigned', { period: 'TAHUNAN', reviewerId: 'R' }, superior);
    expect(evolveDispute(null, stray)).toBeNull();
    expect(disputesProjection.handles).not.toContain('ResultDelivered');
  });

  it('follows statements, reviewer, findings and the decision', () => {
    const log = new StoredEventLog();
    log.record(STREAM, 'ObjectionFiled', { period: 'TAHUNAN', reasons: 'r' }, employee);
    log.record(STREAM, 'StatementRecorded', { period: 'TAHUNAN', party: 'PEGAWAI', statement: 'Saya keberatan' }, superior);
    log.record(STREAM, 'ReviewerAssigned', { period: 'TAHUNAN', reviewerId: 'R' }, superior);
    log.record(
      STREAM,
      'ReviewFindingsSubmitted',
      { period: 'TAHUNAN', reviewerId: 'R', findings: 'f', recommendation: 'UPHELD' },
      { id: 'R', role: 'PENINJAU' },
    );
    const decided = log.record(
      STREAM,
      'ObjectionDecided',
      { period: 'TAHUNAN', outcome: 'UPHELD', reasons: 'Sesuai', previousPredicate: 'BAIK' },
      superior,
    );
    expect(fold(log.events)).toMatchObject({
      status: 'DECIDED',
      statements: [{ party: 'PEGAWAI', statement: 'Saya keberatan', by: 'S1' }],
      reviewerId: 'R',
      findingsSubmitted: true,
      findings: { recommendation: 'UPHELD', by: 'R' },
      outcome: 'UPHELD',
      decisionReasons: 'Sesuai',
      previousPredicate: 'BAIK',
      predicate: 'BAIK',
      decidedAt: decided.metadata.occurredAt,
      decidedBy: 'S1',
    });
  });

  it('computes deadline and overdue at query time with the configured policy, and joins the participants', () => {
    const log = new StoredEventLog();
    log.record(STREAM, 'ObjectionFiled', { period: 'TAHUNAN', reasons: 'r' }, employee, { at: '2027-01-12T03:00:00.000Z' });
    const dispute = fold(log.events);
    if (dispute === null) throw new Error('no dispute');
    const policy = { ...DEFAULT_POLICY, objectionDecisionDays: 3 };
    expect(disputeTimeliness(dispute, '2027-01-15T03:00:00.000Z', policy)).toEqual({ decisionDeadline: '2027-01-15', overdue: false });
    expect(disputeTimeliness(dispute, '2027-01-16T03:00:00.000Z', policy)).toEqual({ decisionDeadline: '2027-01-15', overdue: true });
    const appraisal = { employeeName: 'Siti', unitId: 'U1', appraiserId: 'A1', superiorId: 'S1' } as AppraisalView;
    expect(withParticipants(dispute, appraisal)).toMatchObject({
      appraisalId: ID,
      employeeName: 'Siti',
      unitId: 'U1',
      appraiserId: 'A1',
      superiorId: 'S1',
    });
    expect(withParticipants(dispute, null)).toMatchObject({ unitId: null, appraiserId: null });
  });
});
