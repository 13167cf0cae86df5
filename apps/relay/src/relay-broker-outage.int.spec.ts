import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { SqliteEventStore } from '@ledger/event-store';
import { describeWithServer, sleep, waitUntil } from '@ledger/event-store/testing';
import { SqliteReadStore } from '@ledger/read-models';
import { createKafka, createRelayProducer, ensureTopic } from './kafka';
import { Relay } from './relay';
import { expectCompleteAndOrderedPerKey } from './testing/delivery-checks';
import { appendInterleaved } from './testing/ledger-events';
import { TopicCollector } from './testing/topic-collector';

/**
 * A broker of its own (test/infra/kafka.sh, port RELAY_OUTAGE_KAFKA_PORT, default 39292), stopped
 * while the relay runs and appends continue, then started again on the same data.
 */
const run = promisify(execFile);
const script = resolve(__dirname, '..', '..', '..', 'test', 'infra', 'kafka.sh');
const port = Number(process.env.RELAY_OUTAGE_KAFKA_PORT ?? 39292);
const broker = `127.0.0.1:${port}`;
const kafkaSh = (...args: string[]) => run('bash', [script, ...args], { timeout: 150_000 });

describeWithServer('kafka', 'relay across a broker outage', () => {
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'relay-outage-'));
    await kafkaSh('start', join(dir, 'broker'), String(port));
  }, 160_000);

  afterAll(async () => {
    await kafkaSh('stop', join(dir, 'broker'));
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  test('broker stopped while appends continue, then back: every event arrives in order per appraisal, and the checkpoint never ran ahead of the acknowledgements', async () => {
    const store = SqliteEventStore.open({ path: join(dir, 'events.sqlite'), synchronous: 'NORMAL' });
    const checkpoints = SqliteReadStore.open({ path: join(dir, 'relay.sqlite') });
    const topic = `relay-outage-${randomUUID()}`;
    const logs: string[] = [];
    const kafka = createKafka({ brokers: [broker], clientId: 'relay-outage-test', logger: (line) => logs.push(line) });
    await ensureTopic(kafka, topic, 6);
    const relay = new Relay({
      eventStore: store,
      checkpoints,
      producer: createRelayProducer(kafka),
      topic,
      batchSize: 20,
      backoff: { initialMs: 100, maxMs: 1_000 },
      logger: (line) => logs.push(line),
    });
    const checkpoint = () => checkpoints.getCheckpoint(`relay:${topic}`);

    // Appends continue throughout: one round (4 appraisals, an access read) every 50 ms.
    let appending = true;
    let rounds = 0;
    const appender = (async () => {
      while (appending) {
        await appendInterleaved(store, 4, 1, rounds++);
        await sleep(50);
      }
    })();
    try {
      await relay.start();
      await waitUntil(() => relay.position() >= 50, 'the relay published 50 events', 20_000);

      await kafkaSh('stop', join(dir, 'broker'));
      const brokerDownAt = Date.now();
      await sleep(500); // an acknowledgement already on the wire when the broker stopped lands now
      const checkpointWhenDown = await checkpoint();
      const samples: number[] = [];
      while (Date.now() - brokerDownAt < 3_500) {
        samples.push(await checkpoint());
        await sleep(100);
      }
      // Nothing can be acknowledged while the broker is down, so nothing is checkpointed.
      expect(new Set(samples)).toEqual(new Set([checkpointWhenDown]));
      expect(await store.headPosition()).toBeGreaterThan(checkpointWhenDown + 40);

      await kafkaSh('start', join(dir, 'broker'), String(port));
      await sleep(1_000);
      appending = false;
      await appender;
      const head = await store.headPosition();
      expect(await relay.waitFor(head, 60_000)).toBe(true);
      expect(logs.some((line) => /relay: publishing events \d+\.\.\d+ failed \(attempt \d+\)/.test(line))).toBe(true);

      const collector = await TopicCollector.start([broker], topic);
      try {
        await waitUntil(() => collector.distinctEventIds().size === head, `all ${head} events consumed`, 30_000);
        const stored = await store.readAll({ fromPosition: 0, limit: 100_000 });
        expectCompleteAndOrderedPerKey(stored, collector.messages);
        // Everything the checkpoint covered when the broker went down had been written before:
        // a copy of it carries a record timestamp (the send time) from before the outage.
        const earliest = new Map<string, number>();
        for (const m of collector.messages)
          earliest.set(m.headers.eventId, Math.min(m.timestamp, earliest.get(m.headers.eventId) ?? Infinity));
        const late = stored.filter((e) => e.globalPosition <= checkpointWhenDown && (earliest.get(e.eventId) ?? Infinity) >= brokerDownAt);
        expect(late.map((e) => e.globalPosition)).toEqual([]);
      } finally {
        await collector.stop();
      }
    } finally {
      appending = false;
      await appender;
      await relay.stop();
      await checkpoints.close();
      await store.close();
    }
  }, 180_000);
});
