import { hashEvent, toHashedFields } from '../chain';
import { verifyEvents } from '../verify';
import { GENESIS_HASH, type StoredEvent } from '../envelope';
import { InvalidEventError } from '../errors';
import { WrongExpectedRevisionError, type EventStore } from '../port';
import { FIXED_OCCURRED_AT, minutesAfterFixed, newEvent, newEvents, uniqueStreamId } from './events';
import { describeSubscriptionContract } from './subscription.contract';

export type EventStoreFactory = () => Promise<{ store: EventStore; cleanup: () => Promise<void> }>;

/**
 * The behaviour every EventStore adapter must show. Adapter-agnostic: the store may be shared
 * and non-empty (each test uses fresh stream ids and filters readAll by them) and global
 * positions are only assumed to be strictly increasing, never 1, 2, 3.
 */
export function describeEventStoreContract(name: string, factory: EventStoreFactory): void {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ store, cleanup } = await factory());
    });
    afterEach(async () => {
      await cleanup();
    });
    const ours = (events: StoredEvent[], streamIds: string[]) => events.filter((e) => streamIds.includes(e.streamId));

    describe('append and read', () => {
      it('reads back the envelope intact, revisions from 0, hashes chained and verifiable', async () => {
        const streamId = uniqueStreamId();
        const appended = [
          newEvent({ type: 'PlanDrafted', data: { results: [{ id: 'r1', target: 12.5 }], note: 'ünïcødé ✓' } }),
          newEvent({ type: 'PlanReturned', schemaVersion: 2, metadata: { reason: 'target too low', actorRole: 'pejabat_penilai' } }),
        ];
        const result = await store.append(streamId, 'no_stream', appended);
        const read = await store.readStream(streamId);

        expect(read.map(({ eventId, type, schemaVersion, data, metadata }) => ({ eventId, type, schemaVersion, data, metadata }))).toEqual(
          appended,
        );
        expect(read.map((e) => [e.streamId, e.streamRevision])).toEqual([
          [streamId, 0],
          [streamId, 1],
        ]);
        expect(read[0].prevHash).toBe(GENESIS_HASH);
        expect(read[1].prevHash).toBe(read[0].hash);
        for (const e of read) expect(e.hash).toBe(hashEvent(toHashedFields(e)));
        expect(verifyEvents(read).problems).toEqual([]);
        expect(read[1].globalPosition).toBeGreaterThan(read[0].globalPosition);
        expect(result).toEqual({ nextExpectedRevision: 1, position: read[1].globalPosition });
        expect(await store.headPosition()).toBeGreaterThanOrEqual(result.position);
      });

      it('continues the chain across appends and returns [] for an unknown stream', async () => {
        const streamId = uniqueStreamId();
        await store.append(streamId, 'no_stream', newEvents(2));
        const second = await store.append(streamId, 1, newEvents(1));
        const read = await store.readStream(streamId);
        expect(second.nextExpectedRevision).toBe(2);
        expect(read[2].prevHash).toBe(read[1].hash);
        expect(verifyEvents(read).ok).toBe(true);
        expect(await store.readStream(uniqueStreamId('missing'))).toEqual([]);
      });

      it.each([
        ['an event id that is not a lower-case UUID', newEvent({ eventId: 'not-a-uuid' })],
        ['an occurredAt not in toISOString form', newEvent({ metadata: { occurredAt: '2026-01-05T10:00:00+07:00' } })],
        ['an impossible date', newEvent({ metadata: { occurredAt: '2026-02-30T00:00:00.000Z' } })],
      ])('refuses %s and stores nothing', async (_, event) => {
        const streamId = uniqueStreamId();
        await expect(store.append(streamId, 'any', [newEvent(), event])).rejects.toBeInstanceOf(InvalidEventError);
        expect(await store.readStream(streamId)).toEqual([]);
      });
    });

    describe('expected revision', () => {
      it("refuses 'no_stream' on an existing stream and a wrong number, reporting the actual revision", async () => {
        const streamId = uniqueStreamId();
        await store.append(streamId, 'no_stream', newEvents(2));
        await expect(store.append(streamId, 'no_stream', newEvents(1))).rejects.toMatchObject({
          streamId,
          expected: 'no_stream',
          actual: 1,
        });
        await expect(store.append(streamId, 0, newEvents(1))).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        await expect(store.append(streamId, 2, newEvents(1))).rejects.toMatchObject({ expected: 2, actual: 1 });
        await expect(store.append(uniqueStreamId(), 0, newEvents(1))).rejects.toMatchObject({ actual: 'no_stream' });
        expect(await store.readStream(streamId)).toHaveLength(2);
      });

      it("'any' appends to a new and to an existing stream", async () => {
        const streamId = uniqueStreamId();
        expect((await store.append(streamId, 'any', newEvents(1))).nextExpectedRevision).toBe(0);
        expect((await store.append(streamId, 'any', newEvents(2))).nextExpectedRevision).toBe(2);
        expect(verifyEvents(await store.readStream(streamId)).ok).toBe(true);
      });

      it('lets exactly one of two concurrent appends with the same expected revision win', async () => {
        const streamId = uniqueStreamId();
        await store.append(streamId, 'no_stream', newEvents(1));
        const [a, b] = [newEvents(2), newEvents(2)];
        const outcomes = await Promise.allSettled([store.append(streamId, 0, a), store.append(streamId, 0, b)]);
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect(lost[0].reason).toBeInstanceOf(WrongExpectedRevisionError);
        expect(lost[0].reason).toMatchObject({ actual: 2 });
        const winner = outcomes[0].status === 'fulfilled' ? a : b;
        expect((await store.readStream(streamId)).slice(1).map((e) => e.eventId)).toEqual(winner.map((e) => e.eventId));
      });
    });

    describe('idempotent retry', () => {
      it('returns the original result and stores nothing twice, even after later appends', async () => {
        const streamId = uniqueStreamId();
        const batch = newEvents(3);
        const first = await store.append(streamId, 'no_stream', batch);
        expect(await store.append(streamId, 'no_stream', batch)).toEqual(first);
        await store.append(streamId, 2, newEvents(1));
        expect(await store.append(streamId, 'no_stream', batch)).toEqual(first);
        expect(await store.append(streamId, 'any', batch)).toEqual(first);
        const read = await store.readStream(streamId);
        expect(read).toHaveLength(4);
        expect(verifyEvents(read).ok).toBe(true);
      });
    });

    describe('global order and readAll', () => {
      it('orders events across streams by commit, positions strictly increasing', async () => {
        const from = await store.headPosition();
        const streams = [uniqueStreamId('a'), uniqueStreamId('b'), uniqueStreamId('c')];
        const order: string[] = [];
        const results = [];
        for (let round = 0; round < 3; round++) {
          for (const streamId of streams) {
            const batch = newEvents(2);
            results.push(await store.append(streamId, 'any', batch));
            order.push(...batch.map((e) => e.eventId));
          }
        }
        const all = ours(await store.readAll({ fromPosition: from, limit: 10_000 }), streams);
        expect(all.map((e) => e.eventId)).toEqual(order);
        all.slice(1).forEach((e, i) => expect(e.globalPosition).toBeGreaterThan(all[i].globalPosition));
        expect(results.map((r) => r.position)).toEqual(all.filter((_, i) => i % 2 === 1).map((e) => e.globalPosition));
        expect(verifyEvents(all).ok).toBe(true);
      });

      it('pages from an exclusive position without gaps or overlaps', async () => {
        const from = await store.headPosition();
        const streams = [uniqueStreamId('a'), uniqueStreamId('b')];
        for (let i = 0; i < 7; i++) await store.append(streams[i % 2], 'any', newEvents(1));
        const head = await store.headPosition();
        const pages: StoredEvent[][] = [];
        for (let position = from; position < head;) {
          const page = await store.readAll({ fromPosition: position, limit: 3 });
          expect(page.length).toBeGreaterThan(0);
          expect(page.length).toBeLessThanOrEqual(3);
          expect(page[0].globalPosition).toBeGreaterThan(position);
          pages.push(page);
          position = page[page.length - 1].globalPosition;
        }
        const paged = ours(pages.flat(), streams);
        const once = ours(await store.readAll({ fromPosition: from, limit: 1_000 }), streams);
        expect(paged).toEqual(once);
        expect(paged).toHaveLength(7);
        const fromMiddle = ours(await store.readAll({ fromPosition: once[3].globalPosition, limit: 1_000 }), streams);
        expect(fromMiddle).toEqual(once.slice(4));
      });
    });

    describe('readStream asOf, toRevision and fromRevision', () => {
      it('returns the stream as it stood at an instant or up to a revision', async () => {
        const streamId = uniqueStreamId();
        const times = [FIXED_OCCURRED_AT, minutesAfterFixed(60), minutesAfterFixed(24 * 60)];
        await store.append(
          streamId,
          'no_stream',
          newEvents(3, (n) => ({ data: { n }, metadata: { occurredAt: times[n] } })),
        );
        const revisions = async (options: { asOf?: string; toRevision?: number; fromRevision?: number }) =>
          (await store.readStream(streamId, options)).map((e) => e.streamRevision);

        expect(await revisions({ asOf: times[1] })).toEqual([0, 1]);
        expect(await revisions({ asOf: minutesAfterFixed(61) })).toEqual([0, 1]);
        expect(await revisions({ asOf: minutesAfterFixed(-1) })).toEqual([]);
        expect(await revisions({ asOf: minutesAfterFixed(100_000) })).toEqual([0, 1, 2]);
        expect(await revisions({ toRevision: 0 })).toEqual([0]);
        expect(await revisions({ toRevision: 5 })).toEqual([0, 1, 2]);
        expect(await revisions({ asOf: times[2], toRevision: 1 })).toEqual([0, 1]);
        expect(await revisions({ fromRevision: 1 })).toEqual([1, 2]);
        expect(await revisions({ fromRevision: 3 })).toEqual([]);
        expect(await revisions({ fromRevision: 1, toRevision: 1 })).toEqual([1]);
      });
    });

    describe('volume', () => {
      it('reads back 10,000 events appended in batches, in order, and they verify', async () => {
        const streamId = uniqueStreamId('big');
        const ids: string[] = [];
        for (let revision = -1; revision < 9_999; revision += 200) {
          const batch = newEvents(200, (n) => ({ data: { n: revision + 1 + n } }));
          ids.push(...batch.map((e) => e.eventId));
          await store.append(streamId, revision < 0 ? 'no_stream' : revision, batch);
        }
        const read = await store.readStream(streamId);
        expect(read).toHaveLength(10_000);
        expect(read.map((e) => e.eventId)).toEqual(ids);
        expect(read.every((e, i) => e.streamRevision === i && e.data.n === i)).toBe(true);
        expect(verifyEvents(read)).toMatchObject({ ok: true, eventsChecked: 10_000, streamsChecked: 1 });
      }, 60_000);
    });

    describeSubscriptionContract(() => store);
  });
}
