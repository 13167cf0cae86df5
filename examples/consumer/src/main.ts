#!/usr/bin/env node
/**
 * The example internal service: counts objections filed and decided per unit from the ledger's
 * Kafka topic, and says what it does. See ../README.md.
 *
 *   KAFKA_BROKERS         required, comma list of host:port
 *   KAFKA_TOPIC           default appraisal-ledger.events
 *   KAFKA_GROUP_ID        default objection-tally
 *   CONSUMER_STATE_FILE   default ./data/objection-tally.sqlite (counts and the duplicate check)
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { TallyConsumer } from './consumer';
import { ObjectionTally } from './objection-tally';

const log = (line: string): void => {
  process.stdout.write(`${new Date().toISOString()} ${line}\n`);
};

async function main(): Promise<number> {
  const read = (name: string): string | undefined => process.env[name]?.trim() || undefined;
  const brokers = (read('KAFKA_BROKERS') ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '');
  if (brokers.length === 0) {
    process.stderr.write('objection-tally: KAFKA_BROKERS is required (comma list of host:port)\n');
    return 1;
  }
  const topic = read('KAFKA_TOPIC') ?? 'appraisal-ledger.events';
  const groupId = read('KAFKA_GROUP_ID') ?? 'objection-tally';
  const stateFile = resolve(read('CONSUMER_STATE_FILE') ?? './data/objection-tally.sqlite');
  mkdirSync(dirname(stateFile), { recursive: true });

  const tally = new ObjectionTally(stateFile);
  let consumer: TallyConsumer;
  try {
    consumer = await TallyConsumer.start({ brokers, topic, groupId, tally, log });
  } catch (error) {
    tally.close();
    process.stderr.write(
      `objection-tally: cannot consume ${topic} from ${brokers.join(',')}: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  }
  log(`objection-tally: group ${groupId} following ${topic} at ${brokers.join(',')}; state in ${stateFile}`);

  const signal = await new Promise<NodeJS.Signals>((done) => {
    process.once('SIGTERM', done);
    process.once('SIGINT', done);
  });
  await consumer.stop();
  for (const unit of tally.byUnit()) log(`unit ${unit.unitId}: ${unit.filed} objections filed, ${unit.filed - unit.decided} open`);
  log(`objection-tally: ${signal}; ${JSON.stringify(consumer.stats)}`);
  tally.close();
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
    setTimeout(() => process.exit(code), 1_000).unref();
  },
  (error: unknown) => {
    process.stderr.write(`objection-tally: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
