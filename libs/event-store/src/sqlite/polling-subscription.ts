import type { StoredEvent } from '../envelope';
import type { SubscribeOptions, Subscription } from '../port';

export interface PollingSubscriptionSource {
  /** Events with globalPosition > fromPosition ('start': every event), in global order, at most `limit`. */
  read(fromPosition: number | 'start', limit: number): StoredEvent[];
  pollIntervalMs: number;
}

const DEFAULT_BATCH_SIZE = 500;

/**
 * Catch-up then live subscription over a store that can be read from a position.
 * Live appends are noticed two ways: wake() (called by the store after its own commits, so
 * in-process appends arrive at once) and a poll every pollIntervalMs (appends by other processes).
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
    try {
      // Never call the handler before subscribe() has returned the subscription to its caller.
      await Promise.resolve();
      while (!this.closed) {
        this.wakePending = false;
        const batch = this.source.read(this.position, limit);
        if (batch.length === 0) {
          await this.sleep();
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

  private sleep(): Promise<void> {
    if (this.wakePending || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(finish, this.source.pollIntervalMs);
      this.wakeUp = finish;
    });
  }
}
