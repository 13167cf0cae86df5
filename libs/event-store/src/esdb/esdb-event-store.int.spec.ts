import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import type { StoredEvent } from '../envelope';
import { InvalidEventError } from '../errors';
import { describeEventStoreContract, describeWithServer, newEvent, newEvents, sleep, uniqueStreamId, waitUntil } from '../testing';
import { EsdbEventStore } from './esdb-event-store';
import { EsdbLayoutError } from './esdb-layout';
import type { ResubscribeInfo } from './resubscribing-subscription';
import { TcpProxy } from './testing/tcp-proxy';

/**
 * Runs when EVENTSTORE_CONNECTION_STRING points at an EventStoreDB / KurrentDB (22.6+) server, e.g.
 *   docker run -d -p 2113:2113 docker.kurrent.io/kurrent-latest/kurrentdb --insecure --run-projections=All
 *   EVENTSTORE_CONNECTION_STRING='esdb://127.0.0.1:2113?tls=false' npx jest libs/event-store/src/esdb --selectProjects int
 * The store may be shared and non-empty: every test uses fresh stream ids, and the contract only
 * assumes positions increase. The network-drop tests need a single-node, tls=false address.
 */
describeWithServer('eventstoredb', 'EsdbEventStore', (connectionString) => {
  describeEventStoreContract('EventStoreDB', async () => {
    const store = await EsdbEventStore.connect({ connectionString });
    return { store, cleanup: () => store.close() };
  });

  describe('on EventStoreDB itself', () => {
    let store: EsdbEventStore;
    beforeEach(async () => {
      store = await EsdbEventStore.connect({ connectionString });
    });
    afterEach(async () => {
      await store.close();
    });

    it("refuses '$' stream ids and types (ESDB system names) and stores nothing", async () => {
      await expect(store.append(`$${uniqueStreamId()}`, 'any', newEvents(1))).rejects.toBeInstanceOf(InvalidEventError);
      const streamId = uniqueStreamId();
      await expect(store.append(streamId, 'any', [newEvent({ type: '$Sneaky' })])).rejects.toBeInstanceOf(InvalidEventError);
      expect(await store.readStream(streamId)).toEqual([]);
    });

    it('skips foreign records in $all but refuses one inside a stream it reads', async () => {
      const raw = EventStoreDBClient.connectionString(connectionString);
      try {
        const from = await store.headPosition();
        const foreign = uniqueStreamId('orders');
        await raw.appendToStream(foreign, jsonEvent({ type: 'OrderPlaced', data: { id: 1 } }));
        const ours = uniqueStreamId();
        await store.append(ours, 'no_stream', newEvents(2));
        const all = await store.readAll({ fromPosition: from, limit: 1_000 });
        expect(all.some((e) => e.streamId === foreign)).toBe(false);
        expect(all.filter((e) => e.streamId === ours)).toHaveLength(2);
        expect(await store.headPosition()).toBe(all[all.length - 1].globalPosition);
        await expect(store.readStream(foreign)).rejects.toBeInstanceOf(EsdbLayoutError);
      } finally {
        await raw.dispose();
      }
    });
  });

  const proxied = viaProxy(connectionString);
  (proxied === undefined ? describe.skip : describe)('subscription across a dropped network (through a loopback TCP proxy)', () => {
    let proxy: TcpProxy;
    let direct: EsdbEventStore;
    let cut: EsdbEventStore;
    const retries: ResubscribeInfo[] = [];
    beforeEach(async () => {
      if (proxied === undefined) return;
      retries.length = 0;
      proxy = await TcpProxy.start(proxied.target);
      direct = await EsdbEventStore.connect({ connectionString });
      cut = await EsdbEventStore.connect({ connectionString: proxied.through(proxy.port), onResubscribe: (info) => retries.push(info) });
    });
    afterEach(async () => {
      await cut.close();
      await direct.close();
      await proxy.close();
    });

    function follow(streamId: string, fromPosition: number) {
      const delivered: StoredEvent[] = [];
      const errors: Error[] = [];
      cut.subscribe({
        fromPosition,
        batchSize: 3,
        onError: (e) => errors.push(e),
        handler: async (batch) => void delivered.push(...batch.filter((e) => e.streamId === streamId)),
      });
      return { delivered, errors };
    }

    it('resubscribes after severed connections: every event once, in order', async () => {
      const streamId = uniqueStreamId('drop');
      const sub = follow(streamId, await direct.headPosition());
      const expected: string[] = [];
      for (let round = 0; round < 4; round++) {
        const batch = newEvents(4);
        await direct.append(streamId, 'any', batch);
        expected.push(...batch.map((e) => e.eventId));
        await waitUntil(() => sub.delivered.length === expected.length, `round ${round} is delivered`, 15_000);
        proxy.sever();
      }
      await sleep(500);
      expect(sub.delivered.map((e) => e.eventId)).toEqual(expected);
      expect(retries.length).toBeGreaterThanOrEqual(3);
      expect(sub.errors).toEqual([]);
    }, 60_000);

    it('catches up on what was appended while the server was unreachable', async () => {
      const streamId = uniqueStreamId('outage');
      const sub = follow(streamId, await direct.headPosition());
      const before = newEvents(3);
      await direct.append(streamId, 'no_stream', before);
      await waitUntil(() => sub.delivered.length === 3, 'the first events are delivered', 15_000);
      await proxy.pause();
      const during = newEvents(5);
      await direct.append(streamId, 2, during);
      await sleep(1_500);
      expect(sub.delivered).toHaveLength(3);
      expect(retries.length).toBeGreaterThanOrEqual(2);
      await proxy.resume();
      await waitUntil(() => sub.delivered.length === 8, 'the events appended during the outage are delivered', 20_000);
      expect(sub.delivered.map((e) => e.eventId)).toEqual([...before, ...during].map((e) => e.eventId));
      expect(sub.errors).toEqual([]);
    }, 60_000);
  });
});

/** For a single-node, tls=false address: where it points, and the same address through a proxy port. */
function viaProxy(connectionString: string): { target: { host: string; port: number }; through: (port: number) => string } | undefined {
  const match = /^(esdb|kurrentdb|kdb):\/\/((?:[^@/?]*@)?)([^,/?:]+):(\d+)(\/?\?.*)$/i.exec(connectionString);
  if (match === null || !/[?&]tls=false(&|$)/i.test(match[5])) return undefined;
  const [, scheme, credentials, host, port, query] = match;
  return { target: { host, port: Number(port) }, through: (proxyPort) => `${scheme}://${credentials}127.0.0.1:${proxyPort}${query}` };
}
