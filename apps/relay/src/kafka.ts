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

/** Creates the topic if it is missing; returns its partition count. */
export async function ensureTopic(kafka: Kafka, topic: string, partitions: number): Promise<{ created: boolean; partitions: number }> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const created = await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    return { created, partitions: metadata.topics[0]?.partitions.length ?? 0 };
  } finally {
    await admin.disconnect();
  }
}

/** Warning the relay answers by design (see createRelayProducer): not worth a line per start. */
const EXPECTED_WARNING = 'Limiting retries for the idempotent producer';

/** kafkajs logs through ours, one line each, instead of its own JSON to the console. */
export function kafkaLogCreator(logger: (message: string) => void): logCreator {
  return () =>
    ({ namespace, label, log }) => {
      if (log.message.startsWith(EXPECTED_WARNING)) return;
      const why = log.error === undefined ? '' : `: ${String(log.error)}`;
      const where = log.broker === undefined ? '' : ` (broker ${String(log.broker)})`;
      logger(`kafkajs ${label} [${namespace}] ${log.message}${why}${where}`);
    };
}
