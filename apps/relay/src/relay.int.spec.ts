import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type StoredEvent } from '@ledger/event-store';
import { describeWithServer, waitUntil } from '@ledger/event-store/testing';
import { SqliteReadStore, type ReadStore } from '@ledger/read-models';
import { TallyConsumer } from '../../../examples/consumer/src/consumer';
import { ObjectionTally } from '../../../examples/consumer/src/objection-tally';
import { createKafka, createRelayProducer, ensureTopic } from './kafka';
import { messageKey } from './message';
import { Relay } from './relay';
import { expectCompleteAndOrderedPerKey } from './testing/delivery-checks';
import { appendInterleaved, expectedObjections, UNITS } from './testing/ledger-events';
import { TopicCollector } from './testing/topic-collector';

jest.setTimeout(60_000);

describeWithServer('kafka', 'Relay to a real Kafka broker', (address) => {
  const brokers = address.split(',');
  let dir: string;
  let store: SqliteEventStore;
  let checkpoints: SqliteReadStore;
  let topic: string;
  const logs: string[] = [];
  const kafka = createKafka({ brokers, clientId: 'relay-int-test', logger: (line) => logs.push(line) });
  const closers: Array<() => Promise<void>> = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'relay-int-'));
    store = SqliteEventStore.open({ path: join(dir, 'events.sqlite'), synchronous: 'NORMAL' });
    checkpoints = SqliteReadStore.open({ path: join(dir, 'relay.sqlite') });
    topic = `relay-test-${randomUUID()}`;
    await ensureTopic(kafka, topic, 6);
  });

  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await store.close();
    await checkpoints.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function startRelay(checkpointStore: ReadStore = checkpoints): Relay {
    const relay = new Relay({
      eventStore: store,
      checkpoints: checkpointStore,
      producer: createRelayProducer(kafka),
      topic,
      batchSize: 40,
      logger: (line) => logs.push(line),
    });
    closers.push(() => relay.stop());
    return relay;
  }

  async function collect(): Promise<TopicCollector> {
    const collector = await TopicCollector.start(brokers, topic);
    closers.push(() => collector.stop());
    return collector;
  }

  test('every event appended, several appraisals interleaved, reaches a consumer group in order per appraisal with the specified key, headers and value', async () => {
    await appendInterleaved(store, 5, 12); // caught up from the checkpoint
    const relay = startRelay();
    await relay.start();
    const collector = await collect();
    await appendInterleaved(store, 5, 8, 12); // followed live
    const head = await store.headPosition();
    expect(await relay.waitFor(head, 30_000)).toBe(true);
    await waitUntil(() => collector.distinctEventIds().size === head, `all ${head} events consumed`, 30_000);

    const stored = await store.readAll({ fromPosition: 0, limit: 10_000 });
    expect(expectCompleteAndOrderedPerKey(stored, collector.messages)).toEqual({ duplicates: 0 });
    const byId = new Map(stored.map((event) => [event.eventId, event]));
    for (const message of collector.messages) {
      const event = byId.get(message.headers.eventId) as StoredEvent;
      expect(message.headers).toEqual({
        eventId: event.eventId,
        type: event.type,
        schemaVersion: String(event.schemaVersion),
        globalPosition: String(event.globalPosition),
        hash: event.hash,
        streamId: event.streamId,
      });
      expect(JSON.parse(message.value)).toEqual(event);
    }
    // An appraisal's access log shares its key, hence its partition and its order.
    const keys = new Set(collector.messages.map((m) => m.key));
    expect(keys).toEqual(new Set([...new Set(stored.map((e) => messageKey(e.streamId)))]));
    expect(keys.has(`unit-${UNITS[0]}-2025`)).toBe(true);
    const partitionsOf = (key: string) => new Set(collector.messages.filter((m) => m.key === key).map((m) => m.partition));
    for (const key of keys) expect(partitionsOf(key).size).toBe(1);
    expect(await checkpoints.getCheckpoint(`relay:${topic}`)).toBe(head);
  });

  test('a batch acknowledged but not checkpointed is published again with the same event ids, and the example consumer drops the repeats', async () => {
    await appendInterleaved(store, 4, 10);
    const head = await store.headPosition();
    // The checkpoint store fails once, after the broker acknowledged a batch: as a crash between
    // acknowledgement and checkpoint would. Everything else is the real SQLite store.
    let failNext = true;
    const flaky: ReadStore = Object.assign(Object.create(checkpoints) as ReadStore, {
      commit: async (...args: Parameters<ReadStore['commit']>) => {
        if (failNext && (args[1]?.position ?? 0) > 20) {
          failNext = false;
          throw new Error('disk I/O error (injected)');
        }
        return checkpoints.commit(...args);
      },
    });
    const tally = new ObjectionTally(join(dir, 'tally.sqlite'));
    closers.push(async () => tally.close());
    const consumer = await TallyConsumer.start({ brokers, topic, groupId: `tally-${randomUUID()}`, tally, log: () => undefined });
    closers.push(() => consumer.stop());
    const collector = await collect();

    const relay = startRelay(flaky);
    await relay.start();
    expect(await relay.waitFor(head, 30_000)).toBe(true);
    await waitUntil(() => collector.distinctEventIds().size === head, `all ${head} events consumed`, 30_000);
    const stored = await store.readAll({ fromPosition: 0, limit: 10_000 });
    const { duplicates } = expectCompleteAndOrderedPerKey(stored, collector.messages);
    expect(duplicates).toBeGreaterThan(0);
    expect(logs.some((line) => line.includes('disk I/O error (injected)') && line.includes('resubscribing from the checkpoint'))).toBe(
      true,
    );

    await waitUntil(() => consumer.handled() === collector.messages.length, 'the example consumer handled every message', 30_000);
    expect(consumer.stats).toMatchObject({ duplicates, rejected: 0 });
    expect(tally.byUnit()).toEqual(expectedObjections(stored));
  });
});
