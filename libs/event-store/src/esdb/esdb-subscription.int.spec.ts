import { createServer } from 'node:net';
import { EventStoreDBClient, UnavailableError } from '@eventstore/db-client';
import { waitUntil } from '../testing/wait';
import { isPermanentError, openAllFeed } from './esdb-feed';
import { ResubscribingSubscription, type ResubscribeInfo } from './resubscribing-subscription';

/**
 * The real client's subscription, the feed and the resubscription loop together, against a port
 * nothing listens on: how a subscription behaves while the server is down. (With a server, the
 * drop-and-return tests in esdb-event-store.int.spec.ts cover the way back.)
 */
describe('a $all subscription while EventStoreDB is unreachable', () => {
  it('keeps retrying with a growing backoff, reports nothing as an error, and close() stops it', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    const client = EventStoreDBClient.connectionString(`esdb://127.0.0.1:${port}?tls=false`);
    const retries: ResubscribeInfo[] = [];
    const errors: Error[] = [];
    let calls = 0;
    const subscription = new ResubscribingSubscription(
      {
        open: (from) => openAllFeed(client, from, 100),
        isPermanent: isPermanentError,
        backoff: { initialMs: 5, maxMs: 20 },
        onResubscribe: (info) => retries.push(info),
      },
      { fromPosition: 12_345, onError: (error) => errors.push(error), handler: async () => void (calls += 1) },
    );
    try {
      await waitUntil(() => retries.length >= 4, 'four retries are scheduled', 10_000);
    } finally {
      await subscription.close();
      await client.dispose();
    }
    expect(retries[0].error).toBeInstanceOf(UnavailableError);
    expect(retries.slice(0, 4).map((r) => [r.attempt, r.delayMs, r.fromPosition])).toEqual([
      [1, 5, 12_345],
      [2, 10, 12_345],
      [3, 20, 12_345],
      [4, 20, 12_345],
    ]);
    const settled = retries.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(retries).toHaveLength(settled);
    expect(errors).toEqual([]);
    expect(calls).toBe(0);
  });
});
