import { readLogSettings, readOpsSettings, type LogSettings, type OpsSettings } from '@ledger/observability';
import { ConfigError, envReader, readInteger, readStoreConfig, type StoreConfig } from '@ledger/stores';

/**
 * The relay process's configuration, from the environment, validated once at start; every bad
 * value is reported together. There is no default broker: a relay without Kafka has no purpose,
 * and guessing localhost would hide a missing setting.
 *
 *   KAFKA_BROKERS           required, comma list of host:port
 *   KAFKA_TOPIC             default appraisal-ledger.events
 *   KAFKA_CHECKPOINT_TOPIC  default appraisal-ledger.checkpoints (the Merkle log's signed checkpoints, one partition)
 *   KAFKA_CLIENT_ID         default appraisal-ledger-relay
 *   KAFKA_TOPIC_PARTITIONS  default 6 (used only when the relay creates the topic)
 *   RELAY_BATCH_SIZE        default 500 (events read and published per batch)
 *   RELAY_HEALTH_PORT       if set, GET /metrics, /health/live and /health/ready on RELAY_HEALTH_HOST (default 0.0.0.0)
 *   RELAY_READY_MAX_LAG     default 1000: not ready when further behind the ledger (or when the last send failed)
 *   LOG_LEVEL, LOG_FORMAT   libs/observability
 * and the store variables every process reads (libs/stores: EVENT_STORE, READ_STORE, ...). The
 * checkpoint lives beside the read models but apart from them (./stores.ts).
 */
export interface RelayConfig {
  brokers: string[];
  topic: string;
  checkpointTopic: string;
  clientId: string;
  topicPartitions: number;
  batchSize: number;
  stores: StoreConfig;
  logging: LogSettings;
  ops: OpsSettings;
}

export const DEFAULT_TOPIC = 'appraisal-ledger.events';
export const DEFAULT_CHECKPOINT_TOPIC = 'appraisal-ledger.checkpoints';
const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;
const BROKER = /^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9A-Fa-f:.]+\]:\d{1,5}$/;

export function loadRelayConfig(env: NodeJS.ProcessEnv): RelayConfig {
  const problems: string[] = [];
  const read = envReader(env);
  const stores = readStoreConfig(read, problems);

  const rawBrokers = read('KAFKA_BROKERS');
  const brokers = (rawBrokers ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '');
  if (rawBrokers === undefined) problems.push('KAFKA_BROKERS is required (comma list of host:port, e.g. 127.0.0.1:9092)');
  for (const broker of brokers) {
    const port = Number(broker.slice(broker.lastIndexOf(':') + 1));
    if (!BROKER.test(broker) || port < 1 || port > 65535) problems.push(`KAFKA_BROKERS entry "${broker}" is not host:port`);
  }

  const topic = read('KAFKA_TOPIC') ?? DEFAULT_TOPIC;
  if (!TOPIC_NAME.test(topic) || topic === '.' || topic === '..') {
    problems.push(`KAFKA_TOPIC must be 1..249 of [A-Za-z0-9._-], got "${topic}"`);
  }
  const checkpointTopic = read('KAFKA_CHECKPOINT_TOPIC') ?? DEFAULT_CHECKPOINT_TOPIC;
  if (!TOPIC_NAME.test(checkpointTopic) || checkpointTopic === '.' || checkpointTopic === '..' || checkpointTopic === topic) {
    problems.push(`KAFKA_CHECKPOINT_TOPIC must be 1..249 of [A-Za-z0-9._-] and not KAFKA_TOPIC, got "${checkpointTopic}"`);
  }
  const clientId = read('KAFKA_CLIENT_ID') ?? 'appraisal-ledger-relay';
  const topicPartitions = readInteger(read, 'KAFKA_TOPIC_PARTITIONS', 6, 1, 1000, problems);
  const batchSize = readInteger(read, 'RELAY_BATCH_SIZE', 500, 1, 10_000, problems);

  const logging = readLogSettings(read, problems);
  const ops = readOpsSettings(read, problems, 'RELAY');

  if (problems.length > 0) throw new ConfigError(problems);
  return { brokers, topic, checkpointTopic, clientId, topicPartitions, batchSize, stores, logging, ops };
}
