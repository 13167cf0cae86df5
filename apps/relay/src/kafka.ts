import { Kafka, logLevel, Partitioners, type logCreator, type Producer } from 'kafkajs';

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  logger: (message: string) => void;
}

/** Client-level retries bound how long one connect or metadata call may take before it reports. */
export function createKafka({ brokers, clientId, logger }: KafkaClientOptions): Kafka {
  return new Kafka({
    clientId,
    brokers,
    connectionTimeout: 3_000,
    retry: { retries: 5, initialRetryTime: 300, maxRetryTime: 5_000 },
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(logger),
  });
}

/**
 * The relay's producer: idempotent (the broker drops a retried batch it already wrote), one
 * request in flight (a retry can never overtake the batch behind it), keys partitioned like the
 * Java client (murmur2), so other clients agree on a key's partition. Topics are never created
 * implicitly: a missing topic is an error to retry and log, not a topic with broker defaults.
 *
 * kafkajs retries an idempotent producer forever by default; here one send gives up after about
 * ten seconds and the Relay retries it, so that stop() is never stuck behind an endless retry.
 * That keeps the guarantee: kafkajs rolls back the sequence numbers of a failed request, so the
 * Relay's retry of the same batch reuses them and the broker still recognises a duplicate.
 */
export function createRelayProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: { retries: 5, initialRetryTime: 300, maxRetryTime: 5_000 },
  });
}

/** What ensureTopic does about the topic, given the topics the cluster lists. */
export const topicAction = (existing: readonly string[], topic: string): 'create' | 'use' => (existing.includes(topic) ? 'use' : 'create');

/**
 * Creates the topic if it is missing; returns its partition count. The cluster's topic list is
 * read first, so a normal restart (topic exists) sends no CreateTopics at all: kafkajs would log
 * the broker's TOPIC_ALREADY_EXISTS answer as an ERROR although nothing is wrong. Only a relay
 * racing another one to create the topic still gets that answer; kafkaLogCreator drops that line
 * and createTopics answers false, reported as "exists".
 */
export async function ensureTopic(kafka: Kafka, topic: string, partitions: number): Promise<{ created: boolean; partitions: number }> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const created =
      topicAction(await admin.listTopics(), topic) === 'create' &&
      (await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true }).catch((error: unknown) => {
        throw new Error(`creating topic ${topic} failed: ${creationErrors(error)}`);
      }));
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    return { created, partitions: metadata.topics[0]?.partitions.length ?? 0 };
  } finally {
    await admin.disconnect();
  }
}

/** The broker's error types behind a refused CreateTopics (kafkajs aggregates them under one message). */
export const creationErrors = (error: unknown): string => {
  const inner = (error as { errors?: Array<{ type?: string; message?: string }> }).errors;
  if (Array.isArray(inner) && inner.length > 0) return inner.map((e) => e.type ?? e.message ?? 'unknown').join(', ');
  return error instanceof Error ? error.message : String(error);
};

/** Warning the relay answers by design (see createRelayProducer): not worth a line per start. */
const EXPECTED_WARNING = 'Limiting retries for the idempotent producer';

/**
 * kafkajs lines the relay says better itself. A refused CreateTopics is logged by kafkajs with no
 * more than "Topic creation errors": ensureTopic answers it, with "exists" for TOPIC_ALREADY_EXISTS
 * (a race with another relay) and with every broker error type otherwise (the start fails loudly).
 */
export const isExpectedKafkaLog = (entry: { message: string; error?: unknown }): boolean =>
  entry.message.startsWith(EXPECTED_WARNING) ||
  (entry.message.startsWith('Response CreateTopics') && entry.error === 'Topic creation errors');

/** kafkajs logs through ours, one line each, instead of its own JSON to the console. */
export function kafkaLogCreator(logger: (message: string) => void): logCreator {
  return () =>
    ({ namespace, label, log }) => {
      if (isExpectedKafkaLog(log)) return;
      const why = log.error === undefined ? '' : `: ${String(log.error)}`;
      const where = log.broker === undefined ? '' : ` (broker ${String(log.broker)})`;
      logger(`kafkajs ${label} [${namespace}] ${log.message}${why}${where}`);
    };
}
