import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SqliteEventStore } from '@ledger/event-store';
import { describeWithServer, sleep, waitUntil } from '@ledger/event-store/testing';
import { SqliteReadStore } from '@ledger/read-models';
import { TallyConsumer } from '../../../examples/consumer/src/consumer';
import { ObjectionTally } from '../../../examples/consumer/src/objection-tally';
import { createKafka, ensureTopic } from './kafka';
import { expectCompleteAndOrderedPerKey } from './testing/delivery-checks';
import { appendInterleaved, expectedObjections } from './testing/ledger-events';
import { TopicCollector } from './testing/topic-collector';

/**
 * The relay as its own process, compiled with SWC as the build does: strict start-up, SIGKILL in
 * the middle of publishing, restart, SIGTERM.
 */
const root = resolve(__dirname, '..', '..', '..');
let work: string;
let main: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'relay-process-'));
  const built = join(work, 'dist');
  execFileSync(
    join(root, 'node_modules', '.bin', 'swc'),
    ['apps/relay', 'libs', '-d', built, '--quiet', '--ignore', '**/*.spec.ts,**/testing/**'],
    { cwd: root },
  );
  main = join(built, 'apps', 'relay', 'src', 'main.js');
}, 60_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface RelayProcess {
  kill(signal: NodeJS.Signals): void;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

/** Starts main.js with only the given environment (plus PATH and NODE_PATH). */
function spawnRelay(env: Record<string, string>): RelayProcess {
  const child = spawn(process.execPath, [main], {
    env: { PATH: process.env.PATH ?? '', NODE_PATH: join(root, 'node_modules'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  return { kill: (signal) => child.kill(signal), exited, output: () => output };
}

async function startedRelay(env: Record<string, string>): Promise<RelayProcess> {
  const relay = spawnRelay(env);
  let exitedEarly = false;
  void relay.exited.then(() => (exitedEarly = true));
  await waitUntil(() => exitedEarly || relay.output().includes('relay: publishing to'), 'the relay publishes', 30_000);
  if (exitedEarly) throw new Error(`relay exited during start-up:\n${relay.output()}`);
  return relay;
}

describe('relay process start-up', () => {
  test('a bad configuration is refused with every problem listed, exit code 1', async () => {
    const relay = spawnRelay({ KAFKA_BROKERS: 'kafka', RELAY_BATCH_SIZE: '0', LEDGER_DATA_DIR: join(work, 'unused') });
    expect(await relay.exited).toEqual({ code: 1, signal: null });
    expect(relay.output()).toContain('KAFKA_BROKERS entry "kafka" is not host:port');
    expect(relay.output()).toContain('RELAY_BATCH_SIZE must be an integer 1..10000, got "0"');
  });

  test('a configured broker that cannot be reached is a loud error and a non-zero exit, not an idle relay', async () => {
    const relay = spawnRelay({ KAFKA_BROKERS: '127.0.0.1:1', LEDGER_DATA_DIR: join(work, 'unused') });
    expect(await relay.exited).toEqual({ code: 1, signal: null });
    expect(relay.output()).toMatch(/relay: Kafka at 127\.0\.0\.1:1 is unreachable/);
  }, 60_000);
});

describeWithServer('kafka', 'relay process killed while publishing', (address) => {
  test('SIGKILL mid-batch and restart, three times: the consumer group gets every event in order per appraisal; repeats carry the same event id and the example consumer drops them', async () => {
    const brokers = address.split(',');
    const dataDir = join(work, 'kill');
    mkdirSync(dataDir, { recursive: true });
    const store = SqliteEventStore.open({ path: join(dataDir, 'events.sqlite'), synchronous: 'NORMAL' });
    const checkpoints = SqliteReadStore.open({ path: join(dataDir, 'relay.sqlite') });
    const topic = `relay-kill-${randomUUID()}`;
    await ensureTopic(createKafka({ brokers, clientId: 'relay-kill-test', logger: () => undefined }), topic, 6);
    const tally = new ObjectionTally(join(dataDir, 'tally.sqlite'));
    const consumer = await TallyConsumer.start({ brokers, topic, groupId: `tally-${randomUUID()}`, tally, log: () => undefined });
    const collector = await TopicCollector.start(brokers, topic);
    const env = { KAFKA_BROKERS: address, KAFKA_TOPIC: topic, RELAY_BATCH_SIZE: '25', LEDGER_DATA_DIR: dataDir };
    const checkpoint = () => checkpoints.getCheckpoint(`relay:${topic}`);
    try {
      let rounds = 0;
      // Each kill lands a little after a checkpoint, while the next send is under way. Whether the
      // broker had already written that batch (a repeat after the restart) is down to timing; the
      // deterministic repeat is in relay.int.spec.ts.
      for (const delayMs of [1, 2, 3]) {
        await appendInterleaved(store, 20, 12, rounds); // a backlog of ~270 events
        rounds += 12;
        const relay = await startedRelay(env);
        const target = (await checkpoint()) + 150;
        while ((await checkpoint()) < target) await sleep(2);
        await sleep(delayMs);
        relay.kill('SIGKILL');
        expect(await relay.exited).toEqual({ code: null, signal: 'SIGKILL' });
        // Killed while publishing: part of the backlog was still unpublished.
        expect(await checkpoint()).toBeLessThan(await store.headPosition());
      }
      await appendInterleaved(store, 20, 5, rounds);
      const head = await store.headPosition();
      const last = await startedRelay(env);
      while ((await checkpoint()) < head) await sleep(10);
      last.kill('SIGTERM');
      expect(await last.exited).toEqual({ code: 0, signal: null });
      expect(last.output()).toContain(`relay: stopped at position ${head}`);
      // A restart on an existing topic is normal: it says so, and kafkajs logs no ERROR about it.
      expect(last.output()).toContain(`relay: topic ${topic} exists`);
      expect(last.output()).not.toMatch(/kafkajs ERROR/);

      await waitUntil(() => collector.distinctEventIds().size === head, `all ${head} events consumed`, 30_000);
      const stored = await store.readAll({ fromPosition: 0, limit: 100_000 });
      const { duplicates } = expectCompleteAndOrderedPerKey(stored, collector.messages);
      await waitUntil(() => consumer.handled() === collector.messages.length, 'the example consumer handled every message', 30_000);
      expect(consumer.stats).toMatchObject({ duplicates, rejected: 0 });
      expect(tally.byUnit()).toEqual(expectedObjections(stored));
    } finally {
      await collector.stop();
      await consumer.stop();
      tally.close();
      await checkpoints.close();
      await store.close();
    }
  }, 120_000);
});
