import {
  AccessDeniedError,
  InvalidArgumentError,
  UnsupportedError,
  excludeSystemEvents,
  type AllStreamResolvedEvent,
  type EventStoreDBClient,
} from '@eventstore/db-client';
import type { StoredEvent } from '../envelope';
import { EsdbLayoutError, isLedgerRecord, toReadPosition, toStoredEvent } from './esdb-layout';
import type { EventFeed } from './resubscribing-subscription';

/** What the feed needs of the client's AllStreamSubscription (an object-mode Readable it can cancel). */
export interface AllSubscriptionLike {
  read(): unknown;
  on(event: 'readable' | 'end' | 'close', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  unsubscribe(): Promise<void>;
  destroy(): unknown;
}

/**
 * A catch-up subscription to $all after `fromPosition`, system events filtered out by the server.
 * The stream buffers up to a batch, so a batch can be taken whole.
 */
export function openAllFeed(client: EventStoreDBClient, fromPosition: number, batchSize: number): EsdbFeed {
  const highWaterMark = Math.max(batchSize, 16);
  return new EsdbFeed(
    client.subscribeToAll({ fromPosition: toReadPosition(fromPosition), filter: excludeSystemEvents() }, { highWaterMark }),
  );
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

  constructor(private readonly subscription: AllSubscriptionLike) {
    const notify = (): void => this.notify();
    subscription.on('readable', notify);
    subscription.on('end', () => {
      this.ended = true;
      notify();
    });
    subscription.on('close', () => {
      this.ended = true;
      notify();
    });
    // Stays attached after close(): a late error must not become an uncaught 'error' event.
    subscription.on('error', (error: Error) => {
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
    error instanceof AccessDeniedError ||
    error instanceof InvalidArgumentError ||
    error instanceof UnsupportedError
  );
}
