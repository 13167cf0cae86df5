import { DeadlineExceededError, END } from '@eventstore/db-client';
import type { StoredEvent } from '../envelope';
import { EventIdConflictError, InvalidEventError } from '../errors';
import { WrongExpectedRevisionError } from '../port';
import { newEvent, newEvents } from '../testing/events';
import { waitUntil } from '../testing/wait';
import { EsdbEventStore, EsdbStreamDeletedError } from './esdb-event-store';
import { EsdbInvalidPositionError, EsdbReadTimeoutError } from './esdb-reads';
import { ScriptedServer } from './testing/scripted-server';

function setUp(readTimeoutMs = 2_000) {
  const server = new ScriptedServer();
  const store = EsdbEventStore.over(server.client, { readTimeoutMs });
  return { server, store };
}

describe('EsdbEventStore on a scripted server', () => {
  describe('deleted streams', () => {
    it('refuses to append to a soft-deleted stream (ESDB would number the events after the deleted ones) and stores nothing', async () => {
      const { server, store } = setUp();
      await store.append('s-1', 'no_stream', newEvents(2));
      server.softDelete('s-1');
      expect(await store.readStream('s-1')).toEqual([]);
      await expect(store.append('s-1', 'no_stream', newEvents(1))).rejects.toThrow(EsdbStreamDeletedError);
      await expect(store.append('s-1', 'any', newEvents(1))).rejects.toThrow(/\$tb/);
      expect(server.storedRecords('s-1')).toHaveLength(2);
    });

    it('refuses a stream whose metadata truncates or expires its events; metadata without those settings is a new stream', async () => {
      const { server, store } = setUp();
      server.setMetadata('s-age', { $maxAge: 60 });
      await expect(store.append('s-age', 'no_stream', newEvents(1))).rejects.toThrow(EsdbStreamDeletedError);
      server.setMetadata('s-acl', { $acl: { $r: '$all' } });
      await expect(store.append('s-acl', 'no_stream', newEvents(1))).resolves.toMatchObject({ nextExpectedRevision: 0 });
    });

    it('reads a tombstoned stream as empty and refuses to append to it', async () => {
      const { server, store } = setUp();
      await store.append('s-1', 'no_stream', newEvents(2));
      server.tombstone('s-1');
      expect(await store.readStream('s-1')).toEqual([]);
      await expect(store.append('s-1', 1, newEvents(1))).rejects.toThrow(EsdbStreamDeletedError);
    });
  });

  describe('appends read little, and only on the leader', () => {
    it("an 'any' append to a long stream reads two records (the head and the read-back), not the stream", async () => {
      const { server, store } = setUp();
      for (let i = 0; i < 10; i++) await store.append('log', 'any', newEvents(30));
      server.recordsRead = 0;
      await store.append('log', 'any', newEvents(2));
      expect(server.recordsRead).toBe(2);
    });

    it('a failed expectation reads no more than the head when the ids were never claimed', async () => {
      const { server, store } = setUp();
      await store.append('s-1', 'no_stream', newEvents(100));
      server.recordsRead = 0;
      await expect(store.append('s-1', 5, newEvents(2))).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      expect(server.recordsRead).toBe(1);
    });

    it('an exact retry, after later appends, is found right after its expected revision (reading only its own records)', async () => {
      const { server, store } = setUp();
      await store.append('s-1', 'no_stream', newEvents(3));
      const batch = newEvents(2);
      const original = await store.append('s-1', 2, batch);
      for (let i = 0; i < 5; i++) await store.append('s-1', 'any', newEvents(20));
      server.recordsRead = 0;
      expect(await store.append('s-1', 2, batch)).toEqual(original);
      expect(server.recordsRead).toBe(1 + 2);
      expect(await store.readStream('s-1')).toHaveLength(3 + 2 + 100);
    });

    it("an 'any' retry is found from the head its claim recorded, and stores nothing", async () => {
      const { server, store } = setUp();
      await store.append('log', 'no_stream', newEvents(50));
      const batch = newEvents(3);
      const original = await store.append('log', 'any', batch);
      await store.append('log', 'any', newEvents(4));
      server.reads.length = 0;
      expect(await store.append('log', 'any', batch)).toEqual(original);
      // The head, then forward from revision 50 (where the original's claim says it can be), not the stream.
      expect(
        server.reads.filter((read) => read.streamId === 'log').map((read) => [read.options.direction, read.options.fromRevision]),
      ).toEqual([
        ['backwards', END],
        ['forwards', 50n],
      ]);
      expect(await store.readStream('log')).toHaveLength(57);
    });

    it('reads back on the leader: a lagging follower would not have the events yet', async () => {
      const { server, store } = setUp();
      await store.append('s-1', 'no_stream', newEvents(2));
      server.followerLag = 1_000;
      const result = await store.append('s-1', 1, newEvents(2));
      expect(result.nextExpectedRevision).toBe(3);
      const appendReads = server.reads.filter((read) => read.streamId !== '$$s-1');
      expect(appendReads.length).toBeGreaterThan(0);
      expect(appendReads.every((read) => read.options.requiresLeader === true)).toBe(true);
    });
  });

  describe("'any' under contention", () => {
    it('succeeds although other writers win the first ten rounds', async () => {
      const { server, store } = setUp();
      const rival = EsdbEventStore.over(server.client, {});
      await store.append('log', 'no_stream', newEvents(1));
      const ours = newEvents(2);
      let rounds = 0;
      server.onAppend = async (call) => {
        if (call.streamId !== 'log' || call.events[0]?.id !== ours[0].eventId || rounds >= 10) return undefined;
        rounds += 1;
        await rival.append('log', 'any', newEvents(1));
        return undefined;
      };
      const result = await store.append('log', 'any', ours);
      expect(rounds).toBe(10);
      expect(result.nextExpectedRevision).toBe(12);
      expect((await store.readStream('log')).slice(-2).map((e) => e.eventId)).toEqual(ours.map((e) => e.eventId));
    });
  });

  describe('an append whose answer is lost', () => {
    it('stored, then a deadline (a retry dropped by the server as IdempotentNotReady): returns the stored result, stores once', async () => {
      const { server, store } = setUp();
      await store.append('s-1', 'no_stream', newEvents(1));
      const batch = newEvents(2);
      let dropped = false;
      server.onAppend = (call) => {
        if (call.streamId !== 's-1' || dropped) return undefined;
        dropped = true;
        return { applyThenFail: new DeadlineExceededError(undefined, 'Deadline exceeded') };
      };
      expect(await store.append('s-1', 0, batch)).toMatchObject({ nextExpectedRevision: 2 });
      expect((await store.readStream('s-1')).map((e) => e.eventId)).toEqual([expect.any(String), ...batch.map((e) => e.eventId)]);
    });

    it('not stored, then a deadline: tries again and stores once', async () => {
      const { server, store } = setUp();
      let failed = false;
      server.onAppend = (call) => {
        if (call.streamId !== 's-1' || failed) return undefined;
        failed = true;
        return { fail: new DeadlineExceededError(undefined, 'Deadline exceeded') };
      };
      const batch = newEvents(2);
      expect(await store.append('s-1', 'no_stream', batch)).toMatchObject({ nextExpectedRevision: 1 });
      expect(await store.readStream('s-1')).toHaveLength(2);
    });
  });

  describe('event ids are unique across streams, as on SQLite and PostgreSQL', () => {
    it('refuses an id stored in another stream with EventIdConflictError and stores nothing', async () => {
      const { store } = setUp();
      const event = newEvent();
      await store.append('s-1', 'no_stream', [event]);
      await expect(store.append('s-2', 'no_stream', [newEvent(), event])).rejects.toBeInstanceOf(EventIdConflictError);
      await expect(store.append('s-2', 'any', [event])).rejects.toThrow(/claimed for\) stream s-1/);
      expect(await store.readStream('s-2')).toEqual([]);
    });

    it("refuses the claim streams' names as ledger streams, and reads them as empty", async () => {
      const { store } = setUp();
      const event = newEvent();
      await store.append('s-1', 'no_stream', [event]);
      await expect(store.append(`ledger-event-id-${event.eventId}`, 'any', newEvents(1))).rejects.toBeInstanceOf(InvalidEventError);
      expect(await store.readStream(`ledger-event-id-${event.eventId}`)).toEqual([]);
    });
  });

  describe('reads have a deadline', () => {
    it('a stuck server fails readStream, readAll and headPosition with EsdbReadTimeoutError and the calls are cancelled', async () => {
      const { server, store } = setUp(50);
      server.stuck = true;
      await expect(store.readStream('s-1')).rejects.toBeInstanceOf(EsdbReadTimeoutError);
      await expect(store.readAll({ fromPosition: 0, limit: 10 })).rejects.toBeInstanceOf(EsdbReadTimeoutError);
      await expect(store.headPosition()).rejects.toBeInstanceOf(EsdbReadTimeoutError);
      await expect(store.append('s-1', 'any', newEvents(1))).rejects.toBeInstanceOf(EsdbReadTimeoutError);
      expect(server.cancelled).toBe(4);
    });
  });

  describe('subscriptions start only from a position of this store', () => {
    function follow(store: EsdbEventStore, fromPosition: number) {
      const delivered: StoredEvent[] = [];
      const errors: Error[] = [];
      const subscription = store.subscribe({
        fromPosition,
        onError: (e) => errors.push(e),
        handler: async (b) => void delivered.push(...b),
      });
      return { delivered, errors, subscription };
    }

    it.each([
      ['beyond the end (a checkpoint of a larger store)', (last: number) => last + 1_000_000],
      ['inside a record (a position never handed out)', (last: number) => last + 1],
    ])('reports a start %s through onError, once, and stops', async (_, position) => {
      const { store } = setUp();
      const stored = await store.append('s-1', 'no_stream', newEvents(3));
      await store.append('s-2', 'no_stream', newEvents(1));
      const sub = follow(store, position(stored.position));
      await waitUntil(() => sub.errors.length > 0, 'the error is reported');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(sub.errors).toEqual([expect.any(EsdbInvalidPositionError)]);
      expect(sub.delivered).toEqual([]);
      await sub.subscription.close();
    });

    it('follows from 0 and from a ledger event’s position', async () => {
      const { store } = setUp();
      const events = newEvents(3);
      const first = await store.append('s-1', 'no_stream', events.slice(0, 1));
      await store.append('s-1', 0, events.slice(1));
      const fromStart = follow(store, 0);
      const fromFirst = follow(store, first.position);
      await waitUntil(() => fromStart.delivered.length === 3 && fromFirst.delivered.length === 2, 'both are delivered');
      expect(fromFirst.delivered.map((e) => e.eventId)).toEqual(events.slice(1).map((e) => e.eventId));
      expect([...fromStart.errors, ...fromFirst.errors]).toEqual([]);
      await store.close();
    });
  });
});
