import { SpanKind, SpanStatusCode, trace, type Span, type SpanContext } from '@opentelemetry/api';
import type { EventStore, StoredEvent, Subscription } from '@ledger/event-store';
import { batchTraceContext, traceHeaders } from '@ledger/observability';
import { PositionWaiters, type ReadStore } from '@ledger/read-models';
import type { Message, Producer } from 'kafkajs';
import { chunkBySize, toMessage } from './message';

export interface RelayOptions {
  eventStore: EventStore;
  /** Where the checkpoint lives (commit([], checkpoint) / getCheckpoint). Not the read-model store: a rebuild's dropAll would reset it. */
  checkpoints: ReadStore;
  /** An idempotent producer (createRelayProducer). The relay connects and disconnects it. */
  producer: Producer;
  topic: string;
  /** Events per subscription batch. Default 500. */
  batchSize?: number;
  /** Default `relay:<topic>`. */
  checkpointName?: string;
  /** Most value bytes per send; a batch is split above it (the broker refuses record batches over 1 MiB). Default 512 KiB. */
  maxSendBytes?: number;
  /** Wait before retrying a failed send, doubling up to maxMs. Default 250 ms .. 10 s. */
  backoff?: { initialMs: number; maxMs: number };
  logger?: (message: string) => void;
  /**
   * The Merkle log's signed checkpoints, published to their own topic after the events they cover:
   * a consumer that holds every event up to a checkpoint can check it against the root.
   */
  checkpointTopic?: { topic: string; covering: (position: number) => LogCheckpointRecord | undefined };
  /** Told of every send the broker refused or did not answer, and of every acknowledged one (metrics, readiness). */
  /**
   * The span that appended an event, when this process knows it (libs/observability appendedTraces,
   * for a relay beside the command path). Each record then carries that span's W3C trace context
   * (`traceparent`) so a consumer continues the command's trace; otherwise the relay's own
   * `ledger.relay.publish` span's, when traces are on.
   */
  traceContextOf?: (event: StoredEvent) => SpanContext | undefined;
  onSend?: (outcome: { ok: true; messages: number; topic: string } | { ok: false; error: unknown; topic: string }) => void;
}

/** The value of a checkpoint record (contracts/asyncapi.yaml, LogCheckpoint). */
export interface LogCheckpointRecord {
  origin: string;
  treeSize: number;
  /** Base64 root hash. */
  root: string;
  /** The C2SP signed note, as GET /log/checkpoints/{treeSize} serves it. */
  note: string;
}

const DEFAULT_BATCH_SIZE = 500;
const DEFAULT_MAX_SEND_BYTES = 512 * 1024;
const DEFAULT_BACKOFF = { initialMs: 250, maxMs: 10_000 };

/**
 * Follows the event store from its checkpoint and publishes every event to one Kafka topic
 * (message format: ./message.ts). Guarantees:
 * - the checkpoint moves only after the broker acknowledged (acks = all) every event up to it;
 * - a failed send is retried with backoff, forever, and logged each time: no event is skipped;
 * - delivery is at-least-once: after a crash between acknowledgement and checkpoint the batch
 *   is published again, with the same event ids, in the same order per key.
 * A subscription that stops with an error (store or checkpoint failure) is resubscribed from the
 * checkpoint after the same backoff. start/stop are serialised.
 */
export class Relay {
  readonly checkpointName: string;
  private readonly log: (message: string) => void;
  private readonly backoff: { initialMs: number; maxMs: number };
  private subscription: Subscription | null = null;
  private running = false;
  private acknowledged = 0;
  private failures = 0;
  private resubscribeTimer: NodeJS.Timeout | undefined;
  private interruptPause: (() => void) | undefined;
  private readonly waiters = new PositionWaiters();
  private lifecycle: Promise<unknown> = Promise.resolve();
  private publishedTreeSize = 0;

  constructor(private readonly options: RelayOptions) {
    if (!options.producer.isIdempotent()) throw new TypeError('the relay needs an idempotent producer (createRelayProducer)');
    if (options.topic.trim() === '') throw new TypeError('topic must not be empty');
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    if (!(Number.isSafeInteger(batchSize) && batchSize > 0)) throw new TypeError(`batchSize must be a positive integer, got ${batchSize}`);
    this.checkpointName = options.checkpointName ?? `relay:${options.topic}`;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.log = options.logger ?? (() => undefined);
  }

  /** Connects the producer (throws if the broker cannot be reached) and follows from the checkpoint. */
  start(): Promise<void> {
    return this.serialised(async () => {
      if (this.running) return;
      await this.options.producer.connect();
      try {
        this.acknowledged = await this.options.checkpoints.getCheckpoint(this.checkpointName);
      } catch (error) {
        await this.options.producer.disconnect();
        throw error;
      }
      this.running = true;
      this.follow();
      this.log(`relay: publishing to ${this.options.topic} from position ${this.acknowledged}`);
    });
  }

  /** Lets the batch in flight finish (a send already started is awaited), then disconnects. */
  stop(): Promise<void> {
    return this.serialised(async () => {
      if (!this.running) return;
      this.running = false;
      clearTimeout(this.resubscribeTimer);
      this.interruptPause?.();
      const subscription = this.subscription;
      this.subscription = null;
      if (subscription !== null) await subscription.close();
      await this.options.producer.disconnect();
      this.waiters.cancelAll();
      this.log(`relay: stopped at position ${this.acknowledged}`);
    });
  }

  /** Global position up to which every event is acknowledged by the broker and checkpointed. */
  position(): number {
    return this.acknowledged;
  }

  /** true once position() >= position; false after timeoutMs or on stop. */
  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    return this.waiters.wait(this.acknowledged, position, timeoutMs);
  }

  private follow(): void {
    const subscription = this.options.eventStore.subscribe({
      fromPosition: this.acknowledged,
      batchSize: this.options.batchSize ?? DEFAULT_BATCH_SIZE,
      handler: (events) => this.publish(events),
      onError: (error) => {
        if (this.subscription !== subscription || !this.running) return;
        this.subscription = null;
        const delay = this.delay(++this.failures);
        this.log(
          `relay: subscription stopped at position ${this.acknowledged}: ${error.message}; resubscribing from the checkpoint in ${delay} ms`,
        );
        this.resubscribeTimer = setTimeout(() => {
          if (this.running) this.follow();
        }, delay);
      },
    });
    this.subscription = subscription;
  }

  private async publish(events: StoredEvent[]): Promise<void> {
    const items = events.map((event) => ({ event, message: toMessage(event) }));
    const maxBytes = this.options.maxSendBytes ?? DEFAULT_MAX_SEND_BYTES;
    for (const chunk of chunkBySize(items, maxBytes, (item) => Buffer.byteLength(String(item.message.value)))) {
      const first = chunk[0].event.globalPosition;
      const last = chunk[chunk.length - 1].event.globalPosition;
      // Stopping mid-outage: the checkpoint stays at what the broker acknowledged.
      if (!(await this.sendTraced(chunk, first, last))) return;
      if (!(await this.publishCheckpoint(last))) return;
      await this.options.checkpoints.commit([], { name: this.checkpointName, position: last });
      this.acknowledged = Math.max(this.acknowledged, last);
      this.failures = 0;
      this.waiters.reached(this.acknowledged);
    }
  }

  /**
   * One send in a PRODUCER span `ledger.relay.publish`: a child of the command the chunk's events
   * came from, or linked to each of several (batchTraceContext). Each record gets W3C trace
   * context headers: its own command's span when known, else this span's (none with traces off).
   */
  private sendTraced(chunk: { event: StoredEvent; message: Message }[], first: number, last: number): Promise<boolean> {
    const contextOf = this.options.traceContextOf;
    const contexts = chunk.map(({ event }) => contextOf?.(event));
    const { parent, links } = batchTraceContext(contexts);
    const attributes = {
      'messaging.system': 'kafka',
      'messaging.operation.type': 'send',
      'messaging.destination.name': this.options.topic,
      'messaging.batch.message_count': chunk.length,
      'ledger.position.first': first,
      'ledger.position.last': last,
    };
    return trace
      .getTracer('@ledger/relay')
      .startActiveSpan('ledger.relay.publish', { kind: SpanKind.PRODUCER, attributes, links }, parent, async (span: Span) => {
        try {
          const messages = chunk.map(({ message }, i) => {
            const headers = traceHeaders(contexts[i] ?? span.spanContext());
            return Object.keys(headers).length === 0 ? message : { ...message, headers: { ...message.headers, ...headers } };
          });
          const sent = await this.sendUntilAcknowledged(messages, first, last);
          if (!sent) span.setStatus({ code: SpanStatusCode.ERROR, message: 'stopped before the broker acknowledged' });
          return sent;
        } finally {
          span.end();
        }
      });
  }

  /**
   * The newest checkpoint the events up to `last` complete, once each (at-least-once like the events:
   * after a crash it is published again). Before the relay's position moves, so no covered checkpoint is skipped.
   */
  private async publishCheckpoint(last: number): Promise<boolean> {
    const target = this.options.checkpointTopic;
    if (target === undefined) return true;
    const checkpoint = target.covering(last);
    if (checkpoint === undefined || checkpoint.treeSize <= this.publishedTreeSize) return true;
    const message: Message = {
      key: checkpoint.origin,
      value: JSON.stringify(checkpoint),
      headers: { treeSize: String(checkpoint.treeSize) },
    };
    if (!(await this.sendUntilAcknowledged([message], last, last, target.topic))) return false;
    this.publishedTreeSize = checkpoint.treeSize;
    return true;
  }

  /** false only when stop() interrupted the retries. */
  private async sendUntilAcknowledged(messages: Message[], first: number, last: number, topic = this.options.topic): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.producer.send({ topic, acks: -1, messages });
        this.options.onSend?.({ ok: true, messages: messages.length, topic });
        if (attempt > 1) this.log(`relay: events ${first}..${last} published after ${attempt} attempts`);
        return true;
      } catch (error) {
        this.options.onSend?.({ ok: false, error, topic });
        const reason = error instanceof Error ? error.message : String(error);
        if (!this.running) {
          this.log(`relay: events ${first}..${last} not published (${reason}); stopping, checkpoint stays at ${this.acknowledged}`);
          return false;
        }
        const delay = this.delay(attempt);
        this.log(`relay: publishing events ${first}..${last} failed (attempt ${attempt}): ${reason}; retrying in ${delay} ms`);
        await this.pause(delay);
        if (!this.running) return false;
      }
    }
  }

  private delay(attempt: number): number {
    return Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** Math.min(attempt - 1, 20));
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.interruptPause = done;
    });
  }

  private serialised<T>(step: () => Promise<T>): Promise<T> {
    const next = this.lifecycle.then(step);
    this.lifecycle = next.catch(() => undefined);
    return next;
  }
}
