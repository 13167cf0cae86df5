import type { EventStore, StoredEvent, Subscription } from '@ledger/event-store';
import type { ReadStore } from './port';
import { PositionWaiters } from './position-waiters';
import { compile, projectBatch, type CompiledProjection } from './project-batch';
import type { AnyProjection } from './projection';

export interface ProjectorOptions {
  eventStore: EventStore;
  readStore: ReadStore;
  projections: readonly AnyProjection[];
  /** Checkpoint name in the read store. */
  name?: string;
  /** Events per live batch (the subscription's batch size). */
  batchSize?: number;
  logger?: (message: string) => void;
}

/** A rebuild reads the history in large pages: fewer, bigger transactions load fastest. */
const REBUILD_PAGE = 25_000;

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
   * Drops every read model and replays the whole history up to the current head in large pages
   * (not through the live subscription), then follows live again from there.
   */
  rebuild(): Promise<{ events: number; ms: number }> {
    return this.serialised(async () => {
      const started = performance.now();
      await this.stopNow();
      await this.options.readStore.dropAll();
      this.committed = 0;
      const head = await this.options.eventStore.headPosition();
      let events = 0;
      while (this.committed < head) {
        const page = await this.options.eventStore.readAll({ fromPosition: this.committed, limit: REBUILD_PAGE });
        if (page.length === 0) break;
        await this.apply(page);
        events += page.length;
      }
      await this.startNow();
      const ms = Math.round(performance.now() - started);
      this.log(`projector ${this.name}: rebuilt ${events} events in ${ms} ms`);
      return { events, ms };
    });
  }

  private async startNow(): Promise<void> {
    if (this.subscription !== null) return;
    const { readStore, eventStore, batchSize } = this.options;
    for (const { projection } of this.compiled) {
      await readStore.ensureIndexes(projection.collection, projection.indexes ?? []);
    }
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

  /** One batch: all document writes and the checkpoint in one commit. */
  private async apply(events: StoredEvent[]): Promise<void> {
    if (events.length === 0) return;
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
