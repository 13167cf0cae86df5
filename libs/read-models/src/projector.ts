import { ROOT_CONTEXT, SpanStatusCode, trace, type Context, type Link, type Span, type SpanContext } from '@opentelemetry/api';
import type { EventStore, StoredEvent, Subscription } from '@ledger/event-store';
import type { ReadStore } from './port';
import { PositionWaiters } from './position-waiters';
import { compile, projectBatch, type CompiledProjection } from './project-batch';
import type { AnyProjection } from './projection';
import { RebuildBuffer } from './rebuild-buffer';

export interface ProjectorOptions {
  eventStore: EventStore;
  readStore: ReadStore;
  projections: readonly AnyProjection[];
  /** Checkpoint name in the read store. */
  name?: string;
  /** Events per live batch (the subscription's batch size). Default 500. */
  batchSize?: number;
  /**
   * After a live batch smaller than batchSize, wait this long before reading the next one, so
   * that events arriving meanwhile share one commit (one read-store transaction instead of one
   * per event under load). The first event after a quiet spell is still projected at once.
   * Default 5 ms; 0 turns it off.
   */
  liveBatchDelayMs?: number;
  /** Events per page a rebuild reads. Default 1 000: small pages die young (cheap garbage collection). */
  rebuildPageSize?: number;
  /**
   * How many updatable documents a rebuild keeps in memory between pages before it writes them
   * out (with the checkpoint) and reads them back when needed. Default 20 000.
   */
  rebuildMaxHeldDocs?: number;
  logger?: (message: string) => void;
  /**
   * The span that appended an event, when this process knows it (the api's in-process projector:
   * libs/observability appendedTraces). Each live batch's span `ledger.projector.batch` is then a
   * child of the one command its events came from, or linked to each of several.
   */
  traceContextOf?: (event: StoredEvent) => SpanContext | undefined;
}

/** A rebuild reads the history in pages; updatable documents are held across pages (RebuildBuffer). */
const REBUILD_PAGE = 1_000;
const REBUILD_MAX_HELD_DOCS = 20_000;
const LIVE_BATCH = 500;
const LIVE_BATCH_DELAY_MS = 5;

/**
 * Keeps the read models up to date: subscribes to the event store from its checkpoint and commits
 * each batch's document writes together with the new checkpoint. Delivery is at-least-once;
 * documents remember their position, so a replayed event changes nothing.
 * start/stop/rebuild are serialised: one lifecycle change at a time.
 */
export class Projector {
  private readonly name: string;
  private readonly compiled: CompiledProjection[];
  private readonly waiters = new PositionWaiters();
  private readonly log: (message: string) => void;
  private subscription: Subscription | null = null;
  private committed = 0;
  private lifecycle: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ProjectorOptions) {
    this.name = options.name ?? 'read-models';
    this.compiled = compile(options.projections);
    this.log = options.logger ?? (() => undefined);
  }

  /** Ensures indexes, reads the checkpoint and follows the store from there. No-op if running. */
  start(): Promise<void> {
    return this.serialised(() => this.startNow());
  }

  stop(): Promise<void> {
    return this.serialised(() => this.stopNow());
  }

  /** Last committed global position. */
  position(): number {
    return this.committed;
  }

  /** true as soon as the read models have applied `position`; false after timeoutMs. */
  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    return this.waiters.wait(this.committed, position, timeoutMs);
  }

  /**
   * Drops every read model and replays the whole history up to the current head in pages (not
   * through the live subscription), holding updatable documents in memory so that each is
   * written about once; then follows live again from there.
   */
  rebuild(): Promise<{ events: number; ms: number }> {
    return this.serialised(async () => {
      const started = performance.now();
      const { readStore, eventStore } = this.options;
      await this.stopNow();
      await readStore.dropAll();
      await this.ensureIndexes(); // before the writes: a store may fill its index columns as it writes
      this.committed = 0;
      const head = await eventStore.headPosition();
      const buffer = new RebuildBuffer(readStore, this.compiled, this.options.rebuildMaxHeldDocs ?? REBUILD_MAX_HELD_DOCS);
      let events = 0;
      let position = 0;
      while (position < head) {
        const page = await eventStore.readAll({ fromPosition: position, limit: this.options.rebuildPageSize ?? REBUILD_PAGE });
        if (page.length === 0) break;
        await buffer.apply(page);
        events += page.length;
        position = page[page.length - 1].globalPosition;
        if (buffer.full()) await this.flush(buffer, position);
      }
      if (position > 0) await this.flush(buffer, position);
      await this.startNow();
      const ms = Math.round(performance.now() - started);
      this.log(`projector ${this.name}: rebuilt ${events} events in ${ms} ms`);
      return { events, ms };
    });
  }

  private async ensureIndexes(): Promise<void> {
    for (const { projection } of this.compiled) {
      await this.options.readStore.ensureIndexes(projection.collection, projection.indexes ?? []);
    }
  }

  private async flush(buffer: RebuildBuffer, position: number): Promise<void> {
    await buffer.flush({ name: this.name, position });
    this.committed = position;
    this.waiters.reached(position);
  }

  private async startNow(): Promise<void> {
    if (this.subscription !== null) return;
    const { readStore, eventStore, batchSize = LIVE_BATCH } = this.options;
    await this.ensureIndexes();
    this.committed = await readStore.getCheckpoint(this.name);
    this.waiters.reached(this.committed);
    const subscription = eventStore.subscribe({
      fromPosition: this.committed,
      batchSize,
      handler: (events) => this.apply(events),
      onError: (error) => {
        this.log(`projector ${this.name}: stopped at position ${this.committed}: ${error.message}`);
        if (this.subscription === subscription) this.subscription = null;
      },
    });
    this.subscription = subscription;
    this.log(`projector ${this.name}: following from position ${this.committed}`);
  }

  private async stopNow(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = null;
    if (subscription !== null) await subscription.close();
  }

  /** One batch: all document writes and the checkpoint in one commit, in a span `ledger.projector.batch`. */
  private async apply(events: StoredEvent[]): Promise<void> {
    if (events.length === 0) return;
    const contextOf = this.options.traceContextOf;
    const { parent, links } = batchTraceContext(contextOf === undefined ? [] : events.map(contextOf));
    const attributes = {
      'ledger.projection': this.name,
      'ledger.events.count': events.length,
      'ledger.position.first': events[0].globalPosition,
      'ledger.position.last': events[events.length - 1].globalPosition,
    };
    await trace
      .getTracer('@ledger/read-models')
      .startActiveSpan('ledger.projector.batch', { attributes, links }, parent, async (span: Span) => {
        try {
          await this.applyNow(events);
        } catch (error) {
          span.recordException(error instanceof Error ? error : String(error));
          span.setStatus({ code: SpanStatusCode.ERROR });
          throw error;
        } finally {
          span.end();
        }
      });
    const delay = this.options.liveBatchDelayMs ?? LIVE_BATCH_DELAY_MS;
    if (delay > 0 && events.length < (this.options.batchSize ?? LIVE_BATCH)) await new Promise((resolve) => setTimeout(resolve, delay));
  }

  private async applyNow(events: StoredEvent[]): Promise<void> {
    const writes = await projectBatch(this.options.readStore, this.compiled, events);
    const position = events[events.length - 1].globalPosition;
    await this.options.readStore.commit(writes, { name: this.name, position });
    // A redelivered older batch must not move the reported position back (checkpoints do not either).
    this.committed = Math.max(this.committed, position);
    this.waiters.reached(this.committed);
  }

  private serialised<T>(step: () => Promise<T>): Promise<T> {
    const next = this.lifecycle.then(step);
    this.lifecycle = next.catch(() => undefined);
    return next;
  }
}

/**
 * Under the one command a batch's known events came from (parent), or a new trace linked to each of
 * several; a new trace without links when none is known (the same rule as libs/observability's
 * batchTraceContext, which this lib may not import).
 */
function batchTraceContext(contexts: readonly (SpanContext | undefined)[]): { parent: Context; links: Link[] } {
  const distinct = new Map<string, SpanContext>();
  for (const span of contexts) if (span !== undefined) distinct.set(`${span.traceId}-${span.spanId}`, span);
  const links = [...distinct.values()].map((span) => ({ context: span }));
  return { parent: links.length === 1 ? trace.setSpanContext(ROOT_CONTEXT, links[0].context) : ROOT_CONTEXT, links };
}
