import Database from 'better-sqlite3';
import { InvalidEventError } from '../errors';
import { newEvents, openTempSqliteEventStore, uniqueStreamId } from '../testing';
import { verifyLedgerFile } from './ledger-scan';
import { SCHEMA_VERSION, TRACE_CONTEXT_TABLE } from './schema';
import { SqliteEventStore } from './sqlite-event-store';

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const traceContext = { traceparent: TRACEPARENT, tracestate: 'ledger=1' };

/**
 * The side table of trace contexts: beside the events in the store's own file, written in the
 * append's transaction only when the append is given a context, read from another handle (as a
 * follower in another process does), pruned to the newest positions, and outside the ledger.
 */
describe('SqliteEventStore: the event_trace_context side table', () => {
  let store: SqliteEventStore;
  let path: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, path, cleanup } = await openTempSqliteEventStore({ traceContextRetention: 5 }));
  });
  afterEach(async () => {
    await cleanup();
  });

  it("an append given a trace context: every event's row, readable through another handle; the events are unchanged", async () => {
    const events = newEvents(2);
    const streamId = uniqueStreamId();
    await store.append(streamId, 'no_stream', events, { traceContext });
    const follower = SqliteEventStore.open({ path });
    try {
      for (const event of events) expect(follower.traceContextOf(event.eventId)).toEqual(traceContext);
      const untraced = newEvents(1);
      await store.append(streamId, 1, untraced);
      expect(follower.traceContextOf(untraced[0].eventId)).toBeUndefined();
    } finally {
      await follower.close();
    }
    const stored = await store.readStream(streamId);
    expect(JSON.stringify(stored)).not.toContain('0af7651916cd43dd8448eb211c80319c');
    expect(verifyLedgerFile(path).ok).toBe(true);
  });

  it('without a trace context nothing is written to the table', async () => {
    for (let i = 0; i < 3; i++) await store.append(uniqueStreamId(), 'no_stream', newEvents(2));
    expect(store.traceContextCount()).toBe(0);
    const raw = new Database(path, { readonly: true });
    expect(raw.prepare(`SELECT COUNT(*) AS n FROM ${TRACE_CONTEXT_TABLE}`).get()).toEqual({ n: 0 });
    raw.close();
  });

  it('a retry stores no second row; the append-only triggers do not cover the table (it is pruned)', async () => {
    const events = newEvents(2);
    const streamId = uniqueStreamId();
    await store.append(streamId, 'no_stream', events, { traceContext });
    const other = { traceparent: '00-11111111111111111111111111111111-2222222222222222-00' };
    await store.append(streamId, 'no_stream', events, { traceContext: other });
    expect(store.traceContextCount()).toBe(2);
    expect(store.traceContextOf(events[0].eventId)).toEqual(traceContext);
    // Only the newest 5 positions keep theirs: 2 + 3 × 2 events, the first 3 positions are pruned.
    for (let i = 0; i < 3; i++) await store.append(uniqueStreamId(), 'no_stream', newEvents(2), { traceContext: other });
    expect(store.traceContextCount()).toBe(5);
    expect(store.traceContextOf(events[0].eventId)).toBeUndefined();
    expect(store.traceContextOf(events[1].eventId)).toBeUndefined();
    expect(verifyLedgerFile(path).ok).toBe(true);
  });

  it('refuses what is not a W3C trace context, and stores nothing', async () => {
    const streamId = uniqueStreamId();
    for (const bad of [
      { traceparent: 'not-a-traceparent' },
      { traceparent: '00-00000000000000000000000000000000-b7ad6b7169203331-01' },
      { traceparent: TRACEPARENT, tracestate: 'x'.repeat(513) },
    ]) {
      await expect(store.append(streamId, 'no_stream', newEvents(1), { traceContext: bad })).rejects.toThrow(InvalidEventError);
    }
    expect(await store.headPosition()).toBe(0);
  });

  it('a file written before the table (version 2) verifies as it is, and opening it adds the table (version 3)', async () => {
    await store.append(uniqueStreamId(), 'no_stream', newEvents(2));
    await store.close();
    const raw = new Database(path);
    raw.exec(`DROP TABLE ${TRACE_CONTEXT_TABLE}`);
    raw.pragma('user_version = 2');
    raw.close();
    expect(verifyLedgerFile(path)).toMatchObject({ ok: true, problems: [] });

    const reopened = SqliteEventStore.open({ path });
    try {
      const events = newEvents(1);
      await reopened.append(uniqueStreamId(), 'no_stream', events, { traceContext });
      expect(reopened.traceContextOf(events[0].eventId)).toEqual(traceContext);
    } finally {
      await reopened.close();
    }
    const check = new Database(path, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    check.close();
    expect(verifyLedgerFile(path)).toMatchObject({ ok: true, problems: [] });
  });

  it("verify still names a change to the table's schema", async () => {
    await store.close();
    const raw = new Database(path);
    raw.exec(`CREATE TRIGGER ${TRACE_CONTEXT_TABLE}_sneak AFTER INSERT ON ${TRACE_CONTEXT_TABLE} BEGIN SELECT 1; END`);
    raw.close();
    const report = verifyLedgerFile(path);
    expect(report.problems.map((p) => p.message)).toEqual([
      expect.stringContaining(`trigger ${TRACE_CONTEXT_TABLE}_sneak is not part of the schema`),
    ]);
  });
});
