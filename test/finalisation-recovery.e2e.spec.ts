import { appraisalDecider, appraisalStreamId, memberSnapshot, unitDecider, unitStreamId } from '@ledger/appraisal';
import { CommandPath } from '../apps/ledger-api/src/commands/command-path';
import { Ledger, P, UNIT, YEAR, appraisalOf, as, planBody, rating, orgPredicate } from './support/ledger';

// A finalisation whose deliveries were cut short (a crash after UnitFinalised was stored) is
// completed by POSTing the finalisation again: once per appraisal, never twice.
describe('completing the deliveries of a finalisation', () => {
  let l: Ledger;
  const ids = P.employees.slice(0, 3).map(appraisalOf);
  const finalisation = `/units/${UNIT}/years/${YEAR}/periods/TAHUNAN/finalisation`;

  beforeAll(async () => {
    l = await Ledger.start('2026-01-05T02:00:00.000Z');
    await l.ok(as.manager, '/units', { unitId: UNIT, year: YEAR, name: 'Biro Umum', leaderId: P.leader, upperLeaderId: P.upperLeader });
    await l.ok(as.leader, `/units/${UNIT}/years/${YEAR}/periods/TAHUNAN/organisational-predicate`, orgPredicate('BAIK'));
    const ratings = [
      rating('SESUAI_EKSPEKTASI', 'SESUAI_EKSPEKTASI'),
      rating('DI_BAWAH_EKSPEKTASI', 'SESUAI_EKSPEKTASI'),
      rating('DI_ATAS_EKSPEKTASI', 'DI_ATAS_EKSPEKTASI'),
    ];
    for (const [i, id] of ids.entries()) {
      await l.ok(as.manager, '/appraisals', {
        employeeNip: P.employees[i],
        employeeName: `P${i}`,
        year: YEAR,
        unitId: UNIT,
        appraiserId: P.appraiser,
        superiorId: P.superior,
      });
      await l.ok(as.employee(i), `/appraisals/${id}/plan/draft`, { plan: planBody(), dialogue: { heldOn: '2026-01-05' } });
      await l.ok(as.employee(i), `/appraisals/${id}/plan/submit`);
      await l.ok(as.appraiser, `/appraisals/${id}/plan/approve`);
    }
    l.clock.set('2026-12-10T02:00:00.000Z'); // the annual evaluation window is open
    for (const [i, id] of ids.entries()) await l.ok(as.appraiser, `/appraisals/${id}/periods/TAHUNAN/rating`, ratings[i]);
  });
  afterAll(() => l.close());

  it('delivers what is missing, refuses a changed rating, and never delivers twice', async () => {
    // The "crash": UnitFinalised is stored through the command path, no delivery follows.
    l.clock.set('2026-12-20T02:00:00.000Z');
    const path = l.t.app.get(CommandPath);
    const members = [];
    for (const id of ids) {
      const loaded = await path.load(appraisalStreamId(id), appraisalDecider);
      members.push(memberSnapshot(loaded.state, 'TAHUNAN', loaded.revision));
    }
    const ctx = { actor: { id: P.leader, role: 'PIMPINAN_UNIT' as const }, requestId: 'crashed-request', correlationId: 'c-1' };
    const finalised = await path.execute(
      unitStreamId(UNIT, YEAR),
      unitDecider,
      { type: 'FinaliseUnit', data: { period: 'TAHUNAN', members } },
      ctx,
    );

    // Meanwhile: evidence moves the second stream on (rating unchanged); the third rating is revised.
    await l.ok(as.employee(1), `/appraisals/${ids[1]}/evidence`, {
      resultId: 'rhk-1',
      indicatorId: 'iki-1',
      period: 'TAHUNAN',
      value: 2,
      document: { uri: 'https://d.example/2', sha256: 'd'.repeat(64) },
    });
    await l.ok(as.appraiser, `/appraisals/${ids[2]}/periods/TAHUNAN/rating/revisions`, {
      ...rating('SESUAI_EKSPEKTASI', 'DI_ATAS_EKSPEKTASI'),
      reason: 'Koreksi',
    });

    l.clock.set('2026-12-21T02:00:00.000Z');
    const completed = await l.post(as.leader, finalisation);
    expect(completed.status).toBe(200);
    expect(completed.body.finalisationEventId).toBe(finalised.events[0].eventId);
    expect(completed.body.deliveries.map((d: { status: string; code?: string }) => [d.status, d.code])).toEqual([
      ['DELIVERED', undefined],
      ['DELIVERED', undefined],
      ['NOT_DELIVERED', 'RATING_CHANGED_SINCE_CHECK'],
    ]);
    const delivered = (await l.streamOf(appraisalStreamId(ids[0]))).at(-1);
    // Completed later, so delivered (and the objection window opened) at the time it happened.
    expect(delivered).toMatchObject({
      type: 'ResultDelivered',
      eventId: completed.body.deliveries[0].eventId,
      data: { deliveredAt: '2026-12-21T02:00:00.000Z', predicate: 'BAIK' },
      metadata: { causationId: finalised.events[0].eventId, actorId: P.leader },
    });

    const head = await l.store.headPosition();
    const again = await l.post(as.leader, finalisation);
    expect(again.body.deliveries.map((d: { status: string }) => d.status)).toEqual([
      'ALREADY_DELIVERED',
      'ALREADY_DELIVERED',
      'NOT_DELIVERED',
    ]);
    expect(await l.store.headPosition()).toBe(head);
    for (const id of ids) {
      const count = (await l.streamOf(appraisalStreamId(id))).filter((e) => e.type === 'ResultDelivered').length;
      expect([id, count]).toEqual([id, id === ids[2] ? 0 : 1]);
    }
  });
});
