import Database from 'better-sqlite3';
import { verifyEvents } from '../verify';
import { EventIdConflictError, InvalidEventError } from '../errors';
import { describeEventStoreContract, newEvent, newEvents, openTempSqliteEventStore, sleep, uniqueStreamId, waitUntil } from '../testing';
import type { NewEvent, StoredEvent } from '../envelope';
import { SqliteEventStore } from './sqlite-event-store';

describeEventStoreContract('SqliteEventStore on a temp file', () => openTempSqliteEventStore());

describe('SqliteEventStore specifics', () => {
  let store: SqliteEventStore;
  let path: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, path, cleanup } = await openTempSqliteEventStore());
  });
  afterEach(async () => {
    await cleanup();
  });

  describe('append-only, enforced by the database for any connection', () => {
    let raw: Database.Database;
    let streamId: string;
    let before: StoredEvent[];
    beforeEach(async () => {
      streamId = uniqueStreamId();
      await store.append(streamId, 'no_stream', newEvents(3));
      before = await store.readStream(streamId);
      raw = new Database(path);
    });
    afterEach(() => raw.close());

    it('refuses UPDATE and DELETE', async () => {
      expect(() => raw.prepare("UPDATE events SET data = '{}' WHERE stream_revision = 1").run()).toThrow(/append-only: UPDATE refused/);
      expect(() => raw.prepare('DELETE FROM events WHERE stream_revision = 2').run()).toThrow(/append-only: DELETE refused/);
      expect(() => raw.prepare('DELETE FROM events').run()).toThrow(/append-only/);
      expect(await store.readStream(streamId)).toEqual(before);
    });

    it('refuses INSERT OR REPLACE, whose implicit delete fires no delete trigger', async () => {
      const replace = raw.prepare(
        `INSERT OR REPLACE INTO events (event_id, stream_id, stream_revision, type, schema_version, data, metadata, occurred_at, prev_hash, hash)
         SELECT event_id, stream_id, stream_revision, type, schema_version, '{"forged":true}', metadata, occurred_at, prev_hash, hash
         FROM events WHERE stream_revision = 1`,
      );
      expect(() => replace.run()).toThrow(/append-only: an insert may not replace/);
      expect(await store.readStream(streamId)).toEqual(before);
    });

    it('leaves an edit made after dropping the trigger to the hash chain, which catches it', async () => {
      raw.exec('DROP TRIGGER events_refuse_update');
      raw.prepare(`UPDATE events SET data = '{"n":99}' WHERE stream_id = ? AND stream_revision = 1`).run(streamId);
      const report = verifyEvents(await store.readStream(streamId));
      expect(report.problems).toEqual([expect.objectContaining({ kind: 'HASH_MISMATCH', streamId, revision: 1 })]);
    });
  });

  it('shows a row an insider put at position 0 or below to every reader: readStream, readAll from the start, a subscription', async () => {
    const streamId = uniqueStreamId();
    await store.append(streamId, 'no_stream', newEvents(2));
    const raw = new Database(path);
    for (const position of [0, -4]) {
      raw
        .prepare(
          `INSERT INTO events (global_position, event_id, stream_id, stream_revision, type, schema_version, data, metadata, occurred_at, prev_hash, hash)
           SELECT ?, ?, stream_id, stream_revision + 10 + ?, type, schema_version, data, metadata, occurred_at, prev_hash, hash FROM events WHERE global_position = 1`,
        )
        .run(position, crypto.randomUUID(), -position);
    }
    raw.close();
    const inStream = (await store.readStream(streamId)).map((e) => e.globalPosition).sort((a, b) => a - b);
    expect(inStream).toEqual([-4, 0, 1, 2]);
    expect((await store.readAll({ fromPosition: 0, limit: 10 })).map((e) => e.globalPosition)).toEqual([-4, 0, 1, 2]);
    expect((await store.readAll({ fromPosition: 0, limit: 1 })).map((e) => e.globalPosition)).toEqual([-4]);
    expect((await store.readAll({ fromPosition: -4, limit: 10 })).map((e) => e.globalPosition)).toEqual([0, 1, 2]);
    const delivered: number[] = [];
    const subscription = store.subscribe({
      fromPosition: 0,
      batchSize: 1,
      handler: async (batch) => void delivered.push(...batch.map((e) => e.globalPosition)),
    });
    await waitUntil(() => delivered.length >= 4, 'the four rows are delivered');
    await subscription.close();
    expect(delivered).toEqual([-4, 0, 1, 2]);
  });

  it('keeps the file in WAL mode', () => {
    const raw = new Database(path, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      raw.close();
    }
  });

  describe('event ids already stored, but not as an exact retry', () => {
    it.each([
      ['in another stream', (stored: NewEvent[]) => ({ stream: uniqueStreamId(), events: [stored[0]] })],
      ['partly (a stored id after a new one)', (stored: NewEvent[]) => ({ stream: '', events: [newEvent(), stored[0]] })],
      ['partly (a stored id before a new one)', (stored: NewEvent[]) => ({ stream: '', events: [stored[1], newEvent()] })],
      ['in another order', (stored: NewEvent[]) => ({ stream: '', events: [stored[1], stored[0]] })],
      ['not contiguously', (stored: NewEvent[]) => ({ stream: '', events: [stored[0], stored[2]] })],
      ['with other content', (stored: NewEvent[]) => ({ stream: '', events: [{ ...stored[0], data: { n: 42 } }] })],
    ])('refuses ids stored %s and stores nothing', async (_, build) => {
      const streamId = uniqueStreamId();
      const stored = newEvents(3);
      await store.append(streamId, 'no_stream', stored);
      const head = await store.headPosition();
      const { stream, events } = build(stored);
      await expect(store.append(stream || streamId, 'any', events)).rejects.toBeInstanceOf(EventIdConflictError);
      expect(await store.headPosition()).toBe(head);
    });

    it('accepts a retry of part of an earlier batch, returning that part’s last position', async () => {
      const streamId = uniqueStreamId();
      const stored = newEvents(3);
      await store.append(streamId, 'no_stream', stored);
      const read = await store.readStream(streamId);
      expect(await store.append(streamId, 'no_stream', stored.slice(1, 2))).toEqual({
        nextExpectedRevision: 1,
        position: read[1].globalPosition,
      });
    });
  });

  it.each([
    ['an empty batch', () => store.append(uniqueStreamId(), 'any', [])],
    ['a negative expected revision', () => store.append(uniqueStreamId(), -1, newEvents(1))],
    [
      'the same id twice in one batch',
      () => {
        const event = newEvent();
        return store.append(uniqueStreamId(), 'any', [event, event]);
      },
    ],
    ['data with no JSON form', () => store.append(uniqueStreamId(), 'any', [newEvent({ data: { score: NaN } })])],
    ['an asOf that is not an ISO instant', () => store.readStream(uniqueStreamId(), { asOf: '2026-01-05' })],
    ['a zero readAll limit', () => store.readAll({ fromPosition: 0, limit: 0 })],
  ])('refuses %s', async (_, call) => {
    await expect(call()).rejects.toBeInstanceOf(InvalidEventError);
  });

  it('refuses calls after close()', async () => {
    await store.close();
    await expect(store.append(uniqueStreamId(), 'any', newEvents(1))).rejects.toThrow(/closed/);
    await expect(store.headPosition()).rejects.toThrow(/closed/);
  });

  describe('live delivery', () => {
    it('wakes a subscription at once on an append through the same store object', async () => {
      const { store: slowPoller, cleanup: closeSlow } = await openTempSqliteEventStore({ pollIntervalMs: 60_000 });
      try {
        const delivered: StoredEvent[] = [];
        const subscription = slowPoller.subscribe({ fromPosition: 0, handler: async (batch) => void delivered.push(...batch) });
        await sleep(20);
        await slowPoller.append(uniqueStreamId(), 'no_stream', newEvents(2));
        await waitUntil(() => delivered.length === 2, 'the in-process append is delivered', 1_000);
        await subscription.close();
      } finally {
        await closeSlow();
      }
    });

    it('sees appends by another store object on the same file by polling', async () => {
      const other = SqliteEventStore.open({ path, pollIntervalMs: 25 });
      try {
        const delivered: StoredEvent[] = [];
        const subscription = other.subscribe({ fromPosition: 0, handler: async (batch) => void delivered.push(...batch) });
        const streamId = uniqueStreamId();
        // Let the subscription catch up (nothing) and go to sleep: only its poll can see what follows.
        await sleep(60);
        await store.append(streamId, 'no_stream', newEvents(5));
        await waitUntil(() => delivered.length === 5, 'the other store object delivers the first appends');
        await sleep(60);
        for (let revision = 4; revision < 9; revision++) await store.append(streamId, revision, newEvents(1));
        await waitUntil(() => delivered.length === 10, 'the other store object delivers the later appends');
        expect(delivered.map((e) => e.streamRevision)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        await subscription.close();
      } finally {
        await other.close();
      }
    });
  });
});
