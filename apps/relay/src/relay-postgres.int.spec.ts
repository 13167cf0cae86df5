import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore } from '@ledger/event-store';
import { describeWithServer, freshSchemaName, openPostgresTestStore, waitUntil } from '@ledger/event-store/testing';
import { SqliteReadStore } from '@ledger/read-models';
import { createKafka, createRelayProducer, ensureTopic } from './kafka';
import { Relay } from './relay';
import { expectCompleteAndOrderedPerKey } from './testing/delivery-checks';
import { appendInterleaved } from './testing/ledger-events';
import { TopicCollector } from './testing/topic-collector';

jest.setTimeout(60_000);

/** The relay following the PostgreSQL event store (a schema of its own) instead of SQLite: the same delivery guarantees. */
describeWithServer('postgres', 'Relay from the PostgreSQL event store', (connectionString) => {
  describeWithServer('kafka', 'to a real Kafka broker', (address) => {
    const brokers = address.split(',');
    const closers: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const close of closers.splice(0).reverse()) await close();
    });

    test('every event, caught up and live, reaches the topic in order per appraisal, once, and the checkpoint follows', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'relay-pg-'));
      closers.push(async () => rmSync(dir, { recursive: true, force: true }));
      const { store, cleanup } = await openPostgresTestStore(connectionString, { schema: freshSchemaName() });
      closers.push(cleanup);
      const events: EventStore = store;
      const checkpoints = SqliteReadStore.open({ path: join(dir, 'relay.sqlite') });
      closers.push(() => checkpoints.close());
      const kafka = createKafka({ brokers, clientId: 'relay-pg-test', logger: () => undefined });
      const topic = `relay-pg-${randomUUID()}`;
      await ensureTopic(kafka, topic, 6);

      await appendInterleaved(events, 4, 10);
      const relay = new Relay({
        eventStore: events,
        checkpoints,
        producer: createRelayProducer(kafka),
        topic,
        batchSize: 40,
        logger: () => undefined,
      });
      closers.push(() => relay.stop());
      await relay.start();
      const collector = await TopicCollector.start(brokers, topic);
      closers.push(() => collector.stop());
      await appendInterleaved(events, 4, 6, 10);
      const head = await events.headPosition();
      expect(await relay.waitFor(head, 30_000)).toBe(true);
      const stored = await events.readAll({ fromPosition: 0, limit: 10_000 });
      await waitUntil(() => collector.distinctEventIds().size === stored.length, `all ${stored.length} events consumed`, 30_000);
      expect(expectCompleteAndOrderedPerKey(stored, collector.messages)).toEqual({ duplicates: 0 });
      expect(await checkpoints.getCheckpoint(`relay:${topic}`)).toBe(head);
    });
  });
});
