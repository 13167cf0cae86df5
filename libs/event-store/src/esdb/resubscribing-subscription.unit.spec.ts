import type { StoredEvent } from '../envelope';
import { gate, sleep, waitUntil } from '../testing/wait';
import { ResubscribingSubscription, type ResubscribeInfo } from './resubscribing-subscription';
import { ScriptedSource, type FeedPlan } from './testing/scripted-feeds';

const dropped = (message = 'UNAVAILABLE: connection reset') => ({ fail: new Error(message) });

/** Subscribes to a scripted source and records deliveries, batches, retries and errors. */
function follow(
  plans: FeedPlan[],
  options: {
    batchSize?: number;
    fromPosition?: number;
    isPermanent?: (e: Error) => boolean;
    backoff?: { initialMs: number; maxMs: number };
  } = {},
) {
  const source = new ScriptedSource(plans, options.isPermanent, options.backoff);
  const delivered: StoredEvent[] = [];
  const batches: number[] = [];
  const retries: ResubscribeInfo[] = [];
  const errors: Error[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let handler = async (batch: StoredEvent[]) => {
    delivered.push(...batch);
  };
  const subscription = new ResubscribingSubscription(
    {
      open: (from) => source.open(from),
      isPermanent: source.isPermanent,
      backoff: source.backoff,
      onResubscribe: (info) => retries.push(info),
    },
    {
      fromPosition: options.fromPosition ?? 0,
      batchSize: options.batchSize,
      onError: (error) => errors.push(error),
      handler: async (batch) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        batches.push(batch.length);
        await sleep(1);
        try {
          await handler(batch);
        } finally {
          inFlight -= 1;
        }
      },
    },
  );
  return {
    source,
    subscription,
    delivered,
    batches,
    retries,
    errors,
    maxInFlight: () => maxInFlight,
    setHandler: (next: typeof handler) => (handler = next),
  };
}
const positions = (events: StoredEvent[]) => events.map((e) => e.globalPosition);

describe('ResubscribingSubscription', () => {
  const open: ResubscribingSubscription[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  function started(...args: Parameters<typeof follow>) {
    const run = follow(...args);
    open.push(run.subscription);
    return run;
  }

  it('resubscribes after a drop from the last delivered position: every event once, in order', async () => {
    const run = started(
      [
        { deliver: 4, then: dropped() },
        { deliver: 3, then: dropped() },
      ],
      { batchSize: 3 },
    );
    const appended = run.source.append(10);
    await waitUntil(() => run.delivered.length === 10, 'all ten are delivered');
    const live = run.source.append(2);
    await waitUntil(() => run.delivered.length === 12, 'the live events are delivered');
    await sleep(20);

    expect(run.delivered.map((e) => e.eventId)).toEqual([...appended, ...live].map((e) => e.eventId));
    expect(run.source.opens).toEqual([0, 40, 70]);
    expect(run.retries.map((r) => [r.attempt, r.fromPosition, r.error.message])).toEqual([
      [1, 40, 'UNAVAILABLE: connection reset'],
      [1, 70, 'UNAVAILABLE: connection reset'],
    ]);
    expect(run.source.feeds.slice(0, 2).every((feed) => feed.closed)).toBe(true);
    expect(run.maxInFlight()).toBe(1);
    expect(Math.max(...run.batches)).toBeLessThanOrEqual(3);
    expect(run.errors).toEqual([]);
  });

  it('drops the repeated start event of a source whose start is inclusive', async () => {
    const run = started([{ deliver: 3, then: dropped(), inclusive: true }, { inclusive: true }], { fromPosition: 20 });
    run.source.append(8);
    await waitUntil(() => run.delivered.length === 6, 'the events after 20 are delivered');
    await sleep(20);
    expect(positions(run.delivered)).toEqual([30, 40, 50, 60, 70, 80]);
    // The first feed's three events were 20 (the repeat), 30 and 40.
    expect(run.source.opens).toEqual([20, 40]);
  });

  it('treats a feed that ends without an error as a drop', async () => {
    const run = started([{ deliver: 2, then: 'end' }]);
    run.source.append(5);
    await waitUntil(() => run.delivered.length === 5, 'all five are delivered');
    expect(run.retries.map((r) => r.error.message)).toEqual(['the subscription ended without an error after position 20']);
    expect(run.source.opens).toEqual([0, 20]);
  });

  it('backs off more while attempts keep failing, and starts over once a batch is delivered', async () => {
    const down = { openError: new Error('UNAVAILABLE: connect ECONNREFUSED') };
    const run = started([down, down, down, down, { deliver: 1, then: dropped() }, down], { backoff: { initialMs: 2, maxMs: 6 } });
    run.source.append(3);
    await waitUntil(() => run.delivered.length === 3, 'all three are delivered');
    expect(run.retries.map((r) => [r.attempt, r.delayMs])).toEqual([
      [1, 2],
      [2, 4],
      [3, 6],
      [4, 6],
      [1, 2],
      [2, 4],
    ]);
    expect(run.source.opens).toEqual([0, 0, 0, 0, 0, 10, 10]);
  });

  it('stops on a permanent feed error and reports it once, opening nothing more', async () => {
    const denied = new Error('access denied');
    const run = started([{ deliver: 1, then: { fail: denied } }], { isPermanent: (e) => e === denied });
    run.source.append(3);
    await waitUntil(() => run.errors.length === 1, 'the error is reported');
    await sleep(30);
    expect(run.errors).toEqual([denied]);
    expect(run.source.opens).toEqual([0]);
    expect(positions(run.delivered)).toEqual([10]);
    expect(run.source.feeds[0].closed).toBe(true);
  });

  it('stops on a handler failure without resubscribing; the failed batch is not counted as delivered', async () => {
    const run = started([{}]);
    run.setHandler(async () => {
      throw new Error('projection failed');
    });
    run.source.append(2);
    await waitUntil(() => run.errors.length === 1, 'the error is reported');
    run.source.append(2);
    await sleep(30);
    expect(run.errors.map((e) => e.message)).toEqual(['projection failed']);
    expect(run.batches).toHaveLength(1);
    expect(run.source.opens).toEqual([0]);
  });

  it('close() during a backoff pause resolves at once and opens nothing more', async () => {
    const run = started([{ openError: new Error('UNAVAILABLE') }], { backoff: { initialMs: 60_000, maxMs: 60_000 } });
    await waitUntil(() => run.retries.length === 1, 'the first retry is scheduled');
    const started_ = Date.now();
    await run.subscription.close();
    expect(Date.now() - started_).toBeLessThan(1_000);
    expect(run.source.opens).toEqual([0]);
    expect(run.errors).toEqual([]);
  });

  it('close() while waiting for events closes the feed; nothing is delivered afterwards', async () => {
    const run = started([{}]);
    run.source.append(1);
    await waitUntil(() => run.delivered.length === 1, 'the first event is delivered');
    await run.subscription.close();
    expect(run.source.feeds[0].closed).toBe(true);
    run.source.append(2);
    await sleep(30);
    expect(run.delivered).toHaveLength(1);
  });

  it('close() resolves only once the in-flight handler has finished', async () => {
    const run = started([{}]);
    const held = gate();
    let finished = false;
    run.setHandler(async () => {
      await held.promise;
      finished = true;
    });
    run.source.append(1);
    await waitUntil(() => run.batches.length === 1, 'the handler is called');
    let closed = false;
    const closing = run.subscription.close().then(() => (closed = true));
    await sleep(30);
    expect(closed).toBe(false);
    held.open();
    await closing;
    expect(finished).toBe(true);
  });

  it('refuses a bad start position or batch size', () => {
    const source = new ScriptedSource([]);
    const handler = async () => undefined;
    expect(() => new ResubscribingSubscription(source, { fromPosition: -1, handler })).toThrow(/fromPosition/);
    expect(() => new ResubscribingSubscription(source, { fromPosition: 0, batchSize: 0, handler })).toThrow(/batchSize/);
  });
});
