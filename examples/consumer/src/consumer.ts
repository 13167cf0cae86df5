import { Kafka, logLevel, type Admin, type Consumer } from 'kafkajs';
import type { ObjectionTally } from './objection-tally';
import { parseRelayedEvent } from './relayed-event';

export interface TallyConsumerOptions {
  brokers: string[];
  topic: string;
  groupId: string;
  tally: ObjectionTally;
  /** Where the consumer says what it does (one line per counted event, duplicate or rejected message). */
  log: (line: string) => void;
  /** How long to wait for the relay to create the topic. Default 120 s. */
  topicWaitMs?: number;
}

export interface TallyStats {
  applied: number;
  ignored: number;
  duplicates: number;
  rejected: number;
}

/**
 * A consumer-group member feeding the ObjectionTally. Offsets are committed by kafkajs after
 * each message is handled (at-least-once); the tally's own duplicate check makes a redelivery
 * harmless. The tally's state is the truth, the group's offsets only a shortcut: a fresh (empty)
 * state file rewinds the group to the start of the topic, or it would begin at offsets that
 * belong to counts it no longer has. A message that is not a valid relayed event is logged and skipped: it cannot become
 * valid by retrying, and stopping on it would stall every key behind it in its partition.
 */
export class TallyConsumer {
  readonly stats: TallyStats = { applied: 0, ignored: 0, duplicates: 0, rejected: 0 };

  private constructor(private readonly consumer: Consumer) {}

  static async start(options: TallyConsumerOptions): Promise<TallyConsumer> {
    const kafka = new Kafka({ clientId: `${options.groupId}-consumer`, brokers: options.brokers, logLevel: logLevel.ERROR });
    const consumer = kafka.consumer({ groupId: options.groupId, maxWaitTimeInMs: 100 });
    const self = new TallyConsumer(consumer);
    const admin = kafka.admin();
    await admin.connect();
    try {
      await waitForTopic(admin, options.topic, options.topicWaitMs ?? 120_000, options.log);
      if (options.tally.isEmpty()) {
        await admin.resetOffsets({ groupId: options.groupId, topic: options.topic, earliest: true });
        options.log(`fresh state: group ${options.groupId} reads ${options.topic} from the beginning`);
      }
    } finally {
      await admin.disconnect();
    }
    await consumer.connect();
    await consumer.subscribe({ topic: options.topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const parsed = parseRelayedEvent(message);
        if ('problem' in parsed) {
          self.stats.rejected += 1;
          options.log(`rejected partition ${partition} offset ${message.offset}: ${parsed.problem}`);
          return;
        }
        const outcome = options.tally.apply(parsed.event);
        switch (outcome.kind) {
          case 'applied':
            self.stats.applied += 1;
            if (outcome.note !== undefined) options.log(outcome.note);
            return;
          case 'ignored':
            self.stats.ignored += 1;
            return;
          case 'duplicate':
            self.stats.duplicates += 1;
            options.log(
              `duplicate dropped: ${parsed.event.type} ${parsed.event.eventId} (position ${parsed.event.globalPosition}, key ${parsed.event.key})`,
            );
            return;
          default: {
            const unknown: never = outcome;
            throw new Error(`unknown outcome ${JSON.stringify(unknown)}`);
          }
        }
      },
    });
    return self;
  }

  /** Events seen so far, duplicates included. */
  handled(): number {
    return this.stats.applied + this.stats.ignored + this.stats.duplicates + this.stats.rejected;
  }

  stop(): Promise<void> {
    return this.consumer.disconnect();
  }
}

/** The relay creates the topic; a consumer started first waits for it instead of failing. */
async function waitForTopic(admin: Admin, topic: string, timeoutMs: number, log: (line: string) => void): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let told = false;
  while (!(await admin.listTopics()).includes(topic)) {
    if (Date.now() > deadline) throw new Error(`topic ${topic} does not exist after ${timeoutMs} ms (is the relay running?)`);
    if (!told) log(`waiting for topic ${topic} (the relay creates it)`);
    told = true;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}
