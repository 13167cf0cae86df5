import type { StoredEvent } from '../envelope';
import type { SubscribeOptions, Subscription } from '../port';

export interface PollingSubscriptionSource {
  /** Events with globalPosition > fromPosition ('start': every event), in global order, at most `limit`. */
  read(fromPosition: number | 'start', limit: number): StoredEvent[] | Promise<StoredEvent[]>;
  pollIntervalMs: number;
  /** A read failure worth waiting out (a server store: the server is gone, a failover is under way), not a reason to stop. */
  isTransient?(error: unknown): boolean;
  /** Told before each wait after a transient read failure (to log it). */
  onRetry?: (error: Error, attempt: number, delayMs: number) => void;
}

const DEFAULT_BATCH_SIZE = 500;
const MAX_RETRY_DELAY_MS = 2_000;

/**
 * Catch-up then live subscription over a store that can be read from a position (the embedded
 * store, and PostgreSQL, whose NOTIFY listener calls wake()). Reading is what delivers, never a
 * wake-up itself, so a lost notification only delays an event.
 * Live appends are noticed two ways: wake() (called by the store after its own commits, so
 * in-process appends arrive at once) and a poll every pollIntervalMs (appends by other processes).
 * A read failure the source calls transient is retried with a growing delay (up to 2 s).
 * Each event is delivered once: the position only advances after the handler resolved, and the
 * next read starts after it. Do not await close() inside the handler: close() waits for it.
 * A handler or read error stops the subscription and goes to onError; without onError it is
 * raised as an unhandled rejection, so a failing projector is never silently stuck.
 */
export class PollingSubscription implements Subscription {
  /** 'start' until the first delivery from 0: a row at position 0 or below is then delivered, and only once. */
  private position: number | 'start';
  private closed = false;
  private wakePending = false;
  private wakeUp: (() => void) | undefined;
  private readonly done: Promise<void>;

  constructor(
    private readonly source: PollingSubscriptionSource,
    private readonly options: SubscribeOptions,
    private readonly onStop: (subscription: PollingSubscription) => void,
  ) {
    if (!Number.isSafeInteger(options.fromPosition) || options.fromPosition < 0) {
      throw new TypeError(`fromPosition must be an integer >= 0, got ${String(options.fromPosition)}`);
    }
    if (options.batchSize !== undefined && !(Number.isSafeInteger(options.batchSize) && options.batchSize > 0)) {
      throw new TypeError(`batchSize must be a positive integer, got ${String(options.batchSize)}`);
    }
    this.position = options.fromPosition === 0 ? 'start' : options.fromPosition;
    this.done = this.run();
  }

  /** New events may be available: read now instead of at the next poll. */
  wake(): void {
    this.wakePending = true;
    this.wakeUp?.();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wakeUp?.();
    await this.done;
  }

  private async run(): Promise<void> {
    const limit = this.options.batchSize ?? DEFAULT_BATCH_SIZE;
    let failures = 0;
    try {
      // Never call the handler before subscribe() has returned the subscription to its caller.
      await Promise.resolve();
      while (!this.closed) {
        this.wakePending = false;
        let batch: StoredEvent[];
        try {
          batch = await this.source.read(this.position, limit);
          failures = 0;
        } catch (error) {
          if (this.source.isTransient?.(error) !== true) throw error;
          failures += 1;
          const delayMs = Math.min(100 * 2 ** (failures - 1), MAX_RETRY_DELAY_MS);
          this.source.onRetry?.(error instanceof Error ? error : new Error(String(error)), failures, delayMs);
          await this.sleep(delayMs, true);
          continue;
        }
        if (this.closed) break;
        if (batch.length === 0) {
          await this.sleep(this.source.pollIntervalMs, false);
          continue;
        }
        await this.options.handler(batch);
        this.position = batch[batch.length - 1].globalPosition;
      }
    } catch (error) {
      this.closed = true;
      this.report(error instanceof Error ? error : new Error(String(error)));
    } finally {
      this.onStop(this);
    }
  }

  private report(error: Error): void {
    if (this.options.onError) {
      this.options.onError(error);
      return;
    }
    // No onError: fail loudly (an unhandled rejection) rather than stop in silence.
    void Promise.reject(error);
  }

  /** Until the delay ends, close(), or (unless `ignoreWake`, while waiting out a failure) a wake(). */
  private sleep(ms: number, ignoreWake: boolean): Promise<void> {
    if ((this.wakePending && !ignoreWake) || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.wakeUp = ignoreWake ? () => (this.closed ? finish() : undefined) : finish;
    });
  }
}
