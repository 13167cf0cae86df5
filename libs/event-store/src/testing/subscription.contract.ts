import type { StoredEvent } from '../envelope';
import type { EventStore, Subscription } from '../port';
import { newEvents, uniqueStreamId } from './events';
import { gate, sleep, waitUntil } from './wait';

/** Long enough for any adapter's poll to have seen an append that should not arrive. */
const QUIET_MS = 400;

/** Part of describeEventStoreContract; `store` is the current test's store. */
export function describeSubscriptionContract(store: () => EventStore): void {
  describe('subscribe', () => {
    const open: Subscription[] = [];
    afterEach(async () => {
      await Promise.all(open.splice(0).map((s) => s.close()));
    });

    /** Subscribes and records this test's events (by stream id) as delivered, batch by batch. */
    function follow(fromPosition: number, streamIds: string[], options: { batchSize?: number; handlerDelayMs?: number } = {}) {
      const delivered: StoredEvent[] = [];
      const errors: Error[] = [];
      let inFlight = 0;
      let maxInFlight = 0;
      const subscription = store().subscribe({
        fromPosition,
        batchSize: options.batchSize,
        onError: (error) => errors.push(error),
        handler: async (batch) => {
          inFlight += 1;
          maxInFlight = Math.max(maxInFlight, inFlight);
          if (options.handlerDelayMs) await sleep(options.handlerDelayMs);
          delivered.push(...batch.filter((e) => streamIds.includes(e.streamId)));
          inFlight -= 1;
        },
      });
      open.push(subscription);
      return { subscription, delivered, errors, maxInFlight: () => maxInFlight };
    }
    const ids = (events: { eventId: string }[]) => events.map((e) => e.eventId);

    it('catches up, then delivers live appends in global order, each once, one batch at a time', async () => {
      const from = await store().headPosition();
      const streams = [uniqueStreamId('a'), uniqueStreamId('b')];
      const expected: string[] = [];
      for (let i = 0; i < 6; i++) {
        const batch = newEvents(3);
        await store().append(streams[i % 2], 'any', batch);
        expected.push(...ids(batch));
      }
      const sub = follow(from, streams, { batchSize: 4, handlerDelayMs: 2 });
      await waitUntil(() => sub.delivered.length === expected.length, 'the catch-up is delivered');

      for (let i = 0; i < 6; i++) {
        const batch = newEvents(2);
        await store().append(streams[i % 2], 'any', batch);
        expected.push(...ids(batch));
        if (i % 2 === 0) await sleep(10);
      }
      await waitUntil(() => sub.delivered.length >= expected.length, 'the live appends are delivered');
      await sleep(QUIET_MS);
      expect(ids(sub.delivered)).toEqual(expected);
      sub.delivered.slice(1).forEach((e, i) => expect(e.globalPosition).toBeGreaterThan(sub.delivered[i].globalPosition));
      expect(sub.maxInFlight()).toBe(1);
      expect(sub.errors).toEqual([]);
    });

    it('starts after the given position', async () => {
      const streamId = uniqueStreamId();
      await store().append(streamId, 'no_stream', newEvents(6));
      const stored = await store().readStream(streamId);
      const sub = follow(stored[2].globalPosition, [streamId]);
      await waitUntil(() => sub.delivered.length === 3, 'the events after the start are delivered');
      const live = newEvents(1);
      await store().append(streamId, 5, live);
      await waitUntil(() => sub.delivered.length === 4, 'the live event is delivered');
      expect(ids(sub.delivered)).toEqual([...ids(stored.slice(3)), ...ids(live)]);
    });

    it('delivers nothing after close()', async () => {
      const streamId = uniqueStreamId();
      const sub = follow(await store().headPosition(), [streamId]);
      await store().append(streamId, 'no_stream', newEvents(2));
      await waitUntil(() => sub.delivered.length === 2, 'the first events are delivered');
      await sub.subscription.close();
      await store().append(streamId, 1, newEvents(2));
      await sleep(QUIET_MS);
      expect(sub.delivered).toHaveLength(2);
    });

    it('close() resolves only once the in-flight handler has finished', async () => {
      const streamId = uniqueStreamId();
      const held = gate();
      let entered = false;
      let finished = false;
      const subscription = store().subscribe({
        fromPosition: await store().headPosition(),
        handler: async () => {
          entered = true;
          await held.promise;
          finished = true;
        },
      });
      open.push(subscription);
      await store().append(streamId, 'no_stream', newEvents(1));
      await waitUntil(() => entered, 'the handler is called');
      let closed = false;
      const closing = subscription.close().then(() => {
        closed = true;
      });
      await sleep(50);
      expect(closed).toBe(false);
      held.open();
      await closing;
      expect(finished).toBe(true);
    });

    it('stops and reports through onError when the handler throws', async () => {
      const streamId = uniqueStreamId();
      const errors: Error[] = [];
      let calls = 0;
      const subscription = store().subscribe({
        fromPosition: await store().headPosition(),
        onError: (error) => errors.push(error),
        handler: async () => {
          calls += 1;
          throw new Error('projection failed');
        },
      });
      open.push(subscription);
      await store().append(streamId, 'no_stream', newEvents(1));
      await waitUntil(() => errors.length === 1, 'the error is reported');
      await store().append(streamId, 0, newEvents(1));
      await sleep(QUIET_MS);
      expect(errors.map((e) => e.message)).toEqual(['projection failed']);
      expect(calls).toBe(1);
    });
  });
}
