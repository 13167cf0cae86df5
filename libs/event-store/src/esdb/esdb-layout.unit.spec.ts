import { START, binaryEvent, jsonEvent, type AllStreamRecordedEvent, type EventData } from '@eventstore/db-client';
import { hashEvent, toHashedFields } from '../chain';
import { verifyEvents } from '../verify';
import { GENESIS_HASH, type StoredEvent } from '../envelope';
import { newEvent, newEvents, uniqueStreamId } from '../testing/events';
import { chainAfter, type ChainedEvent } from './append-plan';
import { EsdbLayoutError, isLedgerRecord, toEventData, toGlobalPosition, toReadPosition, toStoredEvent } from './esdb-layout';
import { asServerReturns } from './testing/server-records';

/** Stores `chained` as the server would (revision = streamRevision, positions 1000 apart) and reads it back. */
function roundTrip(chained: ChainedEvent[], firstCommit = 5_000n): AllStreamRecordedEvent[] {
  return chained.map((event, i) => {
    const record = asServerReturns(toEventData(event), {
      streamId: event.streamId,
      revision: event.streamRevision,
      commit: firstCommit + BigInt(i) * 1_000n,
    }).event;
    if (record === undefined) throw new Error('no record');
    return record;
  });
}

const place = (streamId = 'appraisal-2026-199001012015031001', revision = 0, commit = 4_096n) => ({ streamId, revision, commit });

describe('ESDB layout', () => {
  it('round-trips envelopes through the bytes the client writes and decodes: intact, chained, verifiable', () => {
    const streamId = uniqueStreamId();
    const appended = [
      newEvent({ type: 'PlanDrafted', data: { results: [{ id: 'r1', target: 12.5 }], note: 'ünïcødé ✓', big: 2 ** 53 - 1, none: null } }),
      newEvent({ type: 'PlanReturned', schemaVersion: 2, metadata: { reason: 'target too low', actorRole: 'PEJABAT_PENILAI' } }),
    ];
    const chained = chainAfter(streamId, undefined, appended);
    const read = roundTrip(chained).map(toStoredEvent);

    expect(read.map(({ eventId, type, schemaVersion, data, metadata }) => ({ eventId, type, schemaVersion, data, metadata }))).toEqual(
      appended,
    );
    expect(read.map((e) => [e.streamId, e.streamRevision, e.globalPosition])).toEqual([
      [streamId, 0, 5_000],
      [streamId, 1, 6_000],
    ]);
    expect(read[0].prevHash).toBe(GENESIS_HASH);
    expect(read.map((e) => e.hash)).toEqual(chained.map((e) => e.hash));
    expect(verifyEvents(read).problems).toEqual([]);
  });

  it('writes the documented record: id, type, JSON content and exactly the metadata layout', () => {
    const [event] = chainAfter('unit-u1-2026', { streamRevision: 6, hash: 'a'.repeat(64) }, [newEvent({ metadata: { reason: 'why' } })]);
    const data = toEventData(event);
    expect(data).toMatchObject({ id: event.eventId, type: event.type, contentType: 'application/json', data: event.data });
    expect(JSON.parse(JSON.stringify(data.metadata))).toEqual({
      ledgerLayout: 1,
      schemaVersion: 1,
      streamRevision: 7,
      prevHash: 'a'.repeat(64),
      hash: event.hash,
      metadata: event.metadata,
    });
  });

  it('what comes back hashes to the stored hash even where JSON changes a value (-0, undefined members)', () => {
    const appended = newEvent({ data: { zero: -0, gone: undefined, list: [1, undefined, 'x'], nested: { b: 2, a: 1 } } });
    const [record] = roundTrip(chainAfter('s-1', undefined, [appended]));
    const read = toStoredEvent(record);
    expect(read.data).toEqual({ zero: 0, list: [1, null, 'x'], nested: { a: 1, b: 2 } });
    expect(hashEvent(toHashedFields(read))).toBe(read.hash);
  });

  it('tells ledger records from system and foreign ones', () => {
    const [ours] = chainAfter('s-1', undefined, [newEvent()]);
    const record = (event: EventData, streamId = 's-1') => {
      const resolved = asServerReturns(event, place(streamId)).event;
      if (resolved === undefined) throw new Error('no record');
      return resolved;
    };
    expect(isLedgerRecord(record(toEventData(ours)))).toBe(true);
    expect(isLedgerRecord(record(toEventData(ours), '$ce-s'))).toBe(false);
    expect(isLedgerRecord(record({ ...toEventData(ours), type: '$metadata' }))).toBe(false);
    expect(isLedgerRecord(record(jsonEvent({ type: 'OrderPlaced', data: { id: 1 }, metadata: { $correlationId: 'x' } })))).toBe(false);
    expect(isLedgerRecord(record(jsonEvent({ type: 'OrderPlaced', data: { id: 1 } })))).toBe(false);
    expect(isLedgerRecord(record(binaryEvent({ type: 'Blob', data: Buffer.from('x'), metadata: Buffer.from('not json') })))).toBe(false);
  });

  it.each([
    ['an unknown layout version', (m: Record<string, unknown>) => ({ ...m, ledgerLayout: 2 }), /ledgerLayout is 2/],
    [
      'a revision that disagrees with the stream',
      (m: Record<string, unknown>) => ({ ...m, streamRevision: 3 }),
      /streamRevision 3, the stream says 0/,
    ],
    ['a malformed hash', (m: Record<string, unknown>) => ({ ...m, hash: 'XYZ' }), /hash must be 64/],
    ['a missing schema version', (m: Record<string, unknown>) => ({ ...m, schemaVersion: undefined }), /schemaVersion/],
  ])('refuses a ledger record with %s, naming the record', (_, edit, message) => {
    const [event] = chainAfter('s-1', undefined, [newEvent()]);
    const data = toEventData(event);
    const record = asServerReturns({ ...data, metadata: edit(data.metadata as Record<string, unknown>) }, place('s-1')).event;
    if (record === undefined) throw new Error('no record');
    expect(() => toStoredEvent(record)).toThrow(EsdbLayoutError);
    expect(() => toStoredEvent(record)).toThrow(message);
    expect(() => toStoredEvent(record)).toThrow(event.eventId);
  });

  it('refuses a ledger record whose data is not JSON', () => {
    const [event] = chainAfter('s-1', undefined, [newEvent()]);
    const data = binaryEvent({ id: event.eventId, type: event.type, data: Buffer.from('{}'), metadata: toEventData(event).metadata });
    const record = asServerReturns(data, place('s-1')).event;
    if (record === undefined) throw new Error('no record');
    expect(() => toStoredEvent(record)).toThrow(/data is not a JSON object/);
  });
});

describe('ESDB positions', () => {
  it('maps a commit == prepare position to a number and back, up to 2^53 - 1', () => {
    for (const n of [1, 4_096, 1_234_567_890_123, Number.MAX_SAFE_INTEGER]) {
      const read = toReadPosition(n);
      expect(read).toEqual({ commit: BigInt(n), prepare: BigInt(n) });
      expect(toGlobalPosition(read === START ? undefined : (read as { commit: bigint; prepare: bigint }))).toBe(n);
    }
    expect(toReadPosition(0)).toBe(START);
  });

  it.each([
    ['no position (stream reads on servers before 22.6)', undefined, /22\.6/],
    ['the "no position" marker 2^64 - 1', { commit: 2n ** 64n - 1n, prepare: 2n ** 64n - 1n }, /22\.6/],
    ['an explicit-transaction record (commit != prepare)', { commit: 900n, prepare: 700n }, /explicit transaction/],
    ['a position beyond 2^53 - 1', { commit: 2n ** 53n, prepare: 2n ** 53n }, /beyond 2\^53/],
  ])('refuses %s', (_, position, message) => {
    expect(() => toGlobalPosition(position)).toThrow(EsdbLayoutError);
    expect(() => toGlobalPosition(position)).toThrow(message);
  });

  it('reads positions from the record the client decodes', () => {
    const [event] = chainAfter('s-1', undefined, [newEvent()]);
    const record = asServerReturns(toEventData(event), { streamId: 's-1', revision: 0, commit: 123_456n }).event as AllStreamRecordedEvent;
    expect(record.position).toEqual({ commit: 123_456n, prepare: 123_456n });
    expect(toStoredEvent(record).globalPosition).toBe(123_456);
  });
});

describe('chainAfter (used by the ESDB append)', () => {
  it('continues a stream from its head and the result verifies with the head', () => {
    const first = chainAfter('s-1', undefined, newEvents(2));
    const second = chainAfter('s-1', first[1], newEvents(2));
    const stored: StoredEvent[] = [...first, ...second].map((e, i) => ({ ...e, globalPosition: (i + 1) * 100 }));
    expect(second.map((e) => e.streamRevision)).toEqual([2, 3]);
    expect(second[0].prevHash).toBe(first[1].hash);
    expect(verifyEvents(stored).problems).toEqual([]);
  });
});
