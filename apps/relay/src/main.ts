#!/usr/bin/env node
/**
 * `node dist/apps/relay/src/main.js`: the Kafka relay as its own process (configuration:
 * ./config.ts). Start-up is strict: a bad setting, or a configured broker that cannot be reached,
 * is reported on stderr with exit code 1, never a relay that idles. Once running, broker outages
 * are retried forever (logged). SIGTERM/SIGINT: the batch in flight finishes, the checkpoint is
 * written, exit 0.
 */
// First: OpenTelemetry, when the OTEL_* variables ask for it.
import { tracing } from './tracing';
import { createKafka, createRelayProducer, ensureTopic } from './kafka';
import { ConfigError } from '@ledger/stores';
import { loadRelayConfig, type RelayConfig } from './config';
import { Relay, type RelayOptions } from './relay';
import { SqliteEventStore, type EventStore } from '@ledger/event-store';
import { redact } from '@ledger/stores';
import { checkpointStoreConfig, openRelayStores, type RelayStores } from './stores';
import { relayOps } from './relay-ops';
import { createLogger, shutdownTracing } from '@ledger/observability';
import { relayTraceContextOf } from './trace-source';

// JSON lines (libs/observability) at LOG_LEVEL/LOG_FORMAT once the configuration is read; info before.
let logger = createLogger({ service: 'relay', format: 'json' });
const log = (message: string): void => {
  logger.info(message);
};
const fail = (message: string): number => {
  process.stderr.write(`relay: ${message}\n`);
  return 1;
};

// Listening from the first moment, so a signal during start-up is a clean stop too.
const stopRequested = new Promise<NodeJS.Signals>((resolve) => {
  process.once('SIGTERM', resolve);
  process.once('SIGINT', resolve);
});

async function main(): Promise<number> {
  let config: RelayConfig;
  try {
    config = loadRelayConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) return fail(error.message);
    throw error;
  }
  logger = createLogger({ service: 'relay', ...config.logging });
  for (const warning of config.stores.warnings) log(`relay: warning: ${warning}`);
  if (tracing !== undefined) log(`relay: traces on (${tracing.settings.reason})`);
  const kafka = createKafka({ brokers: config.brokers, clientId: config.clientId, logger: log });
  try {
    const topic = await ensureTopic(kafka, config.topic, config.topicPartitions);
    log(`relay: topic ${config.topic} ${topic.created ? 'created' : 'exists'}, ${topic.partitions} partitions`);
    // One partition: checkpoints are read in order, each consistent with the one before.
    await ensureTopic(kafka, config.checkpointTopic, 1);
  } catch (error) {
    return fail(`Kafka at ${config.brokers.join(',')} is unreachable or refused topic ${config.topic}: ${messageOf(error)}`);
  }

  let stores: RelayStores;
  try {
    stores = await openRelayStores(config.stores, log);
  } catch (error) {
    return fail(messageOf(error));
  }
  const events = config.stores.eventStore;
  const checkpoint = checkpointStoreConfig(config.stores);
  log(
    `relay: events from ${events.kind === 'sqlite' ? events.path : redact(events.connectionString)}, ` +
      `checkpoint in ${checkpoint.kind === 'sqlite' ? checkpoint.path : `mongodb database ${checkpoint.database}`}`,
  );
  const ops = relayOps(config, stores);
  const relay = new Relay({
    onSend: ops.onSend,
    eventStore: stores.eventStore,
    checkpoints: stores.checkpoints,
    producer: createRelayProducer(kafka),
    topic: config.topic,
    batchSize: config.batchSize,
    logger: log,
    checkpointTopic: checkpointSource(stores.eventStore, config.checkpointTopic),
    ...(tracing !== undefined && { traceContextOf: relayTraceContextOf(stores.eventStore) }),
  });
  try {
    await relay.start();
    await ops.start(relay, log);
  } catch (error) {
    await relay.stop();
    await stores.close();
    return fail(`could not start publishing to Kafka at ${config.brokers.join(',')}: ${messageOf(error)}`);
  }

  const signal = await stopRequested;
  log(`relay: ${signal}: finishing the batch in flight`);
  await relay.stop();
  await ops.close();
  await stores.close();
  await shutdownTracing();
  return 0;
}

/** The embedded store keeps the Merkle log in its file: its checkpoints go out on their own topic. */
function checkpointSource(store: EventStore, topic: string): RelayOptions['checkpointTopic'] {
  if (!(store instanceof SqliteEventStore)) return undefined;
  return {
    topic,
    covering: (position) => {
      const checkpoint = store.log.checkpointCovering(position);
      if (checkpoint === undefined) return undefined;
      const origin = checkpoint.note.slice(0, checkpoint.note.indexOf('\n'));
      return { origin, treeSize: checkpoint.size, root: checkpoint.root.toString('base64'), note: checkpoint.note };
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

main().then(
  (code) => {
    // exitCode, not exit(): stdout and stderr are flushed first. Should a client library still
    // hold a handle open a second later, exit anyway (an unref'd timer keeps nothing alive).
    process.exitCode = code;
    setTimeout(() => process.exit(code), 1_000).unref();
  },
  (error: unknown) => {
    process.stderr.write(`relay: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
