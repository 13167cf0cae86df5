import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledger/event-store';
import { describeWithServer, waitUntil } from '@ledger/event-store/testing';
import { SqliteReadStore } from '@ledger/read-models';
import { decidedYear } from '../../../test/support/decided-year';
import { eventSchemaFiles, validateKafkaMessage } from '../../../test/support/event-contract';
import { createKafka, createRelayProducer, ensureTopic } from './kafka';
import { Relay } from './relay';
import { TopicCollector } from './testing/topic-collector';

jest.setTimeout(60_000);

/**
 * The public contract (contracts/) checked against what actually arrives on the topic: a whole
 * year decided by the real deciders, every event type, relayed to the real broker.
 */
describeWithServer('kafka', 'What the relay publishes, against contracts/', (address) => {
  const brokers = address.split(',');

  it('every record of a decided year is accepted by the AsyncAPI key and header schemas and by its event schema', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relay-contract-'));
    const store = SqliteEventStore.open({ path: join(dir, 'events.sqlite'), synchronous: 'NORMAL' });
    const checkpoints = SqliteReadStore.open({ path: join(dir, 'relay.sqlite') });
    const kafka = createKafka({ brokers, clientId: 'relay-contract-test', logger: () => undefined });
    const topic = `relay-contract-${randomUUID()}`;
    let relay: Relay | undefined;
    let collector: TopicCollector | undefined;
    try {
      const events = await decidedYear(store);
      await ensureTopic(kafka, topic, 6);
      relay = new Relay({ eventStore: store, checkpoints, producer: createRelayProducer(kafka), topic });
      await relay.start();
      collector = await TopicCollector.start(brokers, topic);
      const received = collector;
      await waitUntil(() => received.distinctEventIds().size === events.length, `all ${events.length} events consumed`, 30_000);

      const types = new Set(received.messages.map((m) => m.headers.type));
      // Each type once, whatever the number of its schema versions.
      expect([...types].sort()).toEqual([...new Set(eventSchemaFiles().map((f) => f.type))].sort());
      const refused = received.messages
        .map((m) => ({ type: m.headers.type, check: validateKafkaMessage(m) }))
        .filter(({ check }) => !check.ok);
      expect(refused).toEqual([]);
      // The checks can refuse: a record with a header that disagrees with its value.
      const tampered = { ...received.messages[0], headers: { ...received.messages[0].headers, globalPosition: '0' } };
      expect(validateKafkaMessage(tampered).ok).toBe(false);
    } finally {
      await collector?.stop();
      await relay?.stop();
      await store.close();
      await checkpoints.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
