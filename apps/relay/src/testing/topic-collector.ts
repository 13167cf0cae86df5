import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer } from 'kafkajs';

export interface Received {
  key: string;
  value: string;
  headers: Record<string, string>;
  partition: number;
  offset: number;
  /** Record timestamp (ms): kafkajs producers set the send time. */
  timestamp: number;
}

/**
 * A consumer group member that records every message of a topic from the beginning, in
 * arrival order (offset order within each partition).
 */
export class TopicCollector {
  readonly messages: Received[] = [];
  private constructor(private readonly consumer: Consumer) {}

  static async start(brokers: string[], topic: string, groupId = `test-${randomUUID()}`): Promise<TopicCollector> {
    const kafka = new Kafka({ clientId: 'relay-test-collector', brokers, logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000, maxWaitTimeInMs: 100 });
    const collector = new TopicCollector(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(message.headers ?? {})) {
          if (value !== undefined) headers[name] = String(value);
        }
        collector.messages.push({
          key: String(message.key),
          value: String(message.value),
          headers,
          partition,
          offset: Number(message.offset),
          timestamp: Number(message.timestamp),
        });
      },
    });
    return collector;
  }

  distinctEventIds(): Set<string> {
    return new Set(this.messages.map((m) => m.headers.eventId));
  }

  stop(): Promise<void> {
    return this.consumer.disconnect();
  }
}
