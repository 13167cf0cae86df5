import { join } from 'node:path';
import { SqliteEventStore } from '@ledger/event-store';
import { Ledger, P, UNIT, YEAR, as } from './support/ledger';

/**
 * Traces off (no OTEL_* variable, no span processor): a command appends as it always did, and the
 * store file's side table of trace contexts stays empty (test/tracing.e2e.spec.ts: traces on).
 */
jest.setTimeout(30_000);

describe('traces off: nothing is kept beside the events', () => {
  let l: Ledger;
  beforeAll(async () => {
    l = await Ledger.start();
  });
  afterAll(async () => {
    await l.close();
  });

  test('a command with traces off writes no row to event_trace_context', async () => {
    const res = await l.post(as.manager, '/units', {
      unitId: UNIT,
      year: YEAR,
      name: 'Biro Umum',
      leaderId: P.leader,
      upperLeaderId: P.upperLeader,
    });
    expect(res.status).toBe(201);
    const stored = await l.streamOf(`unit-${UNIT}-${YEAR}`);
    expect(stored.length).toBeGreaterThan(0);
    const other = SqliteEventStore.open({ path: join(l.t.dataDir, 'events.sqlite') });
    try {
      expect(other.traceContextCount()).toBe(0);
      for (const event of stored) expect(other.traceContextOf(event.eventId)).toBeUndefined();
    } finally {
      await other.close();
    }
  });
});
