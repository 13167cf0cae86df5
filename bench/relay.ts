/**
 * Relay figures against a real broker (KAFKA_BROKERS):
 * - throughput: N domain events (appraisals of 20) pre-appended to a fresh SQLite event store,
 *   then the relay publishes all of them (acks = all, idempotent producer, batches of 500);
 * - end-to-end lag from append (committed) to receipt by a consumer group member, appends paced
 *   at `rate`/s for `seconds`, two ways: the relay sharing the appender's store handle (woken by
 *   each append), and the relay with its own handle on the same file, as a separate relay process
 *   has (it notices appends by polling, every 100 ms by default).
 * Standalone: `node dist/bench/relay.js` (BENCH_RELAY_EVENTS, BENCH_RELAY_RATE, BENCH_RELAY_SECONDS).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type NewEvent } from '@ledger/event-store';
import { SqliteReadStore } from '@ledger/read-models';
import { Worker } from 'node:worker_threads';
import type { Kafka } from 'kafkajs';
import { createKafka, createRelayProducer, ensureTopic } from '../apps/relay/src/kafka';
import { Relay } from '../apps/relay/src/relay';
import { appraisalStream } from './fixtures';

export interface RelayThroughput {
  events: number;
  seconds: number;
  eventsPerSec: number;
}

export interface RelayLag {
  mode: string;
  rate: number;
  events: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface RelayFigures {
  brokers: string;
  throughput: RelayThroughput;
  lag: RelayLag[];
}

const APPRAISALS_FOR_LAG = 500;

export async function measureRelay(brokers: string[], events = 20_000, rate = 1_000, seconds = 10): Promise<RelayFigures> {
  const kafka = createKafka({ brokers, clientId: 'bench-relay', logger: () => undefined });
  const topics: string[] = [];
  const newTopic = async () => {
    const topic = `bench-relay-${randomUUID()}`;
    topics.push(topic);
    await ensureTopic(kafka, topic, 6);
    return topic;
  };
  try {
    const throughput = await measureThroughput(kafka, await newTopic(), events);
    const shared = await measureLag(kafka, brokers, await newTopic(), rate, seconds, undefined);
    // A relay in its own process sees another process's SQLite appends by polling: the default
    // interval, and LEDGER_EVENT_STORE_POLL_MS=20.
    const polling = await measureLag(kafka, brokers, await newTopic(), rate, seconds, 100);
    const fastPolling = await measureLag(kafka, brokers, await newTopic(), rate, seconds, 20);
    return { brokers: brokers.join(','), throughput, lag: [shared, polling, fastPolling] };
  } finally {
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
  }
}

async function measureThroughput(kafka: Kafka, topic: string, events: number): Promise<RelayThroughput> {
  return withStores(async (store, checkpoints) => {
    const appraisals = Math.ceil(events / 20);
    for (let n = 0; n < appraisals; n++) {
      const { streamId, events: stream } = appraisalStream(n, 'bench', 2026);
      await store.append(streamId, 'no_stream', stream);
    }
    const head = await store.headPosition();
    const relay = new Relay({ eventStore: store, checkpoints, producer: createRelayProducer(kafka), topic });
    const started = performance.now();
    await relay.start();
    if (!(await relay.waitFor(head, 300_000))) throw new Error('relay did not publish everything within 300 s');
    const elapsed = (performance.now() - started) / 1000;
    await relay.stop();
    return { events: head, seconds: elapsed, eventsPerSec: head / elapsed };
  });
}

/** pollIntervalMs undefined: the relay shares the appender's handle; otherwise it has its own, polling. */
async function measureLag(
  kafka: Kafka,
  brokers: string[],
  topic: string,
  rate: number,
  seconds: number,
  pollIntervalMs: number | undefined,
): Promise<RelayLag> {
  const ownHandle = pollIntervalMs !== undefined;
  const mode = ownHandle ? `relay has its own store handle (polls every ${pollIntervalMs} ms)` : "relay shares the appender's store handle";
  return withStores(async (store, checkpoints, path) => {
    const relayStore = ownHandle ? SqliteEventStore.open({ path, pollIntervalMs }) : store;
    const relay = new Relay({ eventStore: relayStore, checkpoints, producer: createRelayProducer(kafka), topic });
    const appendedAt = new Map<string, number>();
    const receivedAt = new Map<string, number>();
    const consumer = await startConsumerThread(brokers, topic, (eventId, at) => receivedAt.set(eventId, at));
    await relay.start();
    try {
      const streams = Array.from({ length: APPRAISALS_FOR_LAG }, (_, n) => appraisalStream(n, 'lag', 2026));
      const total = Math.round(rate * (seconds + 1));
      const warmUp = rate; // the first second is not measured (connections, fetch sessions)
      const started = performance.now();
      for (let i = 0; i < total; i++) {
        const due = started + (i * 1000) / rate;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
        const stream = streams[i % APPRAISALS_FOR_LAG];
        const index = Math.floor(i / APPRAISALS_FOR_LAG) % 20;
        const event: NewEvent = { ...stream.events[index], eventId: randomUUID() };
        await store.append(stream.streamId, 'any', [event]);
        if (i >= warmUp) appendedAt.set(event.eventId, now());
      }
      const deadline = Date.now() + 30_000;
      const arrived = () => [...appendedAt.keys()].filter((id) => receivedAt.has(id)).length;
      while (arrived() < appendedAt.size && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      if (arrived() < appendedAt.size) throw new Error(`only ${arrived()} of ${appendedAt.size} events arrived`);
    } finally {
      await relay.stop();
      await consumer.stop();
      if (ownHandle) await relayStore.close();
    }
    const lags = [...appendedAt].map(([id, at]) => (receivedAt.get(id) ?? Infinity) - at).sort((a, b) => a - b);
    const at = (q: number) => Math.round(lags[Math.min(lags.length - 1, Math.floor(q * lags.length))] * 10) / 10;
    return { mode, rate, events: lags.length, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: at(1) };
  });
}

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across threads. */
const now = () => performance.timeOrigin + performance.now();

/**
 * The consumer group member runs on a thread of its own, as a subscriber would in its own process:
 * sharing the appender's event loop would add the appender's work to every receipt.
 */
const CONSUMER_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const { Kafka, logLevel } = require(workerData.kafkajs);
const now = () => performance.timeOrigin + performance.now();
const consumer = new Kafka({ clientId: 'bench-relay-consumer', brokers: workerData.brokers, logLevel: logLevel.NOTHING })
  .consumer({ groupId: workerData.groupId, maxWaitTimeInMs: 100 });
consumer.on(consumer.events.GROUP_JOIN, () => parentPort.postMessage({ joined: true }));
parentPort.on('message', () => consumer.disconnect().then(() => parentPort.postMessage({ stopped: true })));
(async () => {
  await consumer.connect();
  await consumer.subscribe({ topic: workerData.topic, fromBeginning: true });
  await consumer.run({ eachBatch: async ({ batch }) => {
    const at = now();
    parentPort.postMessage({ received: batch.messages.map((m) => String(m.headers.eventId)), at });
  } });
})();
`;

async function startConsumerThread(
  brokers: string[],
  topic: string,
  onReceived: (eventId: string, at: number) => void,
): Promise<{ stop: () => Promise<void> }> {
  const worker = new Worker(CONSUMER_THREAD, {
    eval: true,
    workerData: { brokers, topic, groupId: `bench-${randomUUID()}`, kafkajs: require.resolve('kafkajs') },
  });
  let stopped: () => void = () => undefined;
  await new Promise<void>((joined, failed) => {
    worker.once('error', failed);
    worker.on('message', (message: { joined?: true; stopped?: true; received?: string[]; at?: number }) => {
      if (message.joined) joined();
      if (message.stopped) stopped();
      for (const id of message.received ?? []) onReceived(id, message.at ?? 0);
    });
  });
  return {
    stop: async () => {
      await new Promise<void>((resolve) => {
        stopped = resolve;
        worker.postMessage('stop');
      });
      await worker.terminate();
    },
  };
}

async function withStores<T>(work: (store: SqliteEventStore, checkpoints: SqliteReadStore, path: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-relay-'));
  const path = join(dir, 'events.sqlite');
  const store = SqliteEventStore.open({ path, synchronous: 'NORMAL' });
  const checkpoints = SqliteReadStore.open({ path: join(dir, 'relay.sqlite') });
  try {
    return await work(store, checkpoints, path);
  } finally {
    await store.close();
    await checkpoints.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printRelayFigures(figures: RelayFigures, out: NodeJS.WritableStream = process.stdout): void {
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const line = (label: string, value: string, note = '') => out.write(`${label.padEnd(44)} ${value.padStart(14)}  ${note}\n`);
  out.write(`\nKafka relay (broker ${figures.brokers}, topic of 6 partitions, acks=all, idempotent producer):\n`);
  const t = figures.throughput;
  line(
    '  throughput: events/s',
    fmt(t.eventsPerSec),
    `${fmt(t.events)} pre-appended events published in ${t.seconds.toFixed(2)} s (batches of 500)`,
  );
  for (const l of figures.lag) {
    line(
      `  lag append -> consumer at ${fmt(l.rate)}/s: p50`,
      `${l.p50Ms} ms`,
      `p99 ${l.p99Ms} ms, max ${l.maxMs} ms, ${fmt(l.events)} events; ${l.mode}`,
    );
  }
}

if (require.main === module) {
  const brokers = (process.env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '');
  if (brokers.length === 0) {
    process.stderr.write('bench/relay: set KAFKA_BROKERS (e.g. 127.0.0.1:39092, see test/infra/kafka.sh)\n');
    process.exit(2);
  }
  const int = (name: string, fallback: number) => Number.parseInt(process.env[name] ?? '', 10) || fallback;
  measureRelay(brokers, int('BENCH_RELAY_EVENTS', 20_000), int('BENCH_RELAY_RATE', 1_000), int('BENCH_RELAY_SECONDS', 10)).then(
    (figures) => printRelayFigures(figures),
    (error: unknown) => {
      process.stderr.write(`bench/relay failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
