import type { StoredEvent } from '../envelope';
import type { SubscribeOptions, Subscription } from '../port';

/** One connection's worth of a subscription: the events after a position, in global order. */
export interface EventFeed {
  /**
   * Up to `max` events that are ready, waiting until there is at least one. 'ended' when the
   * source finished without an error, which for a live subscription is a drop too. Rejects when
   * the feed failed.
   */
  next(max: number): Promise<StoredEvent[] | 'ended'>;
  /** Stops the feed; a pending next() then settles. Safe after a failure and more than once. */
  close(): Promise<void>;
}

export interface ResubscribeInfo {
  /** 1 for the first retry after the last delivered batch, then 2, 3… */
  attempt: number;
  delayMs: number;
  /** Exclusive: the position of the last event the handler finished. */
  fromPosition: number;
  error: Error;
}

export interface FeedSource {
  /** Opens a feed of the events after `fromPosition` (it may repeat the event at it). */
  open(fromPosition: number): EventFeed;
  /** Errors a new feed would only repeat (access denied, a malformed ledger event): stop and report. */
  isPermanent(error: Error): boolean;
  /** Delay before retry n is initialMs * 2^(n-1), at most maxMs. Default 100 ms .. 5 s. */
  backoff?: { initialMs: number; maxMs: number };
  onResubscribe?: (info: ResubscribeInfo) => void;
}

const DEFAULT_BATCH_SIZE = 500;
const DEFAULT_BACKOFF = { initialMs: 100, maxMs: 5_000 };

/** Thrown through the loop so a handler's failure is told apart from a feed's. */
class HandlerFailed {
  constructor(readonly error: unknown) {}
}

/**
 * A subscription that survives its feed: when the feed fails or ends, it opens a new one from the
 * last position the handler finished, after a backoff that grows while attempts keep failing and
 * resets once a batch is delivered. Positions strictly increase, so events at or before that
 * position are dropped: nothing is delivered twice, and nothing is skipped because the new feed
 * starts at the last delivered event, not at the last received one. Batches go to the handler one
 * at a time. onError (or, without it, an unhandled rejection) only for a handler failure or a
 * permanent feed error; both stop the subscription. Do not await close() inside the handler.
 */
export class ResubscribingSubscription implements Subscription {
  private position: number;
  private closed = false;
  private attempt = 0;
  /** The open feed, so that close() can interrupt its pending next(). */
  private feed: EventFeed | undefined;
  /** Ends the backoff pause early (close()). */
  private interruptPause: (() => void) | undefined;
  private readonly done: Promise<void>;

  constructor(
    private readonly source: FeedSource,
    private readonly options: SubscribeOptions,
    private readonly onStop: (subscription: ResubscribingSubscription) => void = () => undefined,
  ) {
    if (!Number.isSafeInteger(options.fromPosition) || options.fromPosition < 0) {
      throw new TypeError(`fromPosition must be an integer >= 0, got ${String(options.fromPosition)}`);
    }
    if (options.batchSize !== undefined && !(Number.isSafeInteger(options.batchSize) && options.batchSize > 0)) {
      throw new TypeError(`batchSize must be a positive integer, got ${String(options.batchSize)}`);
    }
    this.position = options.fromPosition;
    this.done = this.run();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.interruptPause?.();
    await this.feed?.close().catch(() => undefined);
    await this.done;
  }

  private async run(): Promise<void> {
    try {
      // Never call the handler before subscribe() has returned the subscription to its caller.
      await Promise.resolve();
      while (!this.closed) {
        try {
          await this.follow();
        } catch (thrown) {
          if (thrown instanceof HandlerFailed) throw thrown.error;
          const error = asError(thrown);
          if (this.closed) break;
          if (this.source.isPermanent(error)) throw error;
          this.attempt += 1;
          const { initialMs, maxMs } = this.source.backoff ?? DEFAULT_BACKOFF;
          const delayMs = Math.min(maxMs, initialMs * 2 ** Math.min(this.attempt - 1, 30));
          this.source.onResubscribe?.({ attempt: this.attempt, delayMs, fromPosition: this.position, error });
          await this.pause(delayMs);
        }
      }
    } catch (error) {
      this.closed = true;
      this.report(asError(error));
    } finally {
      this.onStop(this);
    }
  }

  /** Delivers from one feed until it fails (throws) or the subscription is closed (returns). */
  private async follow(): Promise<void> {
    const feed = this.source.open(this.position);
    this.feed = feed;
    try {
      while (!this.closed) {
        const next = await feed.next(this.options.batchSize ?? DEFAULT_BATCH_SIZE);
        if (this.closed) return;
        if (next === 'ended') throw new Error(`the subscription ended without an error after position ${this.position}`);
        const fresh = after(next, this.position);
        if (fresh.length === 0) continue;
        try {
          await this.options.handler(fresh);
        } catch (error) {
          // HandlerFailed wraps what the handler threw, so the loop tells it apart from a dropped subscription.
          // eslint-disable-next-line @typescript-eslint/only-throw-error
          throw new HandlerFailed(error);
        }
        this.position = fresh[fresh.length - 1].globalPosition;
        this.attempt = 0;
      }
    } finally {
      this.feed = undefined;
      // The feed is left either way; failing to close one that already failed changes nothing.
      await feed.close().catch(() => undefined);
    }
  }

  private pause(ms: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(finish, ms);
      this.interruptPause = finish;
      function finish(): void {
        clearTimeout(timer);
        resolve();
      }
    }).finally(() => {
      this.interruptPause = undefined;
    });
  }

  private report(error: Error): void {
    if (this.options.onError) {
      this.options.onError(error);
      return;
    }
    // No onError: fail loudly (an unhandled rejection) rather than stop in silence.
    void Promise.reject(error);
  }
}

/** The events past `position`, keeping positions strictly increasing (drops repeats after a resubscribe). */
function after(events: readonly StoredEvent[], position: number): StoredEvent[] {
  const fresh: StoredEvent[] = [];
  let last = position;
  for (const event of events) {
    if (event.globalPosition > last) {
      fresh.push(event);
      last = event.globalPosition;
    }
  }
  return fresh;
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
