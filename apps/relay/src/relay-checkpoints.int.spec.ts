import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  NoteSigner,
  SqliteEventStore,
  StreamingTree,
  entryOf,
  hasValidSignature,
  leafHash,
  parseCheckpoint,
  parseNote,
  parseVerifierKey,
} from '@ledger/event-store';
import { describeWithServer, newEvent, waitUntil } from '@ledger/event-store/testing';
import { SqliteReadStore } from '@ledger/read-models';
import { createKafka, createRelayProducer, ensureTopic } from './kafka';
import { Relay, type LogCheckpointRecord } from './relay';
import { TopicCollector } from './testing/topic-collector';

jest.setTimeout(60_000);

/**
 * The Merkle log's checkpoints on their own topic: after the events they cover, in size order, each
 * one signed, and each root the root of the events a consumer has received up to its size.
 */
describeWithServer('kafka', 'Relay: signed checkpoints to a real Kafka broker', (address) => {
  const brokers = address.split(',');
  const kafka = createKafka({ brokers, clientId: 'relay-checkpoints-test', logger: () => undefined });
  const signer = NoteSigner.fromKey(NoteSigner.generateKey('ledger.test/relay'));

  it('publishes the checkpoint each acknowledged batch completes, which verifies against the events consumed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relay-cp-'));
    const store = SqliteEventStore.open({ path: join(dir, 'events.sqlite'), synchronous: 'NORMAL', logSigner: signer });
    const checkpoints = SqliteReadStore.open({ path: join(dir, 'relay.sqlite') });
    const topic = `relay-events-${randomUUID()}`;
    const checkpointTopic = `relay-checkpoints-${randomUUID()}`;
    await ensureTopic(kafka, topic, 3);
    await ensureTopic(kafka, checkpointTopic, 1);
    for (let i = 0; i < 25; i++) await store.append(`appraisal-2026-${i % 4}`, 'any', [newEvent({ data: { i } })]);
    const relay = new Relay({
      eventStore: store,
      checkpoints,
      producer: createRelayProducer(kafka),
      topic,
      batchSize: 10,
      checkpointTopic: {
        topic: checkpointTopic,
        covering: (position) => {
          const c = store.log.checkpointCovering(position);
          return c === undefined ? undefined : { origin: signer.name, treeSize: c.size, root: c.root.toString('base64'), note: c.note };
        },
      },
    });
    const collected = await TopicCollector.start(brokers, checkpointTopic);
    try {
      await relay.start();
      for (let i = 0; i < 7; i++) await store.append('appraisal-2026-9', 'any', [newEvent({ data: { live: i } })]);
      expect(await relay.waitFor(await store.headPosition(), 30_000)).toBe(true);
      await waitUntil(() => collected.messages.some((m) => m.headers.treeSize === '32'), 'the checkpoint of size 32 consumed', 30_000);

      const records = collected.messages.map((m) => ({ key: m.key, value: JSON.parse(m.value) as LogCheckpointRecord }));
      const sizes = records.map((r) => r.value.treeSize);
      expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
      expect(new Set(sizes).size).toBe(sizes.length);
      expect(sizes[0]).toBe(10);
      const events = await store.readAll({ fromPosition: 0, limit: 100 });
      const key = parseVerifierKey(signer.verifierKey);
      for (const { key: recordKey, value } of records) {
        expect(recordKey).toBe(signer.name);
        const note = parseNote(value.note);
        expect(hasValidSignature(note, key)).toBe(true);
        const tree = new StreamingTree();
        for (const event of events.slice(0, value.treeSize)) tree.append(leafHash(entryOf(event.hash)));
        expect(parseCheckpoint(note.body).root.equals(tree.root())).toBe(true);
        expect(value.root).toBe(tree.root().toString('base64'));
      }
    } finally {
      await relay.stop();
      await collected.stop();
      await store.close();
      await checkpoints.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
