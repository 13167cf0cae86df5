import {
  AccessDeniedError,
  InvalidArgumentError,
  UnsupportedError,
  excludeSystemEvents,
  type AllStreamResolvedEvent,
} from '@eventstore/db-client';
import type { StoredEvent } from '../envelope';
import type { EsdbClient } from './esdb-client';
import { EsdbLayoutError, isLedgerRecord, toReadPosition, toStoredEvent } from './esdb-layout';
import { EsdbInvalidPositionError, EsdbReadTimeoutError } from './esdb-reads';
import type { EventFeed } from './resubscribing-subscription';

/** What the feed needs of the client's AllStreamSubscription (an object-mode Readable it can cancel). */
export interface AllSubscriptionLike {
  read(): unknown;
  on(event: 'readable' | 'end' | 'close' | 'confirmation', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  unsubscribe(): Promise<void>;
  destroy(): unknown;
}

/**
 * A catch-up subscription to $all after `fromPosition`, system events filtered out by the server.
 * The stream buffers up to a batch, so a batch can be taken whole.
 */
export function openAllFeed(client: EsdbClient, fromPosition: number, batchSize: number, options: EsdbFeedOptions = {}): EsdbFeed {
  const highWaterMark = Math.max(batchSize, 16);
  return new EsdbFeed(
    client.subscribeToAll({ fromPosition: toReadPosition(fromPosition), filter: excludeSystemEvents() }, { highWaterMark }),
    options,
  );
}

export interface EsdbFeedOptions {
  /**
   * How long the server has to confirm the subscription (or send anything) before the feed fails
   * with EsdbReadTimeoutError, to be opened again. The client waits for ever: a stuck server would
   * hold a follower silently. Once confirmed, a quiet subscription is just a quiet store.
   */
  confirmTimeoutMs?: number;
}

/**
 * One catch-up subscription to $all as an EventFeed. The client's subscription is read in paused
 * mode, so at most `max` events are taken per batch and the rest wait in the stream's buffer
 * (which back-pressures the gRPC call). System and foreign records are skipped; a ledger record
 * that does not decode makes next() reject with an EsdbLayoutError. Events already received are
 * handed out before a failure is reported, so a drop costs no re-read of what arrived.
 */
export class EsdbFeed implements EventFeed {
  private failure: Error | undefined;
  private ended = false;
  private closed = false;
  private wake: (() => void) | undefined;
  private confirmTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly subscription: AllSubscriptionLike,
    options: EsdbFeedOptions = {},
  ) {
    const notify = (): void => this.notify();
    const confirmed = (): void => {
      clearTimeout(this.confirmTimer);
      this.confirmTimer = undefined;
    };
    if (options.confirmTimeoutMs !== undefined) {
      const ms = options.confirmTimeoutMs;
      this.confirmTimer = setTimeout(() => {
        this.failure ??= new EsdbReadTimeoutError(`EventStoreDB did not confirm the $all subscription within ${ms} ms`);
        notify();
      }, ms);
    }
    subscription.on('confirmation', confirmed);
    subscription.on('readable', () => {
      confirmed();
      notify();
    });
    subscription.on('end', () => {
      confirmed();
      this.ended = true;
      notify();
    });
    subscription.on('close', () => {
      confirmed();
      this.ended = true;
      notify();
    });
    // Stays attached after close(): a late error must not become an uncaught 'error' event.
    subscription.on('error', (error: Error) => {
      confirmed();
      this.failure ??= error;
      notify();
    });
  }

  async next(max: number): Promise<StoredEvent[] | 'ended'> {
    for (;;) {
      const events = this.take(max);
      if (events.length > 0) return events;
      if (this.failure !== undefined) throw this.failure;
      if (this.ended || this.closed) return 'ended';
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.confirmTimer);
    this.notify();
    try {
      await this.subscription.unsubscribe();
    } finally {
      this.subscription.destroy();
    }
  }

  private take(max: number): StoredEvent[] {
    const events: StoredEvent[] = [];
    while (events.length < max && !this.closed) {
      const resolved = this.subscription.read() as AllStreamResolvedEvent | null;
      if (resolved === null) break;
      const record = resolved.event;
      if (record !== undefined && isLedgerRecord(record)) events.push(toStoredEvent(record));
    }
    return events;
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

/** Errors a new subscription would only repeat. Everything else (unavailable, cancelled, reset…) is retried. */
export function isPermanentError(error: Error): boolean {
  return (
    error instanceof EsdbLayoutError ||
    error instanceof EsdbInvalidPositionError ||
    error instanceof AccessDeniedError ||
    error instanceof InvalidArgumentError ||
    error instanceof UnsupportedError
  );
}

/**
 * A feed that first runs `check` (the start position's), then opens the real feed. A failed check
 * fails the feed's next(), so the subscription loop judges it like any other feed error.
 */
export class StartCheckedFeed implements EventFeed {
  private readonly started: Promise<EventFeed>;
  private closed = false;
  private interrupt: (() => void) | undefined;
  private readonly interrupted = new Promise<'closed'>((resolve) => {
    this.interrupt = () => resolve('closed');
  });

  constructor(check: () => Promise<void>, open: () => EventFeed) {
    this.started = check().then(() => open());
    // Judged when next() awaits it; never an unhandled rejection if close() came first.
    this.started.catch(() => undefined);
  }

  async next(max: number): Promise<StoredEvent[] | 'ended'> {
    const feed = await Promise.race([this.started, this.interrupted]);
    if (feed === 'closed' || this.closed) return 'ended';
    return feed.next(max);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.interrupt?.();
    const feed = await this.started.catch(() => undefined);
    await feed?.close();
  }
}
